using System.ComponentModel.DataAnnotations;
using OpenGov.Dialogue.Consultations.Topics;

namespace OpenGov.Dialogue;

/// <summary>
/// The rules the grains and the gateway enforce (text limits, rate limits, flags, topic groups, keys and sign-on),
/// bound from the <c>Dialogue</c> configuration section and validated on start. Where a process stores, how it
/// joins a cluster and which ports it opens are in <c>DialogueHostOptions</c> (src/Silo), bound from the same section.
/// </summary>
public sealed class DialogueOptions : IValidatableObject
{
    public const string Section = "Dialogue";

    /// <summary>
    /// Bootstrap key that gives an admin token (and, until the first staff account exists, moderator and
    /// official tokens); generated on first start when empty. A configured key must carry at least 128
    /// bits (docs/staff-accounts.md says how they are counted).
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// The key that signs tokens, join codes and proof-of-work challenges, base64 of at least 32 random bytes.
    /// Every gateway behind one load balancer needs the same one; in containers it comes from a secret in the
    /// environment (<c>Dialogue__SigningKey</c>). Empty: <c>signing.key</c> in the data directory, generated on
    /// the first start (gateways then share that folder).
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a gateway trusts its cached copy of a staff account: a disabled account's tokens stop working within this time.</summary>
    [Range(1, 60)]
    public int StaffAccountRecheckSeconds { get; set; } = 30;

    /// <summary>Days an invitation code stays valid.</summary>
    [Range(1, 90)]
    public int InvitationDays { get; set; } = 7;

    /// <summary>Failed logins in a row for one account before it waits (30 s, doubling with each further failure, at most 15 min).</summary>
    [Range(1, 1000)]
    public int StaffLoginFailuresBeforeBackoff { get; set; } = 5;

    /// <summary>Optional single sign-on: tokens of an OpenID Connect provider accepted beside the gateway's own.</summary>
    public OidcOptions Oidc { get; set; } = new();

    [Range(1, 100_000)]
    public int MaxTextLength { get; set; } = 2000;

    /// <summary>Token bucket per citizen: this many submissions a minute, refilled evenly.</summary>
    [Range(1, 10_000)]
    public int SubmissionsPerMinute { get; set; } = 5;

    /// <summary>Token bucket per citizen for votes: this many a minute, refilled evenly (a script voting every item at once is slowed).</summary>
    [Range(1, 1_000_000)]
    public int VotesPerMinute { get; set; } = 120;

    /// <summary>
    /// Difficulty of the proof of work an anonymous participant token costs (leading zero bits of a
    /// SHA-256); 0 turns it off. Each bit doubles the work: see docs/admission.md for what it costs.
    /// </summary>
    [Range(0, 32)]
    public int ParticipantProofBits { get; set; } = 16;

    /// <summary>Wrong join or invitation codes per client address in ten minutes before it gets 429 (right codes never count).</summary>
    [Range(1, 1_000_000)]
    public int AdmissionFailuresPerAddress { get; set; } = 30;

    /// <summary>Vote-burst flag: this many open-admission identities, new here, voting an item the same way within the window.</summary>
    [Range(2, 1_000_000)]
    public int VoteBurstMinVotes { get; set; } = 25;

    [Range(1, 86_400)]
    public int VoteBurstWindowSeconds { get; set; } = 120;

    /// <summary>An identity counts as new for the vote-burst flag this long after its first action in the consultation.</summary>
    [Range(1, 10_080)]
    public int VoteBurstNewIdentityMinutes { get; set; } = 10;

    public Consultations.Moderation.VoteBurstRule VoteBurstRule() => new(
        TimeSpan.FromSeconds(VoteBurstWindowSeconds), TimeSpan.FromMinutes(VoteBurstNewIdentityMinutes), VoteBurstMinVotes);

    /// <summary>Campaign-like label: this many distinct citizens posting near-identical texts within the window.</summary>
    [Range(2, 1_000_000)]
    public int CampaignMinCitizens { get; set; } = 5;

    [Range(1, 1440)]
    public int CampaignWindowMinutes { get; set; } = 10;

    /// <summary>Least similarity of two posts of one campaign (mean of word and character-trigram cosines); see docs/analysis.md.</summary>
    [Range(0.05, 1.0)]
    public double CampaignMinSimilarity { get; set; } = 0.6;

