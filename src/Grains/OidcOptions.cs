namespace OpenGov.Dialogue;

/// <summary>
/// Single sign-on through an OpenID Connect provider (<c>Dialogue:Oidc</c>): its access tokens are
/// accepted beside the gateway's own. Off while <see cref="Authority"/> is empty.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> names the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the tokens must carry (this gateway's client or API id at the provider).</summary>
    public string? Audience { get; set; }

    /// <summary>The claim holding the staff role (one or several values).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim whose value names the actor in the moderation log.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>
    /// Provider role values → <c>admin</c>, <c>moderator</c> or <c>official</c> (for example
    /// <c>"dialogue-moderators": "moderator"</c>). Values already named like a role map to themselves.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);
}
