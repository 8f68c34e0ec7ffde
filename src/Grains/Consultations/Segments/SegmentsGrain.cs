using OpenGov.Dialogue.Contracts;
using Orleans.Concurrency;

namespace OpenGov.Dialogue.Consultations.Segments;

[GenerateSerializer, Alias("dialogue.segments-state")]
public sealed class SegmentsState
{
    [Id(0)] public List<SegmentQuestion> Questions { get; set; } = [];

    [Id(1)] public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Citizen id → their answers (question key → option). Only people who answered something.</summary>
    [Id(2)] public Dictionary<string, Dictionary<string, string>> Answers { get; set; } = [];

    /// <summary>The breakdown kept when the retention period ended and the answers were dropped.</summary>
    [Id(3)] public SegmentsBreakdown? Final { get; set; }
}

/// <summary>
/// The self-described segments of one consultation. A participant's answer is a small change to one state that
/// holds everyone's answers; while one write is in flight, the answers that arrive wait together for the next
/// write (one write for many, as the journal groups commits), and each call returns only once its answer is stored.
/// A failed write fails every answer it carried and reloads what is stored, so memory never holds what storage does not.
/// Reentrant for that grouping; the breakdown is read from the consultation (authors), the topics grain (groups)
/// and the opinion grain (members), and kept a few seconds for dashboards that ask together.
/// </summary>
[Reentrant]
public sealed class SegmentsGrain(
    [PersistentState("segments", StorageNames.Grains)] IPersistentState<SegmentsState> state,
    TimeProvider clock) : Grain, ISegmentsGrain
{
    private static readonly TimeSpan BreakdownFor = TimeSpan.FromSeconds(5);

    private TaskCompletionSource? _nextWrite;
    private bool _writing;
    private Task? _reloading;
    private (SegmentsBreakdown View, DateTimeOffset At)? _breakdown;

    private string Id => this.GetPrimaryKeyString();

    public async Task<SegmentQuestions> Define(IReadOnlyList<SegmentQuestion> questions, Actor actor)
    {
        var checkedQuestions = SegmentRules.CheckQuestions(questions);
        var info = await Consultation();
        if (info.Status == ConsultationStatus.Archived || state.State.Final is not null)
        {
            throw new DialogueException(ErrorCodes.Closed, "The consultation is archived or its retention period is over: its segment questions can no longer change.");
        }

        await Settled();
        var s = state.State;
        s.Questions = checkedQuestions;
        s.UpdatedAt = clock.GetUtcNow();
        foreach (var citizen in s.Answers.Keys.ToList())
        {
            var kept = SegmentRules.StillValid(checkedQuestions, s.Answers[citizen]);
            if (kept.Count == 0)
            {
                s.Answers.Remove(citizen);
            }
            else
            {
                s.Answers[citizen] = kept;
            }
        }

        _breakdown = null;
        await Persist();
        return Questions();
    }

    public Task<SegmentQuestions> GetQuestions() => Task.FromResult(Questions());

    public async Task<IReadOnlyDictionary<string, string>> Answer(string citizenId, IReadOnlyDictionary<string, string?> answers, Admission? admission)
    {
        await Settled();
        var answered = SegmentRules.CheckAnswers(state.State.Questions, answers);
        if (state.State.Final is not null)
        {
            throw new DialogueException(ErrorCodes.Closed, "The retention period of this consultation is over: answers are no longer kept.");
        }

        var info = await Consultation();
        if (info.Status != ConsultationStatus.Open)
        {
            throw new DialogueException(ErrorCodes.Closed, "The consultation is not open.");
        }

        AdmissionRules.Check(info.Admission, Id, admission);
        await Settled();
        var s = state.State;
        var before = s.Answers.GetValueOrDefault(citizenId);
        if (before is null ? answered.Count == 0 : Same(before, answered))
        {
            // Nothing changes, nothing is written.
            return answered;
        }

        if (answered.Count == 0)
        {
            s.Answers.Remove(citizenId);
        }
        else
        {
            s.Answers[citizenId] = answered;
        }

        await Persist();
        return answered;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetAnswers(string citizenId)
    {
        await Settled();
        return state.State.Answers.TryGetValue(citizenId, out var answers)
            ? new Dictionary<string, string>(answers, StringComparer.Ordinal)
            : new Dictionary<string, string>();
    }

    public async Task Forget(string citizenId)
    {
        await Settled();
        if (state.State.Answers.Remove(citizenId))
        {
            _breakdown = null;
            await Persist();
        }
    }

    public async Task<SegmentsBreakdown> GetBreakdown()
    {
        await Settled();
        if (state.State.Final is { } final)
        {
            return final;
        }

        var now = clock.GetUtcNow();
        if (_breakdown is { } kept && now - kept.At < BreakdownFor)
        {
            return kept.View;
        }

        var view = await Make(await GrainFactory.GetGrain<IConsultationFeed>(Id).GetAuthors(), final: false);
        _breakdown = (view, now);
        return view;
    }

    public async Task<bool> Retire()
    {
        await Settled();
        if (state.State.Final is not null || (state.State.Questions.Count == 0 && state.State.Answers.Count == 0)
            || await GrainFactory.GetGrain<IConsultationGrain>(Id).GetInfo() is not { } info
            || !RetentionRule.IsOver(info.Status, info.RetentionDays, info.ClosedAt, clock.GetUtcNow()))
        {
            return false;
        }

        var final = await Make(await GrainFactory.GetGrain<IConsultationFeed>(Id).GetAuthors(), final: true);
        await Settled();
        state.State.Final = final;
        state.State.Answers = [];
        _breakdown = null;
        await Persist();
        return true;
    }

    private async Task<SegmentsBreakdown> Make(IReadOnlyDictionary<string, string> authors, bool final)
    {
        var topics = await GrainFactory.GetGrain<ITopicsGrain>(Id).GetAssignments();
        var opinions = await GrainFactory.GetGrain<IOpinionGrain>(Id).GroupsOf();
        var answers = state.State.Answers.ToDictionary(a => a.Key, a => (IReadOnlyDictionary<string, string>)a.Value, StringComparer.Ordinal);
        return SegmentBreakdown.Make(Id, state.State.Questions, answers, authors, topics, opinions, clock.GetUtcNow(), final);
    }

    private SegmentQuestions Questions() => new(Id, [.. state.State.Questions], state.State.UpdatedAt);

    private async Task<ConsultationInfo> Consultation() =>
        await GrainFactory.GetGrain<IConsultationGrain>(Id).GetInfo()
        ?? throw new DialogueException(ErrorCodes.NotFound, $"Consultation '{Id}' does not exist.");

    private static bool Same(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <summary>Waits while a failed write's state is read back: a change made meanwhile would be overwritten by the read.</summary>
    private async Task Settled()
    {
        while (_reloading is { } reloading)
        {
            await reloading;
        }
    }

    /// <summary>Completes when a write that started after the caller's change has stored it.</summary>
    private Task Persist()
    {
        _nextWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stored = _nextWrite.Task;
        if (!_writing)
        {
            _ = WriteLoop();
        }

        return stored;
    }

    private async Task WriteLoop()
    {
        _writing = true;
        try
        {
            while (_nextWrite is { } batch)
            {
                _nextWrite = null;
                try
                {
                    await state.WriteStateAsync();
                    batch.SetResult();
                }
                catch (Exception ex)
                {
                    // Every change not stored is undone by reading the state back; the changes made while the
                    // write ran were on the same state, so their callers fail too and may retry.
                    var reload = Reload();
                    _reloading = reload;
                    var failed = new DialogueException(ErrorCodes.Unavailable, "Your answer could not be stored; try again.");
                    batch.SetException(ex is DialogueException ? ex : failed);
                    if (_nextWrite is { } waiting)
                    {
                        _nextWrite = null;
                        waiting.SetException(failed);
                    }

                    await reload;
                    _reloading = null;
                    _breakdown = null;
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private async Task Reload()
    {
        try
        {
            await state.ReadStateAsync();
        }
        catch
        {
            // Storage is still away: this activation cannot know what is stored, so it goes and the next one reads it.
            DeactivateOnIdle();
        }
    }
}
