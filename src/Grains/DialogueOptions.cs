using System.ComponentModel.DataAnnotations;

namespace OpenGov.Dialogue;

/// <summary>
/// Every setting under the <c>Dialogue</c> configuration section, bound once and validated on start.
/// </summary>
public sealed class DialogueOptions
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

    /// <summary>Attempts at <c>POST /api/auth/token</c> per client address and minute (guessing the admin key).</summary>
    [Range(1, 1_000_000)]
    public int StaffLoginsPerMinute { get; set; } = 20;

    /// <summary>Orleans ServiceId: storage rows are keyed by it, so it must not change between runs.</summary>
    [Required]
    public string ServiceId { get; set; } = "opengov-dialogue";

    [Required]
    public string ClusterId { get; set; } = "dialogue";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;
}
