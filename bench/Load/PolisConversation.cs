using System.Globalization;
using OpenGov.Dialogue.Analysis.Data;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// One Pol.is open-data conversation (<c>comments.csv</c> and <c>votes.csv</c>, see
/// ../shared/data/polis/README.md) as a time-ordered list of events, read at run time from the
/// shared data folder and never copied into the repository.
/// </summary>
public sealed class PolisConversation
{
    public const string DefaultConversation = "austria-climate.5twd2jsnkf.2022-08-08";

    private PolisConversation(string folder, IReadOnlyList<PolisEvent> events, int comments, int moderatedOut, int emptySkipped, int repeatVotesSkipped, int votesWithoutComment)
    {
        Folder = folder;
        Events = events;
        Comments = comments;
        ModeratedOut = moderatedOut;
        EmptySkipped = emptySkipped;
        RepeatVotesSkipped = repeatVotesSkipped;
        VotesWithoutComment = votesWithoutComment;
    }

    public string Folder { get; }

    /// <summary>Comments and votes in timestamp order (a comment before votes of the same instant).</summary>
    public IReadOnlyList<PolisEvent> Events { get; }

    public int Comments { get; }

    /// <summary>Comments the Pol.is moderators rejected (<c>moderated = -1</c>); they are replayed too.</summary>
    public int ModeratedOut { get; }

    public int EmptySkipped { get; }

    /// <summary>Vote events that repeat the voter's current vote: no change, so the server publishes nothing; left out.</summary>
    public int RepeatVotesSkipped { get; }

    public int VotesWithoutComment { get; }

    public int Votes => Events.Count - Comments;

    public int Participants => Events.Select(e => e.Participant).Distinct().Count();

    /// <summary>
    /// The conversation folder: <c>--data DIR</c> when it holds comments.csv, else
    /// <c>DIR/&lt;conversation&gt;</c>; without <c>--data</c>, <c>shared/data/polis/&lt;conversation&gt;</c>
    /// beside the repository (found by walking up from the working and the tool's folder).
    /// </summary>
    public static string Locate(string? data, string conversation)
    {
        if (data is not null)
        {
            var folder = File.Exists(Path.Combine(data, "comments.csv")) ? data : Path.Combine(data, conversation);
            return File.Exists(Path.Combine(folder, "comments.csv"))
                ? folder
                : throw new FileNotFoundException($"No comments.csv in {data} or {folder}.");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "polis", conversation);
                if (File.Exists(Path.Combine(candidate, "comments.csv")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"Pol.is conversation '{conversation}' not found under shared/data/polis beside the repository; pass --data DIR.");
    }

    public static PolisConversation Load(string folder)
    {
        var votesFile = Path.Combine(folder, "votes.csv");
        if (!File.Exists(votesFile))
        {
            throw new FileNotFoundException($"{folder} has no votes.csv (only conversations with vote events can be replayed).", votesFile);
        }

        var raw = new List<PolisEvent>();
        var known = new HashSet<int>();
        var comments = 0;
        var moderatedOut = 0;
        var empty = 0;
        foreach (var row in Rows(Path.Combine(folder, "comments.csv"), "timestamp", "comment-id", "author-id", "moderated", "comment-body"))
        {
            var text = row[4].Trim();
            if (text.Length == 0)
            {
                empty++;
                continue;
            }

            var id = Int(row[1]);
            known.Add(id);
            comments++;
            moderatedOut += row[3] == "-1" ? 1 : 0;
            raw.Add(new PolisEvent(Long(row[0]), PolisEventKind.Comment, id, row[2], 0, text));
        }

        var orphans = 0;
        foreach (var row in Rows(votesFile, "timestamp", "comment-id", "voter-id", "vote"))
        {
            var id = Int(row[1]);
            if (!known.Contains(id))
            {
                orphans++;
                continue;
            }

            raw.Add(new PolisEvent(Long(row[0]), PolisEventKind.Vote, id, row[2], Math.Sign(Int(row[3])), null));
        }

        // Stable: equal timestamps keep file order, comments (read first) before votes.
        var ordered = raw.Select((e, i) => (e, i)).OrderBy(x => x.e.Timestamp).ThenBy(x => x.e.Kind).ThenBy(x => x.i).Select(x => x.e);
        var current = new Dictionary<(string, int), int>();
        var events = new List<PolisEvent>(raw.Count);
        var repeats = 0;
        foreach (var e in ordered)
        {
            if (e.Kind == PolisEventKind.Vote)
            {
                if (current.TryGetValue((e.Participant, e.CommentId), out var v) && v == e.Vote)
                {
                    repeats++;
                    continue;
                }

                current[(e.Participant, e.CommentId)] = e.Vote;
            }

            events.Add(e);
        }

        return new PolisConversation(folder, events, comments, moderatedOut, empty, repeats, orphans);
    }

    /// <summary>
    /// Replay offsets in seconds: real gaps divided by <paramref name="speedup"/>, each gap at most
    /// <paramref name="maxGapSeconds"/> (nights and months of silence collapse; bursts keep their shape).
    /// </summary>
    public double[] Offsets(double speedup, double maxGapSeconds)
    {
        var offsets = new double[Events.Count];
        for (var i = 1; i < offsets.Length; i++)
        {
            offsets[i] = offsets[i - 1] + Math.Min((Events[i].Timestamp - Events[i - 1].Timestamp) / 1000.0 / speedup, maxGapSeconds);
        }

        return offsets;
    }

    /// <summary>The smallest speedup (bisection, bounded) at which the replay lasts at most <paramref name="seconds"/>.</summary>
    public double SpeedupFor(double seconds, double maxGapSeconds)
    {
        double Duration(double f) => Events.Count < 2 ? 0 : Offsets(f, maxGapSeconds)[^1];
        if (Duration(1) <= seconds)
        {
            return 1;
        }

        double lo = 1, hi = 1e12;
        for (var i = 0; i < 200 && hi / lo > 1.001; i++)
        {
            var mid = Math.Sqrt(lo * hi);
            (lo, hi) = Duration(mid) > seconds ? (mid, hi) : (lo, mid);
        }

        return hi;
    }

    /// <summary>Reads the named columns of a CSV file with a header (RFC 4180: quoted fields may hold commas, quotes and newlines).</summary>
    public static IEnumerable<string[]> Rows(string path, params string[] columns)
    {
        var table = CsvTable.Load(path);
        var index = columns.Select(table.Column).ToArray();
        return table.Rows.Select(row => index.Select(i => row[i]).ToArray());
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static long Long(string s) => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
}

public enum PolisEventKind
{
    Comment = 0,
    Vote = 1,
}

/// <param name="Participant">Pol.is author or voter id (one id space).</param>
/// <param name="Vote">1 agree, -1 disagree, 0 pass (votes only).</param>
public sealed record PolisEvent(long Timestamp, PolisEventKind Kind, int CommentId, string Participant, int Vote, string? Text);
