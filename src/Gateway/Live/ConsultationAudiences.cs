namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>Who gets which frames of a consultation.</summary>
public enum LiveAudience
{
    /// <summary>Participants: public views; the opinion summary without its map.</summary>
    Public,

    /// <summary>Officials: public views, the opinion summary with its map, the moderation log.</summary>
    Officials,

    /// <summary>Moderators and admins: full views with queue, triage and leases.</summary>
    Staff,

    /// <summary>The presenter screen: highlighted item and the next few.</summary>
    Presenter,
}

/// <summary>
/// The hub connections and public-feed readers watching one consultation on this gateway. Members are
/// arrays replaced under a lock and read without one by the send loop. Once closed (nobody watches,
/// see <see cref="TryClose"/>) it takes no one: a joiner then starts a new subscription.
/// </summary>
public sealed class ConsultationAudiences
{
    /// <summary>
    /// Participants are spread over this many shards, and a sweep goes to one shard after the other with
    /// a yield in between: a hall of 10,000 then puts its writes on the thread pool in slices of about
    /// 150, and requests (votes, questions) get their turn between slices instead of waiting behind all 10,000.
    /// </summary>
    public const int PublicShards = 64;

    private readonly Lock _lock = new();
    private readonly Member[][] _shards = [.. Enumerable.Range(0, PublicShards).Select(_ => Array.Empty<Member>())];
    private Member[] _staff = [];
    private Member[] _officials = [];
    private Member[] _presenter = [];
    private int _feedReaders;
    private bool _closed;

    public Member[] Staff => Volatile.Read(ref _staff);

    public Member[] Officials => Volatile.Read(ref _officials);

    public Member[] Presenter => Volatile.Read(ref _presenter);

    public Member[] Shard(int shard) => Volatile.Read(ref _shards[shard]);

    /// <summary>Hub connections watching.</summary>
    public int Connections => Staff.Length + Officials.Length + Presenter.Length + _shards.Sum(s => Volatile.Read(ref s).Length);

    /// <summary>Adds the connection to its audience (out of any other of this consultation); false once closed.</summary>
    public bool TryAdd(LiveConnection connection, LiveAudience audience)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            RemoveLocked(connection.Id);
            ref var members = ref Slot(connection.Id, audience);
            members = [.. members, new Member(connection)];
            return true;
        }
    }

    public void Remove(string connectionId)
    {
        lock (_lock)
        {
            RemoveLocked(connectionId);
        }
    }

    public bool TryAddFeedReader()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _feedReaders++;
            return true;
        }
    }

    public void RemoveFeedReader()
    {
        lock (_lock)
        {
            _feedReaders = Math.Max(0, _feedReaders - 1);
        }
    }

    /// <summary>Closes when nobody watches; a join that comes after gets a new subscription.</summary>
    public bool TryClose()
    {
        lock (_lock)
        {
            _closed = _closed || (_feedReaders == 0 && Connections == 0);
            return _closed;
        }
    }

    private void RemoveLocked(string connectionId)
    {
        foreach (var audience in Enum.GetValues<LiveAudience>())
        {
            ref var members = ref Slot(connectionId, audience);
            if (Array.FindIndex(members, m => m.Connection.Id == connectionId) >= 0)
            {
                members = [.. members.Where(m => m.Connection.Id != connectionId)];
            }
        }
    }

    private ref Member[] Slot(string connectionId, LiveAudience audience)
    {
        switch (audience)
        {
            case LiveAudience.Staff:
                return ref _staff;
            case LiveAudience.Officials:
                return ref _officials;
            case LiveAudience.Presenter:
                return ref _presenter;
            default:
                return ref _shards[(int)((uint)connectionId.GetHashCode() % PublicShards)];
        }
    }

    /// <summary>A connection in an audience. <see cref="From"/> belongs to the send loop alone.</summary>
    public sealed class Member(LiveConnection connection)
    {
        public LiveConnection Connection { get; } = connection;

        /// <summary>-1 while the member is in step with its audience; else the backlog position it has been sent up to (it was skipped).</summary>
        public long From { get; set; } = -1;
    }
}
