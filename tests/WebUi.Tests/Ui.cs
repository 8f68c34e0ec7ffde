using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>What a person does on each page, written once so tests read as scenarios.</summary>
public static class Ui
{
    public static async Task<IPage> OpenParticipant(WebUiHost host, string consultationId)
    {
        var page = await host.NewPage(phone: true);
        await page.GotoAsync($"/?c={consultationId}");
        await Assertions.Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "online");
        return page;
    }

    public static async Task Ask(IPage page, string text)
    {
        await page.Locator("#ask-text").FillAsync(text);
        await page.Locator("#ask-send").ClickAsync();
        await Assertions.Expect(page.Locator("#ask-text")).ToHaveValueAsync(string.Empty);
    }

    /// <summary>A new staff account under <paramref name="name"/> signs in on a staff page (moderate or dashboard) for one consultation.</summary>
    public static async Task<IPage> OpenStaff(WebUiHost host, string path, string consultationId, string role, string name)
    {
        var (_, login) = await host.ActivatedStaffAccount(role, name);
        var page = await host.NewPage();
        await page.GotoAsync($"/{path}?c={consultationId}");
        await page.Locator("#signin-login").FillAsync(login);
        await page.Locator("#signin-passphrase").FillAsync(WebUiHost.StaffPassphrase);
        await page.Locator("#signin-passphrase").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "online");
        return page;
    }

    public static ILocator PublicItem(IPage page, string text) =>
        page.Locator("#items li[data-item-id]").Filter(new() { Has = page.GetByTestId("item-text").GetByText(text, new() { Exact = true }) });

    public static ILocator MyItem(IPage page, string text) =>
        page.Locator("#mine li[data-item-id]").Filter(new() { Has = page.GetByTestId("item-text").GetByText(text, new() { Exact = true }) });

    public static ILocator QueueRow(IPage page, string text) =>
        page.Locator("#queue li[data-item-id]").Filter(new() { Has = page.GetByTestId("item-text").GetByText(text, new() { Exact = true }) });
}