    public Analysis.Campaigns.CampaignOptions CampaignOptions() => new()
    {
        MinCitizens = CampaignMinCitizens,
        Window = TimeSpan.FromMinutes(CampaignWindowMinutes),
        MinSimilarity = CampaignMinSimilarity,
    };

    /// <summary>Attempts at <c>/api/auth/token</c>, <c>/api/auth/login</c> and <c>/api/auth/invitation</c> per client address and minute.</summary>
    [Range(1, 1_000_000)]
    public int StaffLoginsPerMinute { get; set; } = 20;

    /// <summary>
    /// New anonymous participants per client address: a burst of this many, refilled at a fifth of it a
    /// minute. A hall of a few thousand behind one venue NAT joins within minutes; one script cannot mint
    /// identities without end (admission codes and invitations are the stronger guard).
    /// </summary>
    [Range(1, 1_000_000)]
    public int ParticipantTokensPerAddress { get; set; } = 1000;

    /// <summary>
    /// New participants minted by the page without JavaScript (/lite) per client address: a burst of this
    /// many, refilled at a tenth of it a minute. That page cannot ask for the proof of work, so its budget is
    /// far below <see cref="ParticipantTokensPerAddress"/>; a venue's feature phones are a handful, not a hall.
    /// </summary>
    [Range(1, 1_000_000)]
    public int LiteIdentitiesPerAddress { get; set; } = 20;

    /// <summary>Requests per client address and minute to the expensive anonymous reads (exports, the live feed, log verification).</summary>
    [Range(1, 1_000_000)]
    public int AnonymousReadsPerMinute { get; set; } = 120;

    /// <summary>Reverse proxies whose X-Forwarded-For is believed (IP addresses); without them the socket's address counts.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>
    /// Shortest time between two recomputations of a consultation's topic groups while posts keep coming
    /// (a grouping that takes long stretches it to ten times its own duration). Once no post has come or
    /// changed for a second, a quarter of it (and twice the last duration) is enough: the burst is over, the
    /// CPU it used is free, and officials see the regrouped burst within seconds.
    /// </summary>
    [Range(1, 3600)]
    public int TopicsRecomputeSeconds { get; set; } = 10;

    /// <summary>
    /// Most published items one topic regrouping groups (the most voted, the newest and an even spread of
    /// the rest); the others are placed into the nearest group, so a regrouping's cost does not grow with
    /// the consultation.
    /// </summary>
    [Range(TopicBoard.MinItems, 1_000_000)]
    public int TopicsSampleSize { get; set; } = 3000;

    /// <summary>
    /// Suggest topics from the team's default taxonomy (infrastruktur, kesehatan, pendidikan, …) for untagged
    /// items until moderators have tagged two topics; suggestions only, labelled as coming from the default list.
    /// </summary>
    public bool DefaultTaxonomy { get; set; } = true;

    /// <summary>How often the retention job looks for closed consultations whose retention period is over.</summary>
    [Range(1, 1440)]
    public int RetentionCheckMinutes { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(AdminKey) && KeyStrength.Problem(AdminKey) is { } weak)
        {
            yield return new ValidationResult($"AdminKey {weak}", [nameof(AdminKey)]);
        }

        if (!string.IsNullOrWhiteSpace(SigningKey) && SigningKeyBytes(SigningKey) is null)
        {
            yield return new ValidationResult(
                $"SigningKey must be base64 of at least {MinSigningKeyBytes} random bytes (for example: openssl rand -base64 48).", [nameof(SigningKey)]);
        }

        if (Oidc.Authority is { Length: > 0 } authority)
        {
            if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || (uri.Scheme == "http" && !uri.IsLoopback))
            {
                yield return new ValidationResult("Oidc:Authority must be an https URL (http only on a loopback address).", [nameof(Oidc)]);
            }

            if (string.IsNullOrWhiteSpace(Oidc.Audience))
            {
                yield return new ValidationResult("Oidc:Audience is required with Oidc:Authority.", [nameof(Oidc)]);
            }
        }
    }

    /// <summary>HMAC-SHA256 keys shorter than its output would be the weakest link of every token.</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>The configured signing key's bytes, or null when it is not base64 of at least <see cref="MinSigningKeyBytes"/> bytes.</summary>
    public static byte[]? SigningKeyBytes(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key.Trim(), buffer, out var written) && written >= MinSigningKeyBytes ? buffer[..written] : null;
    }
}
