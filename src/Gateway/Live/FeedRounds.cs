using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>The batches a consultation's audiences have not all been sent yet, by position.</summary>
internal sealed class Backlog
{
    private readonly List<ChangeBatch> _batches = [];
    private long _first;

    /// <summary>The position after the newest batch.</summary>
    public long End => _first + _batches.Count;

    public void Add(ChangeBatch batch) => _batches.Add(batch);

    public IEnumerable<ChangeBatch> Since(long position) => _batches.Skip((int)(position - _first));

    /// <summary>Forgets the batches every audience has been sent.</summary>
    public void DropBefore(long position)
    {
        _batches.RemoveRange(0, (int)(position - _first));
        _first = position;
    }
}

/// <summary>
/// Batches merged into one frame's content: the newest full view and the newest vote count per
/// item (a vote count older than the view is dropped), in sequence order; every notification; the
/// newest presenter frame, opinion summary and topic groups.
/// </summary>
internal sealed class Round
{
    private readonly Dictionary<string, ItemChange> _views = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ItemChange> _votes = new(StringComparer.Ordinal);

    public ItemChange[] Full { get; private set; } = [];
    public ItemView[] StaffViews { get; private set; } = [];
    public ItemView[] PublicViews { get; private set; } = [];
    public VoteUpdate[] Votes { get; private set; } = [];
    public List<NotificationDelivery> Notifications { get; } = [];
    public PresenterFrame? Presenter { get; private set; }
    public OpinionView? Opinion { get; private set; }
    public OpinionView? PublicOpinion { get; private set; }

    /// <summary>The newest topic groups: staff and officials only.</summary>
    public TopicsView? Topics { get; private set; }
    public ConsultationInfo? Consultation { get; private set; }
    public ModerationLogEntry[] Log { get; private set; } = [];

    /// <summary>The highest seq the merged batches cover, hidden changes included.</summary>
    public long MaxSeq { get; private set; }

    // The window of the backlog merged last: the next audience usually has the same one.
    private (long From, long To) _merged = (-1, -1);

    /// <summary>Merges the backlog from <paramref name="from"/> to its end, unless that is the window merged last.</summary>
    public void Merge(Backlog backlog, long from)
    {
        if (_merged == (from, backlog.End))
        {
            return;
        }

        _merged = (from, backlog.End);
        _views.Clear();
        _votes.Clear();
        Notifications.Clear();
        Presenter = null;
        Opinion = null;
        Topics = null;
        Consultation = null;
        var log = new List<ModerationLogEntry>();
        MaxSeq = 0;
        foreach (var batch in backlog.Since(from))
        {
            foreach (var change in batch.Items)
            {
                if (change.Votes is null)
                {
                    _views[change.ItemId] = change;
                    _votes.Remove(change.ItemId);
                }
                else
                {
                    _votes[change.ItemId] = change;
                }
            }

            Notifications.AddRange(batch.Notifications);
            Presenter = batch.Presenter ?? Presenter;
            Opinion = batch.Opinion ?? Opinion;
            Topics = batch.Topics ?? Topics;
            Consultation = batch.Consultation ?? Consultation;
            log.AddRange(batch.Log);
            foreach (var change in batch.Items)
            {
                MaxSeq = Math.Max(MaxSeq, change.Seq);
            }

            foreach (var entry in batch.Log)
            {
                MaxSeq = Math.Max(MaxSeq, entry.Seq);
            }

            MaxSeq = Math.Max(MaxSeq, batch.Consultation?.LastSeq ?? 0);
        }

        Full = [.. _views.Values.OrderBy(c => c.Seq)];
        StaffViews = [.. Full.Select(c => c.Staff!)];
        PublicViews = [.. Full.Where(c => c.Public is not null).Select(c => c.Public!)];
        Votes = [.. _votes.Values.OrderBy(c => c.Seq).Select(c => c.Votes!)];
        PublicOpinion = Opinion?.ForParticipant();
        Log = [.. log];
    }
}


/// <summary>
/// The hub messages of one sweep, by the backlog position an audience or a lagging connection has been
/// sent up to: built and serialised once, then written to every connection at that position (an
/// audience in step is the usual case: one serialisation per protocol for the whole hall).
/// </summary>
internal sealed class LiveFrames(string consultationId, Backlog backlog)
{
    private readonly Round _round = new();
    private readonly Dictionary<(long From, LiveAudience Audience), SerializedHubMessage[]> _built = [];
    private long _end = -1;

    /// <summary>The merged round from <paramref name="from"/> to the backlog's end (the feed's own step reads it).</summary>
    public Round Round(long from)
    {
        _round.Merge(backlog, from);
        return _round;
    }

    public IReadOnlyList<SerializedHubMessage> For(long from, LiveAudience audience)
    {
        if (_end != backlog.End)
        {
            _built.Clear();
            _end = backlog.End;
        }

        if (!_built.TryGetValue((from, audience), out var messages))
        {
            messages = Build(Round(from), audience);
            _built[(from, audience)] = messages;
        }

        return messages;
    }

    private SerializedHubMessage[] Build(Round round, LiveAudience audience)
    {
        var messages = new List<SerializedHubMessage>(4);
        var views = audience == LiveAudience.Staff ? round.StaffViews : round.PublicViews;
        if (audience == LiveAudience.Presenter)
        {
            if (round.Presenter is not null)
            {
                messages.Add(Message("presenter", round.Presenter));
            }

            return [.. messages];
        }

        if (views.Length > 0 || round.Votes.Length > 0)
        {
            messages.Add(Message("changes", consultationId, views, round.Votes));
        }

        var opinion = audience == LiveAudience.Public ? round.PublicOpinion : round.Opinion;
        if (opinion is not null)
        {
            messages.Add(Message("opinion", opinion));
        }

        if (round.Consultation is not null)
        {
            messages.Add(Message("consultation", round.Consultation));
        }

        if (audience != LiveAudience.Public && round.Topics is not null)
        {
            messages.Add(Message("topics", round.Topics));
        }

        if (audience != LiveAudience.Public && round.Log.Length > 0)
        {
            messages.Add(Message("log", consultationId, round.Log));
        }

        return [.. messages];
    }

    private static SerializedHubMessage Message(string target, params object?[] arguments) =>
        new(new InvocationMessage(target, arguments));
}
