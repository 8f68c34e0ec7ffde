using System.Globalization;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

/// <summary>
/// The in-memory state of one consultation, rebuilt from the journal: items, votes, who submitted
/// what, moderation state, the public log, and an index of items by the sequence number of their
/// latest change. Plain rules, no Orleans: applying the same events always gives the same state.
/// </summary>
public sealed class ConsultationLedger(ConsultationMode mode, VoteBurstRule? burstRule = null)
{
    private readonly Dictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<(string CitizenId, string ClientId), string> _bySubmission = [];
    private readonly SortedSet<long> _changeSeqs = [];

    // One event can change several items (a merge, a highlight, a bulk claim): they share its seq.
    private readonly Dictionary<long, List<Entry>> _byChangeSeq = [];
    private readonly List<ModerationLogEntry> _log = [];
    private readonly Dictionary<string, int> _logCounts = new(StringComparer.Ordinal);
    private readonly CitizenNumbers _citizens = new();
    private readonly HashSet<string> _erased = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Sanction> _sanctions = new(StringComparer.Ordinal);

    // How each citizen (by number) was admitted; open when absent (the common case costs nothing).
    private readonly Dictionary<int, AdmissionMode> _admission = [];
    private readonly VoteBurstWatch? _bursts = burstRule is null ? null : new VoteBurstWatch(burstRule);

    /// <summary>What an erased item's text becomes, in every view and export.</summary>
    public const string ErasedText = "[dihapus atas permintaan penulis]";

    /// <summary>Prefixes of the ids that replace citizen ids on erasure and anonymisation.</summary>
    public const string ErasedPrefix = "erased-";
    public const string AnonymousPrefix = "anon-";

    public ConsultationMode Mode { get; } = mode;

    public long LastSeq { get; private set; }

    public int ItemCount => _items.Count;

    /// <summary>How many items wait for review (the length of <see cref="Queue"/>), kept as items change so reading it costs nothing.</summary>
    public int QueueLength { get; private set; }

    /// <summary>Highest n of any "i{n}" item id seen, so new ids never collide after a failed append.</summary>
    public int HighestItemNumber { get; private set; }

    public string? HighlightedId { get; private set; }

    public IReadOnlyList<ModerationLogEntry> Log => _log;

    public string LastLogHash => _log.Count == 0 ? ModerationLog.Genesis : _log[^1].Hash;

    /// <summary>Counts per action and per "reject:reason", public.</summary>
    public IReadOnlyDictionary<string, int> LogCounts => _logCounts;

    public IEnumerable<Entry> Items => _items.Values;

    /// <summary>Applies one journal event; returns the items it changed (none when it changed nothing).</summary>
    public IReadOnlyList<Entry> Apply(long seq, DateTimeOffset at, ConsultationEvent e)
    {
        if (seq <= LastSeq)
        {
            throw new InvalidOperationException($"Event {seq} applied after {LastSeq}: the journal must be applied in order.");
        }

        LastSeq = seq;
        IReadOnlyList<Entry> changed = e switch
        {
            ItemSubmitted s => [AddItem(s, at)],
            VoteCast v => ApplyVote(v, at, seq),
            ItemsClaimed c => Claim(c),
            ItemsReleased r => Release(r.ItemIds, r.By),
            Moderated m => Moderate(m),
            ContributionsErased erased => Erase(erased),
            IdentitiesAnonymised => Anonymise(),
            _ => [],
        };
        foreach (var item in changed)
        {
            Touch(item, seq);
        }

        return changed;
    }

    public Entry? Find(string itemId) => _items.GetValueOrDefault(itemId);

    /// <summary>The citizen's number here (the order they first appeared): the pseudonymous participant id of exports.</summary>
    public int? NumberOf(string citizenId) => _citizens.TryFind(citizenId, out var n) ? n : null;

    /// <summary>Ids that stand for erased citizens: their votes are withdrawn and never exported.</summary>
    public bool IsErased(string citizenId) => _erased.Contains(citizenId);

    /// <summary>Whether any citizen id here still names a real citizen (not erased, not anonymised).</summary>
    public bool HasIdentities => _citizens.All().Any(c => !IsReplacement(c.Id));

