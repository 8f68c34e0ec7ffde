using System.Globalization;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

/// <summary>
/// The in-memory state of one consultation, rebuilt from the journal: items, votes, who submitted
/// what, and an index of items by the sequence number of their latest change. Plain rules, no
/// Orleans: applying the same events always gives the same state.
/// </summary>
public sealed class ConsultationLedger(ConsultationMode mode)
{
    private readonly Dictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<(string CitizenId, string ClientId), string> _bySubmission = [];
    private readonly SortedSet<long> _changeSeqs = [];
    private readonly Dictionary<long, Entry> _byChangeSeq = [];

    public ConsultationMode Mode { get; } = mode;

    public long LastSeq { get; private set; }

    public int ItemCount => _items.Count;

    /// <summary>Highest n of any "i{n}" item id seen, so new ids never collide after a failed append.</summary>
    public int HighestItemNumber { get; private set; }

    /// <summary>Applies one journal event; returns the item it changed, or null when it changed nothing.</summary>
    public Entry? Apply(long seq, DateTimeOffset at, ConsultationEvent e)
    {
        if (seq <= LastSeq)
        {
            throw new InvalidOperationException($"Event {seq} applied after {LastSeq}: the journal must be applied in order.");
        }

        LastSeq = seq;
        Entry? changed = e switch
        {
            ItemSubmitted s => AddItem(s, at),
            VoteCast v => ApplyVote(v),
            ItemStatusChanged c => ChangeStatus(c),
            _ => null,
        };
        if (changed is not null)
        {
            Touch(changed, seq);
        }

        return changed;
    }

    public Entry? Find(string itemId) => _items.GetValueOrDefault(itemId);

    public SubmitResult? FindSubmission(string citizenId, string clientId) =>
        _bySubmission.TryGetValue((citizenId, clientId), out var id) && _items.TryGetValue(id, out var item)
            ? new SubmitResult(SubmitOutcome.Repeat, item.Id, item.SubmitSeq, item.Status)
            : null;

    public IEnumerable<Entry> ItemsBy(string citizenId) => _items.Values.Where(i => i.CitizenId == citizenId);

    /// <summary>Items changed after <paramref name="afterSeq"/> that the viewer may see, oldest change first.</summary>
    public ItemPage Page(Viewer viewer, long afterSeq, int limit)
    {
        var views = new List<ItemView>(Math.Min(limit, 256));
        if (afterSeq >= LastSeq)
        {
            return new ItemPage(views, LastSeq, false);
        }

        var lastScanned = afterSeq;
        foreach (var seq in _changeSeqs.GetViewBetween(afterSeq + 1, long.MaxValue))
        {
            if (views.Count == limit)
            {
                return new ItemPage(views, lastScanned, true);
            }

            lastScanned = seq;
            var view = ViewFor(viewer, _byChangeSeq[seq]);
            if (view is not null)
            {
                views.Add(view);
            }
        }

        return new ItemPage(views, LastSeq, false);
    }

    /// <summary>What this viewer sees of the item, or null when they may not see it at all.</summary>
    public static ItemView? ViewFor(Viewer viewer, Entry item) =>
        viewer.Role != ViewerRole.Participant || item.CitizenId == viewer.CitizenId ? item.FullView() : item.PublicView();

    private Entry AddItem(ItemSubmitted s, DateTimeOffset at)
    {
        var item = new Entry(s.ItemId, s.CitizenId, s.Pseudonym, s.Text, at) { Status = s.Status };
        item.WasPublic = IsPublic(item.Status);
        _items.Add(item.Id, item);
        _bySubmission[(s.CitizenId, s.ClientId)] = item.Id;
        if (s.ItemId.StartsWith('i') && int.TryParse(s.ItemId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            HighestItemNumber = Math.Max(HighestItemNumber, n);
        }

        return item;
    }

    private Entry? ApplyVote(VoteCast v)
    {
        if (!_items.TryGetValue(v.ItemId, out var item))
        {
            return null;
        }

        var had = item.Votes.TryGetValue(v.CitizenId, out var old);
        if (had && old == v.Value)
        {
            return null;
        }

        if (had)
        {
            item.Count(Mode, old, -1);
        }

        // In Q&A, 0 withdraws the upvote; in deliberation, 0 is a "pass" and counts as seen.
        if (Mode == ConsultationMode.Qa && v.Value == 0)
        {
            item.Votes.Remove(v.CitizenId);
        }
        else
        {
            item.Votes[v.CitizenId] = v.Value;
            item.Count(Mode, v.Value, +1);
        }

        return item;
    }

    private Entry? ChangeStatus(ItemStatusChanged c)
    {
        if (!_items.TryGetValue(c.ItemId, out var item) || (item.Status == c.Status && item.Reason == c.Reason))
        {
            return null;
        }

        item.Status = c.Status;
        item.Reason = c.Reason;
        item.WasPublic |= IsPublic(c.Status);
        return item;
    }

    private void Touch(Entry item, long seq)
    {
        if (item.Seq != 0)
        {
            _changeSeqs.Remove(item.Seq);
            _byChangeSeq.Remove(item.Seq);
        }
        else
        {
            item.SubmitSeq = seq;
        }

        item.Seq = seq;
        _changeSeqs.Add(seq);
        _byChangeSeq[seq] = item;
    }

    public static bool IsPublic(ItemStatus status) => status is ItemStatus.Published or ItemStatus.Answered;

    /// <summary>One item and its votes (citizen id → value).</summary>
    public sealed class Entry(string id, string citizenId, string pseudonym, string text, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string CitizenId { get; } = citizenId;

        public string Pseudonym { get; } = pseudonym;

        public string Text { get; } = text;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public ItemStatus Status { get; set; }

        public string? Reason { get; set; }

        /// <summary>Once public, participants keep getting updates (a tombstone when it is hidden later).</summary>
        public bool WasPublic { get; set; }

        public long Seq { get; set; }

        public long SubmitSeq { get; set; }

        public Dictionary<string, int> Votes { get; } = new(StringComparer.Ordinal);

        public VoteTally Tally { get; private set; } = VoteTally.Empty;

        internal void Count(ConsultationMode mode, int value, int delta) =>
            Tally = value switch
            {
                1 when mode == ConsultationMode.Qa => Tally with { Up = Tally.Up + delta },
                1 => Tally with { Agree = Tally.Agree + delta },
                -1 => Tally with { Disagree = Tally.Disagree + delta },
                _ => Tally with { Pass = Tally.Pass + delta },
            };

        public ItemView FullView() => new(Id, Seq, Pseudonym, Text, Status, Tally, CreatedAt, IsPublic(Status), Reason);

        /// <summary>Null when participants never saw it; a text-less tombstone when it was public and is hidden now.</summary>
        public ItemView? PublicView() =>
            IsPublic(Status) ? FullView() with { RejectionReason = null }
            : WasPublic ? new ItemView(Id, Seq, Pseudonym, string.Empty, Status, VoteTally.Empty, CreatedAt, false)
            : null;
    }
}
