using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>The page without JavaScript (/lite) in Chromium with JavaScript switched off: join, post, vote.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class LitePageTests(WebUiHost host)
{
    [Fact]
    public async Task Lite_page_works_in_chromium_with_javascript_off()
    {
        var id = await host.CreateConsultation(moderation: "post", title: "Balai warga Kelurahan Menteng");
        var other = await host.Submit(id, "Perbanyak tempat sampah terpilah di taman");

        await using var context = await host.Browser.NewContextAsync(new()
        {
            BaseURL = host.BaseAddress.ToString(),
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            Locale = "id-ID",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");

        await page.GotoAsync($"/lite?c={id}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Balai warga Kelurahan Menteng");
        Assert.Equal(0, await page.Locator("script").CountAsync());

        // The inline style is allowed by its hash: were the policy's hash wrong, the page would be unstyled.
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("max-width", "640px");

        await page.GetByRole(AriaRole.Button, new() { Name = "Gabung" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Anda sudah bergabung.");

        await page.GetByLabel("Pertanyaan Anda").FillAsync("Kapan jalur sepeda Jalan Thamrin dibuka?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Terkirim.");
        var mine = page.Locator("#mine + ul li");
        await Assertions.Expect(mine).ToHaveCountAsync(1);
        await Assertions.Expect(mine).ToContainTextAsync("Kapan jalur sepeda Jalan Thamrin dibuka?");
        await Assertions.Expect(mine).ToContainTextAsync("Tampil");

        // Upvote the other citizen's post in the list; the page comes back with the count and a withdraw button.
        var item = page.Locator("li").Filter(new() { HasText = "Perbanyak tempat sampah terpilah di taman" }).First;
        await item.GetByRole(AriaRole.Button, new() { Name = "Dukung" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Suara Anda tercatat.");
        await Assertions.Expect(item).ToContainTextAsync("1 dukungan");
        await Assertions.Expect(item.GetByRole(AriaRole.Button, new() { Name = "Batalkan dukungan" })).ToBeVisibleAsync();
        Assert.Equal(1, (await host.StaffItems(id))[other].GetProperty("votes").GetProperty("up").GetInt32());

        // Reloading after the vote repeats no form (Post-Redirect-Get): still one vote.
        await page.ReloadAsync();
        Assert.Equal(1, (await host.StaffItems(id))[other].GetProperty("votes").GetProperty("up").GetInt32());

        await WebUiHost.Screenshot(page, "lite");
        Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
