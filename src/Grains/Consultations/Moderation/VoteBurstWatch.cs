using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Moderation;

/// <param name="Window">How far back the votes on an item are looked at.</param>
/// <param name="NewFor">How long after its first action here an identity counts as new.</param>
/// <param name="MinVotes">New identities voting the same way within the window before the item is flagged.</param>
/// <param name="MinShare">Their least share of all the item's votes in the window (a hall voting many ways is not a campaign).</param>
public sealed record VoteBurstRule(TimeSpan Window, TimeSpan NewFor, int MinVotes, double MinShare = 0.6);

/// <summary>
/// Watches votes for a burst of new identities voting one item the same way: the signature of a script
/// that mints identities to push an item. Only open-admission identities count (code and invitation
/// holders were admitted in person). Fed from the journal in order with the events' own times, so a
/// replay flags the same items. Plain rules, no Orleans.
/// </summary>
public sealed class VoteBurstWatch(VoteBurstRule rule)
{
    private readonly Dictionary<int, DateTimeOffset> _firstSeen = [];
    private readonly Dictionary<string, Window> _recent = new(StringComparer.Ordinal);

    public VoteBurstRule Rule { get; } = rule;

    /// <summary>Remembers when a citizen first acted here (a submission or a vote).</summary>
    public void Seen(int citizen, DateTimeOffset at) => _firstSeen.TryAdd(citizen, at);

    /// <summary>Records a vote; returns the burst when the item's recent votes now make one. O(1) amortised per vote.</summary>
    public VoteBurst? Observe(string itemId, int citizen, int value, AdmissionMode admission, DateTimeOffset at, long seq)
    {
        Seen(citizen, at);
        if (!_recent.TryGetValue(itemId, out var window))
        {
            window = new Window();
            _recent.Add(itemId, window);
        }

        var isNew = admission == AdmissionMode.Open && at - _firstSeen[citizen] <= Rule.NewFor;
        window.Add(at, value, isNew);
        window.DropBefore(at - Rule.Window);
        if (!isNew)
        {
            return null;
        }

        var same = window.NewWith(value);
        return same >= Rule.MinVotes && same >= Rule.MinShare * window.Count
            ? new VoteBurst(at, value, same, window.Count, seq)
            : null;
    }

    /// <summary>One item's votes within the window, with running counts of new identities' votes by value.</summary>
    private sealed class Window
    {
        private readonly Queue<(DateTimeOffset At, int Value, bool New)> _votes = new();
        private readonly Dictionary<int, int> _newByValue = [];

        public int Count => _votes.Count;

        public int NewWith(int value) => _newByValue.GetValueOrDefault(value);

        public void Add(DateTimeOffset at, int value, bool isNew)
        {
            _votes.Enqueue((at, value, isNew));
            if (isNew)
            {
                _newByValue[value] = NewWith(value) + 1;
            }
        }

        public void DropBefore(DateTimeOffset oldest)
        {
            while (_votes.Count > 0 && _votes.Peek().At < oldest)
            {
                var (_, value, isNew) = _votes.Dequeue();
                if (isNew)
                {
                    _newByValue[value] = NewWith(value) - 1;
                }
            }
        }
    }
}
