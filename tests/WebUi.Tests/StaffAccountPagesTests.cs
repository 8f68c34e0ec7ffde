using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class StaffAccountPagesTests(WebUiHost host)
{
    [Fact]
    public async Task Admin_invites_the_person_sets_a_passphrase_from_the_link_signs_in_and_is_disabled()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        await host.Submit(id, "Mohon jadwal posyandu diumumkan");
        var login = $"wulan-{Guid.NewGuid():N}"[..16];

        // The admin signs in with the bootstrap key and invites Wulan; the link is shown once.
        var admin = await host.NewPage();
        await admin.GotoAsync("/staff");
        await admin.Locator("#signin-bootstrap summary").ClickAsync();
        await admin.Locator("#signin-key").FillAsync(WebUiHost.AdminKey);
        await admin.Locator("#signin-key").PressAsync("Enter");
        await admin.Locator("#invite-login").FillAsync(login);
        await admin.Locator("#invite-name").FillAsync("Wulan Sari");
        await admin.Locator("#invite-role").SelectOptionAsync("moderator");
        await admin.Locator("#invite-scope").FillAsync(id);
        await admin.Locator("#invite button[type=submit]").ClickAsync();
        await Assertions.Expect(admin.Locator("#invitation-link")).ToContainTextAsync("/welcome#code=");
        var link = await admin.Locator("#invitation-link").InnerTextAsync();
        var row = admin.Locator($"#account-list li[data-login='{login}']");
        await Assertions.Expect(row).ToContainTextAsync("menunggu frasa sandi");

        // Wulan opens the link and sets her passphrase.
        var wulan = await host.NewPage();
        await wulan.GotoAsync(link);
        await Assertions.Expect(wulan.Locator("#welcome-passphrase")).ToBeFocusedAsync();
        await wulan.Locator("#welcome-passphrase").FillAsync(WebUiHost.StaffPassphrase);
        await wulan.Locator("#welcome-repeat").FillAsync(WebUiHost.StaffPassphrase);
        await wulan.Locator("#welcome-repeat").PressAsync("Enter");
        await Assertions.Expect(wulan.Locator("#welcome-result")).ToContainTextAsync(login);

        // She signs in on the console under her own name.
        await wulan.GotoAsync($"/moderate?c={id}");
        await wulan.Locator("#signin-login").FillAsync(login);
        await wulan.Locator("#signin-passphrase").FillAsync(WebUiHost.StaffPassphrase);
        await wulan.Locator("#signin-passphrase").PressAsync("Enter");
        await Assertions.Expect(wulan.Locator("#who")).ToContainTextAsync("Wulan Sari");
        await Assertions.Expect(wulan.Locator("#queue li[data-item-id]")).ToHaveCountAsync(1);

        // Disabled, she can no longer sign in.
        await admin.ReloadAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Nonaktifkan" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("dinonaktifkan");
        var again = await host.NewPage();
        await again.GotoAsync($"/moderate?c={id}");
        await again.Locator("#signin-login").FillAsync(login);
        await again.Locator("#signin-passphrase").FillAsync(WebUiHost.StaffPassphrase);
        await again.Locator("#signin-passphrase").PressAsync("Enter");
        await Assertions.Expect(again.Locator("#gate .error")).ToContainTextAsync("Gagal masuk");
    }
}
