using System.ComponentModel.DataAnnotations;
using OpenGov.Dialogue.Consultations.Topics;

namespace OpenGov.Dialogue;

/// <summary>
/// Every setting under the <c>Dialogue</c> configuration section, bound once and validated on start.
/// </summary>
public sealed class DialogueOptions : IValidatableObject
{
    public const string Section = "Dialogue";

    /// <summary>Folder for the embedded SQLite files and the generated keys.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    [RegularExpression("^(sqlite|postgres)$")]
    public string Storage { get; set; } = "sqlite";

    /// <summary>Key that staff exchange for a token; generated on first start when empty.</summary>
    public string? AdminKey { get; set; }

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

    public Consultations.VoteBurstRule VoteBurstRule() => new(
        TimeSpan.FromSeconds(VoteBurstWindowSeconds), TimeSpan.FromMinutes(VoteBurstNewIdentityMinutes), VoteBurstMinVotes);

    /// <summary>Attempts at <c>POST /api/auth/token</c> per client address and minute (guessing the admin key).</summary>
    [Range(1, 1_000_000)]
    public int StaffLoginsPerMinute { get; set; } = 20;

    /// <summary>
    /// New anonymous participants per client address: a burst of this many, refilled at a fifth of it a
    /// minute. A hall of a few thousand behind one venue NAT joins within minutes; one script cannot mint
    /// identities without end (admission codes and invitations are the stronger guard).
    /// </summary>
    [Range(1, 1_000_000)]
    public int ParticipantTokensPerAddress { get; set; } = 1000;

    /// <summary>Requests per client address and minute to the expensive anonymous reads (exports, the live feed, log verification).</summary>
    [Range(1, 1_000_000)]
    public int AnonymousReadsPerMinute { get; set; } = 120;

    /// <summary>Reverse proxies whose X-Forwarded-For is believed (IP addresses); without them the socket's address counts.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>
    /// Shortest time between two recomputations of a consultation's topic groups (when something
    /// changed); a grouping that takes long stretches it to ten times its own duration.
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

    /// <summary>Orleans ServiceId: storage rows are keyed by it, so it must not change between runs.</summary>
    [Required]
    public string ServiceId { get; set; } = "opengov-dialogue";

    [Required]
    public string ClusterId { get; set; } = "dialogue";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// PostgreSQL connection string, from <c>ConnectionStrings:Dialogue</c> (the usual place for
    /// one); required when <see cref="Storage"/> is <c>postgres</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply the PostgreSQL migrations on start (under an advisory lock, so several processes may).</summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>
    /// The Gateway co-hosts a silo (default). <c>false</c> makes it a pure Orleans client that finds
    /// the silos through the membership table, so it needs <c>postgres</c>.
    /// </summary>
    public bool CoHostSilo { get; set; } = true;

    /// <summary>
    /// Address (or host name) other silos and clients use to reach this silo in a PostgreSQL cluster.
    /// Loopback suits one machine; in containers use the container's host name.
    /// </summary>
    [Required]
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// A PKCS#12 file with the certificate every silo and gateway of the deployment shares: when set, the Orleans
    /// ports speak mutual TLS and accept only peers with this certificate (see docs/postgres.md). Empty: plain TCP,
    /// so keep those ports on a private network.
    /// </summary>
    public string? ClusterCertificatePath { get; set; }

    public string? ClusterCertificatePassword { get; set; }

    /// <summary>How often the retention job looks for closed consultations whose retention period is over.</summary>
    [Range(1, 1440)]
    public int RetentionCheckMinutes { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Storage == "postgres" && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Storage 'postgres' needs the connection string ConnectionStrings:Dialogue.", [nameof(ConnectionString)]);
        }

        if (!CoHostSilo && Storage != "postgres")
        {
            yield return new ValidationResult("CoHostSilo=false (a gateway without its own silo) needs Storage 'postgres' for the cluster membership table.", [nameof(CoHostSilo)]);
        }
    }
}