    public static bool IsReplacement(string citizenId) =>
        citizenId.StartsWith(ErasedPrefix, StringComparison.Ordinal) || citizenId.StartsWith(AnonymousPrefix, StringComparison.Ordinal);

    /// <summary>Every vote now held: (citizen number, item, value).</summary>
    public IEnumerable<(int Citizen, Entry Item, int Value)> AllVotes()
    {
        foreach (var item in _items.Values)
        {
            foreach (var (citizen, value) in item.Votes)
            {
                yield return (citizen, item, value);
            }
        }
    }

    /// <summary>The citizen's votes now held, by item.</summary>
    public IEnumerable<(Entry Item, int Value)> VotesBy(string citizenId)
    {
        if (!_citizens.TryFind(citizenId, out var number))
        {
            yield break;
        }

        foreach (var item in _items.Values)
        {
            if (item.Votes.TryGetValue(number, out var value))
            {
                yield return (item, value);
            }
        }
    }

    public SubmitResult? FindSubmission(string citizenId, string clientId) =>
        _bySubmission.TryGetValue((citizenId, clientId), out var id) && _items.TryGetValue(id, out var item)
            ? new SubmitResult(SubmitOutcome.Repeat, item.Id, item.SubmitSeq, item.SubmitStatus)
            : null;

    /// <summary>Whether a vote of <paramref name="value"/> would change anything (a vote that changes nothing is never written).</summary>
    public bool WouldChange(Entry item, string citizenId, int value) =>
        VoteOf(item, citizenId) is { } current ? current != value : !(Mode == ConsultationMode.Qa && value == 0);

    /// <summary>The mute or ban of a citizen here, if any (enforced by the consultation itself, from its journal).</summary>
    public Sanction? SanctionOf(string citizenId) => _sanctions.GetValueOrDefault(citizenId);

    /// <summary>The citizen's current vote on the item, if they have one.</summary>
    public int? VoteOf(Entry item, string citizenId) =>
        _citizens.TryFind(citizenId, out var citizen) && item.Votes.TryGetValue(citizen, out var value) ? value : null;

    /// <summary>Everyone with a vote on the item.</summary>
    public IEnumerable<string> VotersOf(Entry item)
    {
        foreach (var (citizen, _) in item.Votes)
        {
            yield return _citizens.IdOf(citizen);
        }
    }

    public IEnumerable<Entry> ItemsBy(string citizenId) => _items.Values.Where(i => i.CitizenId == citizenId);

    /// <summary>Items changed after <paramref name="afterSeq"/> that the viewer may see, oldest change first.</summary>
    public ItemPage Page(Viewer viewer, long afterSeq, int limit, DateTimeOffset now)
    {
        var views = new List<ItemView>(Math.Min(limit, 256));
        if (afterSeq >= LastSeq)
        {
            return new ItemPage(views, LastSeq, false);
        }

        var lastScanned = afterSeq;
        foreach (var seq in _changeSeqs.GetViewBetween(afterSeq + 1, long.MaxValue))
        {
            // Pages end between sequence numbers, never inside one, so resuming after LastSeq misses nothing.
            if (views.Count >= limit)
            {
                return new ItemPage(views, lastScanned, true);
            }

            lastScanned = seq;
            foreach (var item in _byChangeSeq[seq])
            {
                if (ViewFor(viewer, item, now) is { } view)
                {
                    views.Add(view);
                }
            }
        }

        return new ItemPage(views, LastSeq, false);
    }

    /// <summary>Items changed after <paramref name="afterSeq"/>, oldest change first, and the seq the list reaches (<see cref="LastSeq"/> when complete).</summary>
    public (List<Entry> Items, long Through) ChangedSince(long afterSeq, int limit)
    {
        var items = new List<Entry>(Math.Min(limit, 256));
        if (afterSeq >= LastSeq)
        {
            return (items, LastSeq);
        }

        var lastScanned = afterSeq;
        foreach (var seq in _changeSeqs.GetViewBetween(afterSeq + 1, long.MaxValue))
        {
            if (items.Count >= limit)
            {
                return (items, lastScanned);
            }

            lastScanned = seq;
            items.AddRange(_byChangeSeq[seq]);
        }

        return (items, LastSeq);
    }

