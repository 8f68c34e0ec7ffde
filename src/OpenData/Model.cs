namespace OpenGov.Dialogue.OpenData;

/// <summary>The key/value rows of a Pol.is <c>summary.csv</c>.</summary>
public sealed record PolisSummary(string Topic, string Url, int Views, int Voters, int VotersInConv, int Commenters, int Comments, int Groups, string Description);

/// <summary>One row of <c>comments.csv</c>. Timestamp is Unix epoch milliseconds.</summary>
public sealed record PolisComment(long Timestamp, int CommentId, int AuthorId, int Agrees, int Disagrees, int Moderated, string Body);

/// <summary>One vote event of <c>votes.csv</c> (later changes of mind are further rows).</summary>
public sealed record PolisVote(long Timestamp, int CommentId, int VoterId, int Vote);

/// <summary>
/// One row of <c>participants-votes.csv</c>.
/// Votes: comment id -> latest vote (1, -1, 0); absent = never voted. GroupId null = not placed.
/// </summary>
public sealed record PolisParticipant(int Participant, int? GroupId, int NComments, int NVotes, int NAgree, int NDisagree, IReadOnlyDictionary<int, int> Votes)
{
    /// <summary>The optional <c>xid</c> column (external id); null when the file has no such column.</summary>
    public string? Xid { get; init; }
}

/// <summary>
/// A whole Pol.is export. Votes is null when the folder has no votes.csv (e.g. american-assembly.bowling-green)
/// or a header-only one (what the writer emits when Votes is null).
/// MatrixColumns = the comment-id columns of participants-votes.csv in file order.
/// </summary>
public sealed record PolisConversation(PolisSummary Summary, IReadOnlyList<PolisComment> Comments, IReadOnlyList<PolisVote>? Votes, IReadOnlyList<PolisParticipant> Participants, IReadOnlyList<int> MatrixColumns)
{
    /// <summary>True when participants-votes.csv carries the <c>xid</c> column after <c>participant</c>.</summary>
    public bool HasXidColumn => Participants.Count > 0 && Participants.Any(p => p.Xid is not null);
}

/// <summary>Package-level metadata written to <c>datapackage.json</c>.</summary>
/// <param name="Name">Lowercase package name: [a-z0-9._-] only.</param>
/// <param name="Licence">An SPDX-style licence id, e.g. "CC-BY-4.0".</param>
public sealed record DataPackageInfo(string Name, string Title, string Description, string? Homepage, string Licence, DateTimeOffset Created);

/// <summary>
/// The input breaks the Pol.is format. Line is the 1-based physical line, Column the 1-based field index;
/// both are 0 when the problem concerns the whole file (missing, too large before the first line).
/// </summary>
public sealed class PolisFormatException(string file, int line, int column, string message)
    : Exception($"{file} line {line} column {column}: {message}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>The problem alone, without the file/line/column prefix.</summary>
    public string Problem { get; } = message;
}

/// <summary>Limits against hostile input; exceeding any of them is a <see cref="PolisFormatException"/>.</summary>
public sealed record PolisLimits
{
    public static PolisLimits Default { get; } = new();

    /// <summary>No size limits: for local exports the operator chose (the evaluation commands, the load tool), not for uploads.</summary>
    public static PolisLimits LocalFiles { get; } = Default with
    {
        MaxComments = int.MaxValue, MaxVotes = int.MaxValue, MaxParticipants = int.MaxValue,
        MaxBodyChars = int.MaxValue, MaxFileBytes = long.MaxValue, MaxZipBytes = long.MaxValue,
    };

    public int MaxComments { get; init; } = 100_000;

    public int MaxVotes { get; init; } = 2_000_000;

    public int MaxParticipants { get; init; } = 200_000;

    public long MaxFileBytes { get; init; } = 20L * 1024 * 1024;

    public int MaxBodyChars { get; init; } = 10_000;

    /// <summary>Compressed size of a zip: four files at their limit compress to far less.</summary>
    public long MaxZipBytes { get; init; } = 100L * 1024 * 1024;
}
