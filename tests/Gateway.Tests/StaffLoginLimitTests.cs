using System.Net;
using System.Net.Http.Json;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>A gateway behind a proxy on 127.0.0.1 with tight login limits: 10 tries per address and minute, backoff after 3 failures.</summary>
public sealed class LoginLimitedHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:StaffLoginsPerMinute"] = "10",
        ["Dialogue:StaffLoginFailuresBeforeBackoff"] = "3",
        ["Dialogue:KnownProxies:0"] = "127.0.0.1",
    };
}

/// <summary>Passphrase guessing is limited per client address and per account, and neither locks out everyone.</summary>
[Trait("Category", "http")]
public sealed class StaffLoginLimitTests(LoginLimitedHost host) : IClassFixture<LoginLimitedHost>
{
    private async Task Account(string login, string adminToken)
    {
        var (_, code) = await host.Invite(login, login, "moderator", adminToken: adminToken);
        (await host.AcceptInvitation(code, GatewayHost.StaffPassphrase)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Guessing_at_one_account_from_many_addresses_delays_that_account_and_no_other()
    {
        var admin = await host.StaffToken();
        await Account("target", admin);
        await Account("bystander", admin);

        for (var i = 1; i <= 3; i++)
        {
            await ProblemAssert.Is(await host.SignIn("target", $"guess number {i} is wrong", from: $"198.51.100.{i}"), HttpStatusCode.Unauthorized, "invalid-credentials");
        }

        // The account now waits, even for the right passphrase from a fresh address...
        using var waiting = await host.SignIn("target", GatewayHost.StaffPassphrase, from: "203.0.113.7");
        await ProblemAssert.Is(waiting, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.InRange(int.Parse(waiting.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 30);

        // ...while another person's correct login from another address goes through.
        Assert.Equal(HttpStatusCode.OK, (await host.SignIn("bystander", GatewayHost.StaffPassphrase, from: "203.0.113.8")).StatusCode);
    }

    [Fact]
    public async Task One_address_is_limited_per_minute_and_other_addresses_still_sign_in()
    {
        var admin = await host.StaffToken();
        await Account("colleague", admin);

        for (var i = 0; i < 10; i++)
        {
            await ProblemAssert.Is(await host.SignIn($"nobody{i}", "a wrong passphrase here", from: "192.0.2.66"), HttpStatusCode.Unauthorized, "invalid-credentials");
        }

        await ProblemAssert.Is(await host.SignIn("colleague", GatewayHost.StaffPassphrase, from: "192.0.2.66"), HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(HttpStatusCode.OK, (await host.SignIn("colleague", GatewayHost.StaffPassphrase, from: "192.0.2.67")).StatusCode);
    }
}
