using System.Globalization;
using OpenGov.Dialogue.OpenData;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// One Pol.is open-data conversation (<c>comments.csv</c> and <c>votes.csv</c>, see
/// ../shared/data/polis/README.md, read by the one Pol.is reader, <see cref="PolisReader"/>) as a
/// time-ordered list of events to replay, read at run time from the shared data folder and never
/// copied into the repository.
/// </summary>
public sealed class PolisTimeline(string folder, IReadOnlyList<PolisEvent> events, int comments, int moderatedOut, int emptySkipped, int repeatVotesSkipped, int votesWithoutComment)
{
    public const string DefaultConversation = "austria-climate.5twd2jsnkf.2022-08-08";

    public string Folder { get; } = folder;

    /// <summary>Comments and votes in timestamp order (a comment before votes of the same instant).</summary>
    public IReadOnlyList<PolisEvent> Events { get; } = events;

    public int Comments { get; } = comments;

    /// <summary>Comments the Pol.is moderators rejected (<c>moderated = -1</c>); they are replayed too.</summary>
    public int ModeratedOut { get; } = moderatedOut;

    public int EmptySkipped { get; } = emptySkipped;

    /// <summary>Vote events that repeat the voter's current vote: no change, so the server publishes nothing; left out.</summary>
    public int RepeatVotesSkipped { get; } = repeatVotesSkipped;

    /// <summary>Votes on a comment left out for its empty text (a vote on a comment not in comments.csv is a format error).</summary>
    public int VotesWithoutComment { get; } = votesWithoutComment;

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

    public static PolisTimeline Load(string folder)
    {
        var votesFile = Path.Combine(folder, PolisReader.VotesFile);
        if (!File.Exists(votesFile))
        {
            throw new FileNotFoundException($"{folder} has no votes.csv (only conversations with vote events can be replayed).", votesFile);
        }

        var raw = new List<PolisEvent>();
        var known = new HashSet<int>();
        var comments = 0;
        var moderatedOut = 0;
        var empty = 0;
        var read = PolisReader.ReadComments(folder, PolisLimits.LocalFiles);
        foreach (var comment in read)
        {
            var text = comment.Body.Trim();
            if (text.Length == 0)
            {
                empty++;
                continue;
            }

            known.Add(comment.CommentId);
            comments++;
            moderatedOut += comment.Moderated == -1 ? 1 : 0;
            raw.Add(new PolisEvent(comment.Timestamp, PolisEventKind.Comment, comment.CommentId, Id(comment.AuthorId), 0, text));
        }

        // Votes on a comment left out (an empty one) are left out too.
        var orphans = 0;
        foreach (var vote in PolisReader.ReadVotes(folder, read, PolisLimits.LocalFiles) ?? [])
        {
            if (!known.Contains(vote.CommentId))
            {
                orphans++;
                continue;
            }

            raw.Add(new PolisEvent(vote.Timestamp, PolisEventKind.Vote, vote.CommentId, Id(vote.VoterId), Math.Sign(vote.Vote), null));
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

        return new PolisTimeline(folder, events, comments, moderatedOut, empty, repeats, orphans);
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

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}

public enum PolisEventKind
{
    Comment = 0,
    Vote = 1,
}

/// <param name="Participant">Pol.is author or voter id (one id space).</param>
/// <param name="Vote">1 agree, -1 disagree, 0 pass (votes only).</param>
public sealed record PolisEvent(long Timestamp, PolisEventKind Kind, int CommentId, string Participant, int Vote, string? Text);
