using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class TopicGroupsTests(WebUiHost host)
{
    /// <summary>Three topics of eight complaints each.</summary>
    private static readonly string[][] Topics = [Complaints.Roads[..8], Complaints.Rubbish[..8], Complaints.Schools];

    [Fact]
    public async Task Dashboard_shows_citizens_concerns_grouped_by_topic()
    {
        var id = await host.CreateConsultation(moderation: "post", title: "Musrenbang Kelurahan Menteng");
        for (var i = 0; i < 8; i++)
        {
            foreach (var topic in Topics)
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
        foreach (var topic in Topics)
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
        var all = Topics.SelectMany(c => c).ToHashSet();
        for (var i = 0; i < 8; i++)
        {
            foreach (var topic in Topics)
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
