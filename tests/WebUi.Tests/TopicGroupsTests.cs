using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TopicGroupsTests(WebUiHost host)
{
    private static readonly string[][] Complaints =
    [
        [
            "Jalan di depan pasar rusak dan berlubang, mohon segera diaspal",
            "Lubang di jalan raya membuat motor jatuh, jalan perlu diaspal ulang",
            "Aspal jalan kampung kami rusak berat sejak musim hujan",
            "Jalan menuju sekolah berlubang dan rusak, tolong diperbaiki",
            "Perbaikan jalan rusak di RW 03 belum juga dikerjakan",
            "Jalan berlubang di dekat jembatan sangat berbahaya malam hari",
            "Aspal jalan utama mengelupas, jalan rusak dan berlubang",
            "Mohon perbaikan jalan rusak di gang kami, banyak lubang",
        ],
        [
            "Sampah menumpuk di pinggir sungai dan bau sekali",
            "Truk sampah tidak datang seminggu, sampah menumpuk di depan rumah",
            "Sungai penuh sampah sehingga banjir setiap hujan deras",
            "Tempat pembuangan sampah sementara penuh dan bau",
            "Warga membuang sampah ke sungai, tolong ada petugas kebersihan",
            "Banjir karena saluran air tersumbat sampah plastik",
            "Jadwal angkut sampah tidak jelas, sampah dibiarkan bau",
            "Saluran air penuh sampah, banjir masuk ke rumah warga",
        ],
        [
            "Biaya seragam sekolah terlalu mahal untuk keluarga miskin",
            "Guru honorer di sekolah kami belum menerima gaji",
            "Sekolah dasar kekurangan guru dan buku pelajaran",
            "Beasiswa untuk murid tidak mampu harus diperluas",
            "Ruang kelas sekolah bocor dan murid belajar di lantai",
            "Buku pelajaran murid belum dibagikan oleh sekolah",
            "Guru sering tidak masuk kelas, murid dibiarkan belajar sendiri",
            "Pungutan biaya sekolah untuk murid baru memberatkan orang tua",
        ],
    ];

    [Fact]
    public async Task Dashboard_shows_citizens_concerns_grouped_by_topic()
    {
        var id = await host.CreateConsultation(moderation: "post", title: "Musrenbang Kelurahan Menteng");
        for (var i = 0; i < 8; i++)
        {
            foreach (var topic in Complaints)
            {
                await host.Submit(id, topic[i]);
            }
        }

        await WaitForGroups(id);
        var dashboard = await Ui.OpenStaff(host, "dashboard", id, "official", "Ibu Lurah");

        var groups = dashboard.GetByTestId("topic-group");
        await Assertions.Expect(groups).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        await Assertions.Expect(dashboard.GetByTestId("topics-summary")).ToContainTextAsync("3 kelompok dari 24 kiriman");
        await Assertions.Expect(groups.GetByRole(AriaRole.Heading).First).ToHaveTextAsync(new Regex(@"^Kelompok topik \d+: \w+ · \w+ · \w+$"));
        foreach (var topic in Complaints)
        {
            // Each group quotes complaints of one topic only.
            var group = groups.Filter(new() { Has = dashboard.GetByTestId("topic-item").Filter(new() { HasTextRegex = new(string.Join('|', topic.Select(Regex.Escape))) }) });
            await Assertions.Expect(group).ToHaveCountAsync(1);
            await Assertions.Expect(group.GetByTestId("topic-item")).ToHaveCountAsync(3);
            await Assertions.Expect(group).ToContainTextAsync("8 kiriman · 0% dari semua suara");
        }

        await Assertions.Expect(dashboard.GetByTestId("topic-tags")).ToContainTextAsync("daftar bawaan");
        await dashboard.Locator("#lang").SelectOptionAsync("en");
        await Assertions.Expect(dashboard.GetByTestId("topics-summary")).ToContainTextAsync("3 groups of 24 posts");
        await Assertions.Expect(groups.GetByRole(AriaRole.Heading).First).ToHaveTextAsync(new Regex(@"^Topic group \d+: "));
        await WebUiHost.Screenshot(dashboard, "dashboard-topics");
    }

    [Fact]
    public async Task Dashboard_is_pushed_new_groups_with_their_growth_and_verbatim_briefs_and_the_report_prints_the_brief()
    {
        var id = await host.CreateConsultation(moderation: "post", title: "Musrenbang Kelurahan Cikini");
        var dashboard = await Ui.OpenStaff(host, "dashboard", id, "official", "Ibu Lurah");
        await Assertions.Expect(dashboard.GetByTestId("topics-summary")).ToContainTextAsync("Terlalu sedikit", new() { Timeout = 15_000 });

        // From here on the page must not ask for the groups again: what it shows is pushed.
        var asked = 0;
        dashboard.Request += (_, request) =>
        {
            if (request.Url.Contains("/topics", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref asked);
            }
        };
        var all = Complaints.SelectMany(c => c).ToHashSet();
        for (var i = 0; i < 8; i++)
        {
            foreach (var topic in Complaints)
            {
                await host.Submit(id, topic[i]);
            }
        }

        var groups = dashboard.GetByTestId("topic-group");
        await Assertions.Expect(dashboard.GetByTestId("topics-summary")).ToContainTextAsync("3 kelompok dari 24 kiriman", new() { Timeout = 30_000 });
        await Assertions.Expect(groups).ToHaveCountAsync(3);
        await Assertions.Expect(groups.GetByTestId("topic-trend").First).ToHaveTextAsync("+8 dalam 10 menit terakhir");

        // Each group's brief quotes its own posts word for word and says how many it stands for.
        var sentences = groups.GetByTestId("topic-brief").Locator("li");
        Assert.True(await sentences.CountAsync() >= 6, "two sentences or more per group");
        foreach (var quote in await sentences.Locator("q").AllTextContentsAsync())
        {
            Assert.Contains(quote, all);
        }

        await Assertions.Expect(sentences.First).ToContainTextAsync("mewakili");

        // Nobody has tagged yet: suggestions come from the default list and say so.
        Assert.True(await dashboard.GetByTestId("default-taxonomy").CountAsync() > 0);

        // The consultation brief follows the push.
        var brief = dashboard.GetByTestId("brief");
        await Assertions.Expect(brief.GetByTestId("brief-largest")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(brief.GetByTestId("brief-unanswered").Locator("li")).ToHaveCountAsync(10);
        Assert.Equal(0, Volatile.Read(ref asked));
        await WebUiHost.Screenshot(dashboard, "dashboard-brief");

        // The printable public report carries the same brief from the JSON export.
        var report = await dashboard.Context.NewPageAsync();
        await report.GotoAsync($"/report?c={id}");
        var printed = report.GetByTestId("report-brief");
        await Assertions.Expect(printed.GetByTestId("brief-largest")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        foreach (var quote in await printed.GetByTestId("brief-sentence").Locator("q").AllTextContentsAsync())
        {
            Assert.Contains(quote, all);
        }

        await report.EmulateMediaAsync(new() { Media = Media.Print });
        await WebUiHost.Screenshot(report, "report-brief");
    }

    private async Task WaitForGroups(string id)
    {
        using var official = host.Client(await host.StaffToken("official"));
        for (var i = 0; i < 150; i++)
        {
            var view = await official.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/topics");
            if (view.GetProperty("status").GetString() == "grouped" && view.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("size").GetInt32()) == 24)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The topic groups did not settle within 30 s.");
    }
}