    /// <summary>What this viewer sees of the item, or null when they may not see it at all.</summary>
    public static ItemView? ViewFor(Viewer viewer, Entry item, DateTimeOffset now) => viewer.Role switch
    {
        ViewerRole.Moderator or ViewerRole.Admin => item.StaffView(now),
        _ when viewer.CitizenId is not null && item.CitizenId == viewer.CitizenId => item.OwnView(),
        _ => item.PublicView(),
    };

    /// <summary>The queue: items waiting for review, highest triage score first, then oldest.</summary>
    public IEnumerable<Entry> Queue() =>
        _items.Values.Where(i => i.NeedsReview).OrderByDescending(i => i.Triage.Score).ThenBy(i => i.SubmitSeq);

    public static bool IsPublic(ItemStatus status) => status is ItemStatus.Published or ItemStatus.Answered;

    /// <summary>Participants and each public item's voters by how they were admitted.</summary>
    public AdmissionTallies AdmissionTallies(AdmissionMode mode)
    {
        var participants = AdmissionCount.Zero;
        foreach (var (number, id) in _citizens.All())
        {
            if (!IsErased(id))
            {
                participants = participants.Add(AdmissionOf(number));
            }
        }

        var items = new List<ItemAdmission>();
        foreach (var item in _items.Values.Where(i => IsPublic(i.Status)).OrderBy(i => i.SubmitSeq))
        {
            var voters = AdmissionCount.Zero;
            foreach (var (citizen, _) in item.Votes)
            {
                voters = voters.Add(AdmissionOf(citizen));
            }

            items.Add(new ItemAdmission(item.Id, item.Tally, voters));
        }

        return new AdmissionTallies(mode, participants, items);
    }

    private AdmissionMode AdmissionOf(int citizen) => _admission.GetValueOrDefault(citizen, AdmissionMode.Open);

    private void Admit(int citizen, AdmissionMode mode, DateTimeOffset at)
    {
        // A citizen id comes from one token, so its admission never changes; the first one recorded stands.
        if (mode != AdmissionMode.Open)
        {
            _admission.TryAdd(citizen, mode);
        }

        _bursts?.Seen(citizen, at);
    }

