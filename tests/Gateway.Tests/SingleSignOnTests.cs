using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// A small OpenID Connect issuer on 127.0.0.1: a discovery document and a JWKS with one RSA key,
/// and tokens signed with it (or, to test refusals, with another key).
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };
    private WebApplication? _app;

    public string Authority { get; private set; } = null!;

    public async Task StartAsync()
    {
        _app = Loopback.SlimBuilder().Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["jwks_uri"] = $"{Authority}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await _app.StartAsync();
        Authority = Loopback.Address(_app).TrimEnd('/');
    }

    public string Token(string subject, string name, string[] groups, string audience = SingleSignOnHost.Audience, TimeSpan? lifetime = null, bool otherKey = false)
    {
        var key = otherKey ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = _key.KeyId } : _key;
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = name, ["groups"] = groups };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>A gateway that accepts the test issuer's tokens beside its own.</summary>
public sealed class SingleSignOnHost : GatewayHost
{
    public const string Audience = "dialogue-test";

    public TestIssuer Issuer { get; } = new();

    public override async Task InitializeAsync()
    {
        await Issuer.StartAsync();
        Settings["Dialogue:Oidc:Authority"] = Issuer.Authority;
        Settings["Dialogue:Oidc:Audience"] = Audience;
        Settings["Dialogue:Oidc:RoleClaim"] = "groups";
        Settings["Dialogue:Oidc:RoleMap:dialogue-moderators"] = "moderator";
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

[Trait("Category", "http")]
public sealed class SingleSignOnTests(SingleSignOnHost host) : IClassFixture<SingleSignOnHost>
{
    [Fact]
    public async Task Provider_token_with_a_mapped_role_moderates_under_the_providers_name_and_subject()
    {
        var id = await host.CreateConsultation();
        using var author = host.Client((await host.Participant()).Token);
        using var submitted = await author.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "q", text = "Kapan posyandu buka?" });
        var item = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var token = host.Issuer.Token("u-42", "Sari (SSO)", ["staff", "dialogue-moderators"]);
        using var moderator = host.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync($"/api/consultations/{id}/queue")).StatusCode);
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "highlight", itemIds = new[] { item } })).EnsureSuccessStatusCode();
        var entry = (await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log")).GetProperty("entries").EnumerateArray().Last();
        Assert.Equal(("Sari (SSO)", "oidc:u-42"), (entry.GetProperty("by").GetString(), entry.GetProperty("byAccount").GetString()));

        // The hub takes the same token from the query string.
        await using var hub = host.Hub(token);
        await hub.StartAsync();
        await Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.InvokeAsync<Live.JoinResponse>(hub, nameof(Live.DialogueHub.Join), id, 0L);

        // No moderator rights beyond the role: the provider's admins are not this gateway's admins unless mapped.
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.GetAsync("/api/staff/accounts")).StatusCode);
    }

    [Fact]
    public async Task Wrong_audience_wrong_key_expired_or_roleless_tokens_are_refused()
    {
        var id = await host.CreateConsultation();
        foreach (var token in new[]
        {
            host.Issuer.Token("u-1", "A", ["dialogue-moderators"], audience: "someone-else"),
            host.Issuer.Token("u-1", "A", ["dialogue-moderators"], otherKey: true),
            host.Issuer.Token("u-1", "A", ["dialogue-moderators"], lifetime: TimeSpan.FromMinutes(-5)),
            host.Issuer.Token("u-1", "A", ["staff"]),
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(token).GetAsync($"/api/consultations/{id}/queue")).StatusCode);
        }
    }
}
