using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Opinion;

namespace OpenGov.Dialogue.Consultations.Opinion;

/// <summary>
/// The Pol.is analysis of one deliberation, off the vote path: the consultation grain sends each
/// durable vote and statement visibility change one-way; a timer recomputes the groups when
/// something changed (at most every second, and never more than a fifth of the time) and pushes
/// the summary through the consultation grain. Rebuilt from the journal on activation.
/// </summary>
public sealed class OpinionGrain(IDialogueJournal journal, TimeProvider clock, ILogger<OpinionGrain> logger) : Grain, IOpinionGrain
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly OpinionModel _model = new();
    private readonly Dictionary<string, long> _participants = new(StringComparer.Ordinal);
    private readonly Random _random = new();
    private long _lastSeq;
    private bool _dirty;
    private TimeSpan _lastDuration;
    private DateTimeOffset _lastRecompute = DateTimeOffset.MinValue;
    private DateTimeOffset _computedAt;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var inputs = new List<OpinionInput>();
        var erased = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in journal.ReadAsync(Id, 0, cancellationToken))
        {
            var e = ConsultationEventCodec.Decode(record);
            inputs.AddRange(OpinionInputs.From(record.Seq, e));
            if (e is ContributionsErased c)
            {
                erased.Add(c.ErasedAs);
            }

            _lastSeq = record.Seq;
        }

        // Erased citizens' votes were withdrawn: their rows carry the replacement id and stay out of the analysis.
        foreach (var input in inputs.Where(i => i.CitizenId is null || !erased.Contains(i.CitizenId)))
        {
            Apply(input);
        }

        Recompute();
        this.RegisterGrainTimer(OnTick, Tick, Tick);
    }

    public Task Apply(IReadOnlyList<OpinionInput> inputs)
    {
        foreach (var input in inputs.Where(i => i.Seq > _lastSeq))
        {
            Apply(input);
            _lastSeq = input.Seq;
        }

        return Task.CompletedTask;
    }

    public Task<OpinionView> Get(string? citizenId)
    {
        var snapshot = _model.Snapshot();
        OpinionPosition? you = null;
        if (citizenId is not null && _participants.TryGetValue(citizenId, out var participant))
        {
            var votes = _model.Matrix.TryGetParticipant(participant, out var row) ? _model.Matrix.Row(row).Count : 0;
            you = OpinionViews.Position(snapshot, participant, votes);
        }

        return Task.FromResult(OpinionViews.From(Id, snapshot, _participants.Count, _computedAt, you));
    }

    public Task<string?> NextStatement(string citizenId)
    {
        var next = _model.NextStatement(_participants.GetValueOrDefault(citizenId, -1), _random);
        return Task.FromResult(next is { } id ? OpinionViews.ItemId(id) : null);
    }

    public Task<IReadOnlyDictionary<string, int>> GroupsOf()
    {
        var snapshot = _model.Snapshot();
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (citizen, participant) in _participants)
        {
            if (snapshot.Participant(participant) is { GroupId: { } group })
            {
                groups[citizen] = group;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, int>>(groups);
    }

    public Task Rebuild()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private void Apply(OpinionInput input)
    {
        var statement = OpinionViews.StatementId(input.ItemId);
        if (input.Public is { } visible)
        {
            _model.SetModeratedOut(statement, !visible);
        }

        if (input is { Vote: { } vote, CitizenId: { } citizen })
        {
            if (!_participants.TryGetValue(citizen, out var participant))
            {
                participant = _participants.Count;
                _participants[citizen] = participant;
            }

            _model.ApplyVote(participant, statement, (sbyte)vote);
        }

        _dirty = true;
    }

    private Task OnTick(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_dirty && now - _lastRecompute >= _lastDuration * 5)
        {
            Recompute();
            var summary = OpinionViews.From(Id, _model.Snapshot(), _participants.Count, _computedAt);
            GrainFactory.GetGrain<IConsultationFeed>(Id).PublishOpinion(summary).Ignore();
        }

        return Task.CompletedTask;
    }

    private void Recompute()
    {
        var watch = Stopwatch.StartNew();
        _model.Recompute();
        _lastDuration = watch.Elapsed;
        _lastRecompute = clock.GetUtcNow();
        _computedAt = _lastRecompute;
        _dirty = false;
        if (_lastDuration > TimeSpan.FromMilliseconds(500))
        {
            logger.LogInformation("Opinion groups of {Consultation} took {Ms} ms", Id, _lastDuration.TotalMilliseconds);
        }
    }
}

/// <summary>Which journal events matter to the opinion analysis, and how.</summary>
public static class OpinionInputs
{
    public static IEnumerable<OpinionInput> From(long seq, ConsultationEvent e) => e switch
    {
        ItemSubmitted s => [new OpinionInput(seq, s.ItemId, null, null, ConsultationLedger.IsPublic(s.Status))],
        VoteCast v => [new OpinionInput(seq, v.ItemId, v.CitizenId, v.Value, null)],
        Moderated { Log: { ItemId: { } itemId, Action: var action } } when VisibilityAfter(action) is { } visible =>
            [new OpinionInput(seq, itemId, null, null, visible)],
        _ => [],
    };

    /// <summary>Approving publishes a statement; rejecting, archiving or merging takes it out of the analysis.</summary>
    private static bool? VisibilityAfter(string action) => action switch
    {
        ModerationActions.Approve or ModerationActions.MarkAnswered => true,
        ModerationActions.Reject or ModerationActions.Archive or ModerationActions.Merge => false,
        _ => null,
    };
}