    private Entry AddItem(ItemSubmitted s, DateTimeOffset at)
    {
        Admit(_citizens.Of(s.CitizenId), s.Admission, at);
        var citizenId = _citizens.Intern(s.CitizenId);
        var item = new Entry(s.ItemId, citizenId, s.Pseudonym, s.Text, at, s.Status)
        {
            Triage = s.Triage ?? TriageResult.None,
        };
        item.WasPublic = IsPublic(item.Status);
        _items.Add(item.Id, item);
        QueueLength += item.NeedsReview ? 1 : 0;
        _bySubmission[(citizenId, s.ClientId)] = item.Id;
        if (s.ItemId.StartsWith('i') && int.TryParse(s.ItemId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            HighestItemNumber = Math.Max(HighestItemNumber, n);
        }

        return item;
    }

    private Entry[] ApplyVote(VoteCast v, DateTimeOffset at, long seq)
    {
        var citizen = _citizens.Of(v.CitizenId);
        if (!_items.TryGetValue(v.ItemId, out var item) || (!v.Imported && !IsPublic(item.Status)) || !SetVote(item, citizen, v.Value))
        {
            return [];
        }

        Admit(citizen, v.Admission, at);
        if (!v.Imported && _bursts?.Observe(item.Id, citizen, v.Value, AdmissionOf(citizen), at, seq) is { } burst
            && (item.Burst is null || burst.At - item.Burst.At > _bursts.Rule.Window))
        {
            // Flagged once per window: moderators see it appear, not a new flag per vote.
            item.Burst = burst;
        }

        return [item];
    }

    private bool SetVote(Entry item, int citizen, int value)
    {
        var had = item.Votes.TryGetValue(citizen, out var old);
        if ((had && old == value) || (!had && Mode == ConsultationMode.Qa && value == 0))
        {
            // Nothing moves: the same vote again, or withdrawing an upvote never given.
            return false;
        }

        if (had)
        {
            item.Count(Mode, old, -1);
        }

        // In Q&A, 0 withdraws the upvote; in deliberation, 0 is a "pass" and counts as seen.
        if (Mode == ConsultationMode.Qa && value == 0)
        {
            item.Votes.Remove(citizen);
        }
        else
        {
            item.Votes.Set(citizen, value);
            item.Count(Mode, value, +1);
        }

        return true;
    }

    private List<Entry> Claim(ItemsClaimed c)
    {
        var changed = new List<Entry>();
        foreach (var id in c.ItemIds)
        {
            if (_items.TryGetValue(id, out var item))
            {
                item.ClaimedBy = c.By;
                item.ClaimedByName = c.ByName;
                item.ClaimedUntil = c.Until;
                changed.Add(item);
            }
        }

        return changed;
    }

    private List<Entry> Release(IEnumerable<string> ids, string by)
    {
        var changed = new List<Entry>();
        foreach (var id in ids)
        {
            if (_items.TryGetValue(id, out var item) && item.ClaimedBy == by)
            {
                item.ClaimedBy = null;
                item.ClaimedByName = null;
                item.ClaimedUntil = null;
                changed.Add(item);
            }
        }

        return changed;
    }

    private IReadOnlyList<Entry> Moderate(Moderated m)
    {
        var log = m.Log;
        AddLog(log);
        if (m is { CitizenId: { } sanctioned, Sanction: { } sanction })
        {
            _sanctions[sanctioned] = sanction;
        }

        if (log.ItemId is null || !_items.TryGetValue(log.ItemId, out var item))
        {
            return [];
        }

        switch (log.Action)
        {
            case ModerationActions.Approve:
                Decide(item, ItemStatus.Published);
                item.Reason = null;
                item.Note = null;
                return [item];
            case ModerationActions.Reject:
                Decide(item, ItemStatus.Rejected);
                item.Reason = log.Reason;
                item.Note = m.Note;
                return [item];
            case ModerationActions.Archive:
                Decide(item, ItemStatus.Archived);
                return [item];
            case ModerationActions.MarkAnswered:
                Decide(item, ItemStatus.Answered);
                return [item];
            case ModerationActions.Edit when m.Text is not null:
                item.OriginalText ??= item.Text;
                item.Text = m.Text;
                return [item];
            case ModerationActions.Tag:
                item.Tags = [.. (m.Tags ?? []).Distinct(StringComparer.Ordinal)];
                return [item];
            case ModerationActions.Pin or ModerationActions.Unpin:
                item.Pinned = log.Action == ModerationActions.Pin;
                return [item];
            case ModerationActions.Highlight:
                return Highlight(item);
            case ModerationActions.Unhighlight:
                item.Highlighted = false;
                HighlightedId = HighlightedId == item.Id ? null : HighlightedId;
                return [item];
            case ModerationActions.Merge when log.TargetId is not null && _items.TryGetValue(log.TargetId, out var target):
                return Merge(item, target);
            case ModerationActions.Answer when m.Answer is not null:
                item.Answer = m.Answer;
                if (item.Status == ItemStatus.Published)
                {
                    item.Status = ItemStatus.Answered;
                }

                return [item];
            case ModerationActions.Appeal:
                item.Appealed = true;
                item.AppealText = m.Text;
                QueueLength += item.NeedsReview ? 0 : 1;
                item.NeedsReview = true;
                return [item];
            default:
                return [];
        }
    }

    private void Decide(Entry item, ItemStatus status)
    {
        QueueLength -= item.NeedsReview ? 1 : 0;
        item.Status = status;
        item.WasPublic |= IsPublic(status);
        item.NeedsReview = false;
        item.ClaimedBy = null;
        item.ClaimedByName = null;
        item.ClaimedUntil = null;
    }

    private List<Entry> Highlight(Entry item)
    {
        var changed = new List<Entry> { item };
        if (HighlightedId is { } previous && previous != item.Id && _items.TryGetValue(previous, out var old))
        {
            old.Highlighted = false;
            changed.Add(old);
        }

        item.Highlighted = true;
        HighlightedId = item.Id;
        return changed;
    }

    /// <summary>The duplicate's votes move to the target; a citizen who voted on both keeps their vote on the target only.</summary>
    private Entry[] Merge(Entry source, Entry target)
    {
        foreach (var (citizen, value) in source.Votes)
        {
            if (!target.Votes.Contains(citizen))
            {
                SetVote(target, citizen, value);
            }

            source.Count(Mode, value, -1);
        }

        source.Votes.Clear();
        target.Followers.Add(source.CitizenId);
        target.Followers.UnionWith(source.Followers);
        target.Followers.Remove(target.CitizenId);
        Decide(source, ItemStatus.Merged);
        source.MergedInto = target.Id;
        return [source, target];
    }

    /// <summary>
    /// Withdraws the citizen's votes, replaces their texts and gives their number to the replacement id.
    /// On replay after the journal rewrite the rows already carry the replacement id, and the same steps
    /// find nothing left to change but the texts' flags.
    /// </summary>
    private List<Entry> Erase(ContributionsErased e)
    {
        if (e.Log is { } log)
        {
            AddLog(log);
        }

        var id = e.CitizenId ?? e.ErasedAs;
        _erased.Add(e.ErasedAs);
        var changed = new List<Entry>();
        if (_citizens.TryFind(id, out var number))
        {
            foreach (var item in _items.Values)
            {
                if (item.Votes.TryGetValue(number, out var value))
                {
                    item.Count(Mode, value, -1);
                    item.Votes.Remove(number);
                    changed.Add(item);
                }
            }
        }

        foreach (var itemId in e.ItemIds)
        {
            if (_items.TryGetValue(itemId, out var item))
            {
                item.EraseText();
                if (!changed.Contains(item))
                {
                    changed.Add(item);
                }
            }
        }

        Rename(id, e.ErasedAs);
        return changed;
    }

    /// <summary>Every citizen id still here becomes "anon-n"; nothing public changes.</summary>
    private List<Entry> Anonymise()
    {
        foreach (var (number, id) in _citizens.All().ToArray())
        {
            if (!IsReplacement(id))
            {
                Rename(id, $"{AnonymousPrefix}{number}");
            }
        }

        return [];
    }

    private void Rename(string citizenId, string newId)
    {
        if (citizenId == newId)
        {
            return;
        }

        _citizens.Rename(citizenId, newId);
        if (_sanctions.Remove(citizenId, out var sanction))
        {
            _sanctions[newId] = sanction;
        }

        foreach (var item in _items.Values)
        {
            if (item.CitizenId == citizenId)
            {
                item.CitizenId = newId;
            }

            if (item.Followers.Remove(citizenId))
            {
                item.Followers.Add(newId);
            }
        }

        foreach (var key in _bySubmission.Keys.Where(k => k.CitizenId == citizenId).ToArray())
        {
            // A retry with the same client id after an erasure is a new submission: the old one is gone.
            _bySubmission.Remove(key);
        }
    }

    /// <summary>Every public log entry, whichever event carries it: kept in order and counted per action and per reject reason.</summary>
    private void AddLog(ModerationLogEntry log)
    {
        _log.Add(log);
        Increment(log.Action);
        if (log.Reason is not null && log.Action == ModerationActions.Reject)
        {
            Increment($"{log.Action}:{log.Reason}");
        }
    }

    private void Increment(string key) => _logCounts[key] = _logCounts.GetValueOrDefault(key) + 1;

    private void Touch(Entry item, long seq)
    {
        if (item.Seq == seq)
        {
            return;
        }

        if (item.Seq != 0 && _byChangeSeq.TryGetValue(item.Seq, out var previous))
        {
            previous.Remove(item);
            if (previous.Count == 0)
            {
                _changeSeqs.Remove(item.Seq);
                _byChangeSeq.Remove(item.Seq);
            }
        }

        if (item.Seq == 0)
        {
            item.SubmitSeq = seq;
        }

        item.Seq = seq;
        if (_byChangeSeq.TryGetValue(seq, out var same))
        {
            same.Add(item);
        }
        else
        {
            _changeSeqs.Add(seq);
            _byChangeSeq[seq] = [item];
        }
    }

    /// <summary>One item, its votes (citizen number → value) and its moderation state.</summary>
    public sealed class Entry(string id, string citizenId, string pseudonym, string text, DateTimeOffset createdAt, ItemStatus status)
    {
        public string Id { get; } = id;

        public string CitizenId { get; set; } = citizenId;

        public string Pseudonym { get; } = pseudonym;

        public string Text { get; set; } = text;

        public string? OriginalText { get; set; }

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public ItemStatus Status { get; set; } = status;

        /// <summary>The status it was submitted with: a repeated submission answers with the first result.</summary>
        public ItemStatus SubmitStatus { get; } = status;

        public string? Reason { get; set; }

        public string? Note { get; set; }

        /// <summary>Once public, participants keep getting updates (a tombstone when it is hidden later).</summary>
        public bool WasPublic { get; set; }

        /// <summary>New items wait for review in both moderation modes (post-moderation publishes them meanwhile).</summary>
        public bool NeedsReview { get; set; } = true;

        public TriageResult Triage { get; set; } = TriageResult.None;

        /// <summary>The claim holder's actor key (see <see cref="Actor.Key"/>).</summary>
        public string? ClaimedBy { get; set; }

        public string? ClaimedByName { get; set; }

        public DateTimeOffset? ClaimedUntil { get; set; }

        public IReadOnlyList<string> Tags { get; set; } = [];

        public bool Pinned { get; set; }

        public bool Highlighted { get; set; }

        public string? MergedInto { get; set; }

        public OfficialAnswer? Answer { get; set; }

        public bool Appealed { get; set; }

        public string? AppealText { get; set; }

        /// <summary>The author had their contributions erased: the text is <see cref="ErasedText"/>.</summary>
        public bool Erased { get; private set; }

        public void EraseText()
        {
            Erased = true;
            Text = ErasedText;
            OriginalText = null;
            AppealText = null;
            Note = null;
        }

        /// <summary>The latest burst of new identities voting it the same way; moderators see it.</summary>
        public VoteBurst? Burst { get; set; }

        /// <summary>The campaign-like cluster it is in, shared by the cluster's items so one update relabels them all; moderators see it.</summary>
        public CampaignTag? Campaign { get; set; }

        /// <summary>Authors of items merged into this one: they hear about its answer too.</summary>
        public HashSet<string> Followers { get; } = new(StringComparer.Ordinal);

        public long Seq { get; set; }

        public long SubmitSeq { get; set; }

        /// <summary>By the ledger's citizen numbers: read them through <see cref="VoteOf"/> and <see cref="VotersOf"/>.</summary>
        public VoteSet Votes { get; } = new();

        public VoteTally Tally { get; private set; } = VoteTally.Empty;

        internal void Count(ConsultationMode mode, int value, int delta) =>
            Tally = value switch
            {
                1 when mode == ConsultationMode.Qa => Tally with { Up = Tally.Up + delta },
                1 => Tally with { Agree = Tally.Agree + delta },
                -1 => Tally with { Disagree = Tally.Disagree + delta },
                _ => Tally with { Pass = Tally.Pass + delta },
            };

        public bool ClaimedByOtherThan(string moderator, DateTimeOffset now) =>
            ClaimedBy is not null && ClaimedBy != moderator && ClaimedUntil > now;

        /// <summary>What participants and officials see: no review data, no reasons, no original text.</summary>
        public ItemView? PublicView() =>
            IsPublic(Status) ? Base()
            : WasPublic ? new ItemView(Id, Seq, Pseudonym, string.Empty, Status, VoteTally.Empty, CreatedAt, false) { MergedInto = MergedInto }
            : null;

        /// <summary>What the author sees of their own item: the reason and note of a rejection, both versions of an edit.</summary>
        public ItemView OwnView() => Base() with
        {
            RejectionReason = Reason,
            RejectionNote = Note,
            OriginalText = OriginalText,
            Appealed = Appealed,
        };

        public ItemView StaffView(DateTimeOffset now)
        {
            var claimed = ClaimedUntil > now;
            return OwnView() with
            {
                Review = new ReviewInfo(NeedsReview, Triage.Score, Triage.Reason, Triage.DuplicateOf, claimed ? ClaimedByName ?? ClaimedBy : null, claimed ? ClaimedUntil : null, AppealText)
                {
                    Burst = Burst,
                    ClaimedByAccount = claimed ? ClaimedBy : null,
                    Campaign = Campaign?.Label,
                },
            };
        }

        private ItemView Base() => new(Id, Seq, Pseudonym, Text, Status, Tally, CreatedAt, IsPublic(Status))
        {
            Tags = Tags,
            Pinned = Pinned,
            Highlighted = Highlighted,
            Edited = OriginalText is not null,
            MergedInto = MergedInto,
            Answer = Answer,
            Erased = Erased,
        };
    }
}
