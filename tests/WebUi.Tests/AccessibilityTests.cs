using System.Text.Json;
using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class AccessibilityTests(WebUiHost host)
{
    /// <summary>
    /// Walks every visible element that has its own text and computes the WCAG contrast ratio of its
    /// colour against the first opaque background behind it: 4.5:1 for body text, 3:1 for large text.
    /// Disabled controls are exempt, as in WCAG 1.4.3.
    /// </summary>
    internal const string ContrastScript = """
        () => {
          const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
          const failures = [];
          let checked = 0;
          for (const el of document.querySelectorAll('body *')) {
            if (!Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            if (style.visibility === 'hidden' || box.width === 0 || box.height === 0 || el.closest('[hidden], .visually-hidden') || el.matches(':disabled')) continue;
            const fg = parse(style.color); const bg = background(el);
            const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
            const ratio = (hi + 0.05) / (lo + 0.05);
            const size = parseFloat(style.fontSize); const bold = parseInt(style.fontWeight, 10) >= 700;
            const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            checked++;
            if (ratio < needed) failures.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)} < ${needed}`);
          }
          return { checked, failures };
        }
        """;

    [Fact]
    public async Task Text_on_the_participant_page_and_the_moderator_console_meets_WCAG_AA_contrast()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var rejected = await host.Submit(id, "Kiriman yang ditolak");
        await host.Submit(id, "Kiriman yang menunggu");
        var published = await host.Submit(id, "Kiriman yang tampil");
        await host.Moderate(id, "approve", published);
        using (var admin = host.Client(await host.StaffToken()))
        {
            using var response = await admin.PostAsync(
                $"/api/consultations/{id}/moderation",
                System.Net.Http.Json.JsonContent.Create(new { action = "reject", itemIds = new[] { rejected }, reason = "spam" }));
            response.EnsureSuccessStatusCode();
        }

        var participant = await Ui.OpenParticipant(host, id);
        await Assertions.Expect(Ui.PublicItem(participant, "Kiriman yang tampil")).ToBeVisibleAsync();
        var moderator = await Ui.OpenStaff(host, "moderate", id, "moderator", "Moderator Kontras");
        await moderator.Locator("#f-status").SelectOptionAsync("all");
        await Assertions.Expect(moderator.Locator("#queue li[data-item-id]")).ToHaveCountAsync(3);

        foreach (var page in new[] { participant, moderator })
        {
            var result = await page.EvaluateAsync<JsonElement>(ContrastScript);
            var failures = result.GetProperty("failures").EnumerateArray().Select(f => f.GetString()).ToArray();
            Assert.True(result.GetProperty("checked").GetInt32() > 10, "too few text elements were checked");
            Assert.True(failures.Length == 0, string.Join(Environment.NewLine, failures));
        }
    }

    [Fact]
    public async Task Announcements_of_new_items_are_polite_and_can_be_paused()
    {
        var id = await host.CreateConsultation(moderation: "post");
        var page = await Ui.OpenParticipant(host, id);
        var region = page.Locator("#announcer");
        await Assertions.Expect(region).ToHaveAttributeAsync("aria-live", "polite");

        await host.Submit(id, "Pertanyaan pertama dari warga");
        await Assertions.Expect(region).ToHaveTextAsync("1 kiriman baru");

        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Jeda pengumuman" });
        await toggle.ClickAsync();
        await Assertions.Expect(region).ToHaveAttributeAsync("aria-live", "off");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Lanjutkan pengumuman" })).ToHaveAttributeAsync("aria-pressed", "true");
    }
}
