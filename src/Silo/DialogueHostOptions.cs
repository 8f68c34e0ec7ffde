using System.ComponentModel.DataAnnotations;

namespace OpenGov.Dialogue.Silo;

/// <summary>
/// The process's own settings: where it stores, how it joins a cluster and which ports it opens. Bound from the
/// same <c>Dialogue</c> section as <see cref="DialogueOptions"/> (the rules the grains enforce) and validated on start.
/// </summary>
public sealed class DialogueHostOptions : IValidatableObject
{
    public const string Section = DialogueOptions.Section;

    /// <summary>Folder for the embedded SQLite files and the generated keys.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    [RegularExpression("^(sqlite|postgres)$")]
    public string Storage { get; set; } = "sqlite";

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
    /// Cluster mode: how long a membership probe to another silo may take before it counts as missed
    /// (Orleans' <c>ClusterMembershipOptions.ProbeTimeout</c>). With <see cref="MembershipMissedProbes"/>
    /// it bounds how soon a silo that stopped answering is declared dead and its grains move.
    /// </summary>
    /// <remarks>5 s (Orleans' own default is 10 s): a dead silo's consultations are back within about
    /// 15–25 s instead of 30–40 s on a loaded machine; Orleans lengthens probes on a silo that judges
    /// itself degraded, so a busy silo is not declared dead for being slow.</remarks>
    [Range(1, 120)]
    public int MembershipProbeSeconds { get; set; } = 5;

    /// <summary>Missed probes in a row before a silo suspects another (Orleans' <c>NumMissedProbesLimit</c>).</summary>
    [Range(1, 10)]
    public int MembershipMissedProbes { get; set; } = 3;

    /// <summary>
    /// PostgreSQL connection string, from <c>ConnectionStrings:Dialogue</c> (the usual place for
    /// one); required when <see cref="Storage"/> is <c>postgres</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Erasures share scrubs of the grain-state store (a VACUUM), started at least this many seconds apart
    /// (<c>ScrubCoalescer</c>): an erasure returns within about this long plus one scrub, and erasures asked in a
    /// loop cannot keep the store vacuuming. 0 starts a scrub as soon as the previous one ends.
    /// </summary>
    [Range(0, 3600)]
    public int ScrubMinimumGapSeconds { get; set; } = 5;

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

    /// <summary>
    /// Port of the standalone silo's HTTP listener for monitoring: <c>/health/live</c>, <c>/health/ready</c> and
    /// <c>/metrics</c>, without authentication, for a private network only. 0 (the default) opens none. It binds
    /// like the Orleans ports: loopback when <see cref="AdvertisedHost"/> is a loopback address, every interface
    /// otherwise. A gateway ignores it (its own port serves health and, with a token, metrics).
    /// </summary>
    [Range(0, 65535)]
    public int SiloHttpPort { get; set; }

    /// <summary>
    /// Gateway: a second port that serves <c>/metrics</c> without authentication, for a Prometheus server on a
    /// private network; on the main port <c>/metrics</c> needs an admin token. 0 (the default) opens none. It binds
    /// like <see cref="SiloHttpPort"/>.
    /// </summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }

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
