using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>The public report page /report?c=code against the real gateway: built only from public APIs.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class ReportPageTests(WebUiHost host)
{
    private const string SpamText = "BELI OBAT MURAH klik tautan ini sekarang";

    [Fact]
    public async Task Report_shows_participation_answers_moderation_and_exports_and_prints_on_A4()
    {
        var id = await host.CreateConsultation(moderation: "post", title: "Deliberasi ruang terbuka hijau", mode: "deliberation");
        var statements = new[]
        {
            "Taman kota harus buka sampai jam sepuluh malam",
            "Trotoar lebar lebih penting dari lahan parkir",
            "Setiap kelurahan perlu satu taman bermain",
        };
        var ids = new List<string>();
        foreach (var text in statements)
        {
            ids.Add(await host.Submit(id, text));
        }

        var spam = await host.Submit(id, SpamText);
        using var admin = host.Client(await host.StaffToken());
        (await admin.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { spam }, reason = "spam" })).EnsureSuccessStatusCode();

        // Three voters: 3 + 3 + 2 = 8 votes.
        for (var voter = 0; voter < 3; voter++)
        {
            using var participant = host.Client(await ParticipantToken());
            for (var i = 0; i < (voter == 2 ? 2 : 3); i++)
            {
                (await participant.PostAsJsonAsync($"/api/consultations/{id}/items/{ids[i]}/votes", new { value = i == 1 && voter == 1 ? -1 : 1 })).EnsureSuccessStatusCode();
            }
        }

        using var official = host.Client(await host.StaffToken("official", "Ibu Kepala Dinas"));
        (await official.PostAsJsonAsync($"/api/consultations/{id}/items/{ids[0]}/answer",
            new { text = "Kami kaji jam buka bersama warga.", status = "under-review", owner = "Dinas Pertamanan", due = "2025-01-15" })).EnsureSuccessStatusCode();
        (await official.PostAsJsonAsync($"/api/consultations/{id}/items/{ids[2]}/answer",
            new { text = "Disetujui dalam anggaran tahun depan.", status = "accepted", owner = "Bappeda", due = "2025-01-10" })).EnsureSuccessStatusCode();

        var page = await host.NewPage();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync($"/report?c={id}");
        var report = page.Locator("#report");
        await Assertions.Expect(report).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#c-title")).ToHaveTextAsync("Deliberasi ruang terbuka hijau");
        await Assertions.Expect(page.GetByTestId("fact-items").Locator("dd")).ToHaveTextAsync("4");
        await Assertions.Expect(page.GetByTestId("fact-votes").Locator("dd")).ToHaveTextAsync("8");
        // Three voters and four authors, each a different participant.
        await Assertions.Expect(page.GetByTestId("fact-participants").Locator("dd")).ToHaveTextAsync("7");
        await Assertions.Expect(page.GetByTestId("fact-mode").Locator("dd")).ToHaveTextAsync("Deliberasi");

        // Answers: the past-due one under review is overdue, the accepted one is not.
        var overdueRow = page.Locator($"#answers-table tr[data-item-id='{ids[0]}']");
        var acceptedRow = page.Locator($"#answers-table tr[data-item-id='{ids[2]}']");
        await Assertions.Expect(overdueRow).ToHaveAttributeAsync("data-overdue", "true");
        await Assertions.Expect(overdueRow.GetByTestId("overdue")).ToHaveTextAsync("TERLAMBAT");
        await Assertions.Expect(overdueRow).ToContainTextAsync("Dinas Pertamanan");
        await Assertions.Expect(overdueRow.GetByTestId("answer-status")).ToHaveTextAsync("Sedang ditinjau");
        await Assertions.Expect(acceptedRow).ToHaveAttributeAsync("data-overdue", "false");
        await Assertions.Expect(acceptedRow.GetByTestId("overdue")).ToHaveCountAsync(0);
        await Assertions.Expect(acceptedRow.GetByTestId("answer-status")).ToHaveTextAsync("Diterima");
        await Assertions.Expect(page.Locator("#answers-table th[scope=col]")).ToHaveCountAsync(5);

        // Moderation statistics by reason, the verified log and its link.
        await Assertions.Expect(page.Locator("#moderation-table tr[data-key='reject:spam'] [data-testid=count]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#moderation-table tr[data-key='reject:spam'] th")).ToHaveTextAsync("Ditolak: Spam");
        await Assertions.Expect(page.GetByTestId("log-verify")).ToHaveAttributeAsync("data-valid", "true");
        await Assertions.Expect(page.Locator("#log-link")).ToHaveAttributeAsync("href", $"/api/consultations/{id}/moderation-log");
        await Assertions.Expect(page.GetByTestId("export-json")).ToHaveAttributeAsync("href", $"/api/consultations/{id}/export?format=json");
        await Assertions.Expect(page.GetByTestId("export-polis")).ToHaveAttributeAsync("href", $"/api/consultations/{id}/export?format=polis");

        // Deliberation: the opinion section is there; the rejected text is never shown.
        await Assertions.Expect(page.Locator("#opinion")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync(SpamText);
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Ibu Kepala Dinas");

        // chart.js drew the participation chart: some pixel of the canvas is not transparent.
        var canvas = page.GetByTestId("participation-chart");
        await Assertions.Expect(canvas).ToBeVisibleAsync();
        Assert.True(int.Parse(await canvas.GetAttributeAsync("data-buckets") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(await canvas.EvaluateAsync<bool>(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }"));

        // Readable: every text meets WCAG AA contrast (the same check as the other pages).
        var contrast = await page.EvaluateAsync<JsonElement>(AccessibilityTests.ContrastScript);
        var failures = contrast.GetProperty("failures").EnumerateArray().Select(f => f.GetString()).ToArray();
        Assert.True(contrast.GetProperty("checked").GetInt32() > 20, "too few text elements were checked");
        Assert.True(failures.Length == 0, string.Join(Environment.NewLine, failures));

        // Accessible structure: one h1, a heading per section, tables with column headers.
        await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Jawaban resmi" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Tenggat" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new("^Kiriman dan suara per jam") })).ToBeVisibleAsync();

        await page.SetViewportSizeAsync(1100, 1700);
        await WebUiHost.Screenshot(page, "report");

        // English: headings, labels and the badge follow the language switch.
        await page.GetByLabel("Bahasa").SelectOptionAsync("en");
        await Assertions.Expect(page.Locator("#answers-h")).ToHaveTextAsync("Official answers");
        await Assertions.Expect(page.Locator("#participation-h")).ToHaveTextAsync("Participation over time");
        await Assertions.Expect(page.Locator("#moderation-h")).ToHaveTextAsync("Moderation statistics");
        await Assertions.Expect(overdueRow.GetByTestId("overdue")).ToHaveTextAsync("OVERDUE");
        await Assertions.Expect(page.Locator("#moderation-table tr[data-key='reject:spam'] th")).ToHaveTextAsync("Rejected: Spam");

        // Print: no navigation chrome; a PDF on A4 renders.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("header.bar")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#answers-table table")).ToBeVisibleAsync();
        await File.WriteAllBytesAsync(Path.Combine(WebUiHost.ArtefactDirectory, "report-print.png"), await page.ScreenshotAsync(new() { FullPage = true }));
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true });
        Assert.True(pdf.Length > 0);
        await File.WriteAllBytesAsync(Path.Combine(WebUiHost.ArtefactDirectory, "report.pdf"), pdf);
    }

    [Fact]
    public async Task Private_consultation_report_says_not_available_and_asks_for_nothing_else()
    {
        using var admin = host.Client(await host.StaffToken());
        using var created = await admin.PostAsJsonAsync("/api/consultations", new
        {
            title = "Rapat internal",
            description = "Tidak untuk publik.",
            mode = "qa",
            moderation = "post",
            visibility = "private",
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await host.Submit(id, "Pertanyaan rahasia tentang anggaran");

        var page = await host.NewPage();
        var requests = new List<string>();
        page.Request += (_, request) =>
        {
            lock (requests)
            {
                requests.Add(request.Url);
            }
        };
        await page.GotoAsync($"/report?c={id}");
        var status = page.GetByTestId("report-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "unavailable");
        await Assertions.Expect(status).ToContainTextAsync("tidak tersedia");
        await Assertions.Expect(page.Locator("#report")).ToBeHiddenAsync();
        await page.WaitForTimeoutAsync(500);
        string[] api;
        lock (requests)
        {
            api = [.. requests.Where(u => new Uri(u).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) || u.Contains("/hubs/", StringComparison.Ordinal))];
        }

        Assert.Equal([$"/api/consultations/{id}/export?format=json"], api.Select(u => new Uri(u).PathAndQuery));
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Pertanyaan rahasia");

        await page.GetByLabel("Bahasa").SelectOptionAsync("en");
        await Assertions.Expect(status).ToContainTextAsync("not available");
    }

    private static readonly string[][] Concerns =
    [
        [
            "Lampu penerangan jalan di Gang Melati mati sudah sebulan",
            "Jalan gelap tanpa lampu membuat warga takut pulang malam",
            "Tolong pasang lampu jalan baru di dekat lapangan",
            "Lampu jalan berkedip dan sering padam di malam hari",
            "Penerangan jalan kurang, lampu jalan rusak belum diganti",
            "Lampu jalan di tikungan mati, rawan kecelakaan malam",
            "Banyak lampu jalan padam di sepanjang jalan utama",
            "Ganti lampu jalan yang rusak dengan lampu hemat energi",
        ],
        [
            "Angkot jarang lewat sehingga warga menunggu bus terlalu lama",
            "Halte bus tidak punya atap dan penumpang kehujanan",
            "Rute bus kota perlu diperpanjang sampai terminal baru",
            "Jadwal bus kota tidak tepat waktu, penumpang terlambat kerja",
            "Tambah armada bus agar penumpang tidak berdesakan",
            "Halte bus rusak dan kotor, penumpang enggan menunggu",
            "Tarif angkot naik tapi layanan bus dan angkot tetap buruk",
            "Bus sekolah gratis untuk murid dari kampung jauh",
        ],
        [
            "Air bersih PDAM sering mati berhari-hari di RW kami",
            "Air keran keruh dan berbau, warga takut memakainya",
            "Tekanan air PDAM lemah sehingga air tidak sampai lantai dua",
            "Sumur warga kering, perlu bantuan air bersih saat kemarau",
            "Tagihan air PDAM naik padahal air sering mati",
            "Pipa air bocor di jalan dan air bersih terbuang",
            "Air bersih dari PDAM keruh setelah hujan deras",
            "Perlu sambungan air bersih untuk rumah warga di bantaran",
        ],
    ];

    [Fact]
    public async Task Report_lists_topic_groups_with_representative_posts_and_an_erased_answered_post_as_the_marker()
    {
        var id = await host.CreateConsultation(moderation: "post", title: "Musrenbang Kelurahan Cikini");
        for (var i = 0; i < 8; i++)
        {
            foreach (var topic in Concerns)
            {
                await host.Submit(id, topic[i]);
            }
        }

        // One more post whose author later has it erased; an official answered it first.
        var authorToken = await ParticipantToken();
        using var author = host.Client(authorToken);
        using var submitted = await author.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = Guid.NewGuid().ToString("N"), text = "Nomor HP saya 0812 tolong hubungi soal taman" });
        submitted.EnsureSuccessStatusCode();
        var erased = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var official = host.Client(await host.StaffToken("official", "Pak Lurah"));
        (await official.PostAsJsonAsync($"/api/consultations/{id}/items/{erased}/answer", new { text = "Kami tindak lanjuti lewat kantor kelurahan.", owner = "Kelurahan Cikini" })).EnsureSuccessStatusCode();
        (await author.PostAsJsonAsync("/api/me/erase", new { confirm = true })).EnsureSuccessStatusCode();

        // The topic groups are computed in the background: wait until the public export has them.
        using var anonymous = host.Client();
        for (var attempt = 0; ; attempt++)
        {
            var export = await anonymous.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/export?format=json");
            if (export.GetProperty("topicGroups").GetProperty("status").GetString() == "grouped")
            {
                break;
            }

            Assert.True(attempt < 60, "the topic groups were not computed in time");
            await Task.Delay(500);
        }

        var page = await host.NewPage();
        await page.GotoAsync($"/report?c={id}");
        var groups = page.GetByTestId("report-topic");
        await Assertions.Expect(groups).ToHaveCountAsync(3);
        for (var g = 0; g < 3; g++)
        {
            var count = await groups.Nth(g).Locator("li[data-item-id]").CountAsync();
            Assert.InRange(count, 2, 3);
        }

        await Assertions.Expect(page.Locator("#opinion")).ToBeHiddenAsync();
        var row = page.Locator($"#answers-table tr[data-item-id='{erased}']");
        await Assertions.Expect(row.Locator(".item-text")).ToHaveTextAsync("[dihapus atas permintaan penulis]");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-overdue", "false");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("0812");
        await WebUiHost.Screenshot(page, "report-topics");

        await page.GetByLabel("Bahasa").SelectOptionAsync("en");
        await Assertions.Expect(row.Locator(".item-text")).ToHaveTextAsync("[removed at the author's request]");
        await Assertions.Expect(page.Locator("#topics-h")).ToHaveTextAsync("Topic groups");
    }

    private async Task<string> ParticipantToken()
    {
        using var anonymous = host.Client();
        using var auth = await ParticipantProofClient.MintAsync(anonymous);
        auth.EnsureSuccessStatusCode();
        return (await auth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
