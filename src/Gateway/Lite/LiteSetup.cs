using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.RateLimiting;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Silo;

namespace OpenGov.Dialogue.Gateway.Lite;

/// <summary>Services of the page without JavaScript: its identity cookie, anti-forgery tokens and the identity budget per address.</summary>
public static class LiteSetup
{
    /// <summary>The rate-limit policy on minting identities from /lite (<see cref="DialogueOptions.LiteIdentitiesPerAddress"/>).</summary>
    public const string IdentityLimit = "lite-identity";

    /// <summary>The hidden form field that carries the anti-forgery token: short, because every byte of the page counts.</summary>
    public const string AntiforgeryField = "af";

    public static void AddDialogueLite(this WebApplicationBuilder builder, DialogueOptions options, DialogueHostOptions host)
    {
        builder.Services.AddSingleton<LiteIdentity>();

        // Anti-forgery tokens are Data Protection payloads, so every gateway that may receive a form must hold the
        // key that drew it. On PostgreSQL (clusters: gateways behind one proxy, containers without volumes) the
        // key ring is in the database, sealed under the signing key. On the embedded default it lives in the
        // data folder beside signing.key, so a form drawn before a restart still posts after it whatever the
        // process's home is. At rest there it is as protected as signing.key (a 0700 folder).
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("OpenGov.Dialogue");
        if (host.Storage == "postgres" && !string.IsNullOrWhiteSpace(host.ConnectionString))
        {
            dataProtection.PersistKeysToPostgres(host.ConnectionString, host.ServiceId);
        }
        else
        {
            var ring = Path.Combine(host.DataDirectory, "data-protection");
            DataFolder.Ensure(host.DataDirectory);
            DataFolder.Ensure(ring);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(ring));

            // Its only warning is that the keys are stored unencrypted, which is the point made above.
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        }

        builder.Services.AddAntiforgery(o =>
        {
            o.FormFieldName = AntiforgeryField;
            o.HeaderName = null;
            o.Cookie.Name = "dlg-af";
            o.Cookie.Path = LiteIdentity.CookiePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.Configure<RateLimiterOptions>(o => o.AddPolicy(IdentityLimit, http => RateLimitPartition.GetTokenBucketLimiter(
            AuthSetup.ClientAddress(http),
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.LiteIdentitiesPerAddress,
                TokensPerPeriod = Math.Max(1, options.LiteIdentitiesPerAddress / 10),
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })));
    }

    /// <summary>Requests the page without JavaScript answers: refusals (rate limits) are HTML there, not problem+json.</summary>
    public static bool IsLite(HttpContext http) => http.Request.Path.StartsWithSegments(LiteIdentity.CookiePath);
}
