using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Analysis.Briefs;
using OpenGov.Dialogue.Analysis.Grouping;
using OpenGov.Dialogue.Analysis.Topics;
using OpenGov.Dialogue.Contracts;
using Orleans.Concurrency;
using Orleans.Storage;

namespace OpenGov.Dialogue.Consultations.Topics;

/// <summary>
/// The topic analysis of one consultation, off the vote path: the consultation grain sends each
/// durable change to a published item one-way; a timer regroups the texts when something changed
/// (while posts keep coming at most every <see cref="DialogueOptions.TopicsRecomputeSeconds"/> and never more
/// than a tenth of the time; once they stop for a second, after a quarter of that and at most a third of the time) on the low-priority analysis thread (<see cref="BackgroundWork"/>), passing the previous grouping so ids stay stable. A regrouping
/// groups at most <see cref="DialogueOptions.TopicsSampleSize"/> items and places the rest into the
/// nearest group; items arriving between regroupings are placed as they come. The topic tagger
/// retrains in the background from the moderators' tags and suggests a topic for untagged items.
/// The items come from the consultation grain (its journal is the source); only the group ids are
/// stored (<see cref="TopicIdsState"/>), after a regrouping that changed them, so they survive reactivation.
/// After each regrouping (or new suggestions) the view is pushed through the consultation grain to the
/// gateways, which send it as a <c>topics</c> frame to staff and officials: dashboards do not poll.
/// Until moderators have tagged two topics, untagged items get suggestions from the team's default taxonomy
/// (<see cref="DefaultTaxonomy"/>, when <see cref="DialogueOptions.DefaultTaxonomy"/> is on), labelled as such.
/// Reentrant so that reads and incoming changes are served while a grouping runs.
/// </summary>
[Reentrant]
public sealed class TopicsGrain(
    IOptions<DialogueOptions> options,
    TimeProvider clock,
    ILogger<TopicsGrain> logger,
    [PersistentState("topics", StorageNames.Grains)] IPersistentState<TopicIdsState> ids) : Grain, ITopicsGrain
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly TopicBoard _board = new();
    private readonly RetrainingTopicTagger _tagger = new();
    /// <summary>The typical items per group in a pushed view (what the dashboard shows).</summary>
    public const int PushedItemsPerGroup = 3;

    // The tagger or the default taxonomy that made the current suggestions.
    private object? _suggestedWith;
    private long _suggestedInputs = -1;
    private bool _computing;
    private TimeSpan _lastDuration;
    private DateTimeOffset _lastGrouping = DateTimeOffset.MinValue;

    // When a post last came, went or changed text (votes alone do not count): a quiet board regroups sooner.
    private DateTimeOffset _lastChange = DateTimeOffset.MinValue;

    /// <summary>No post came or changed for this long: the burst is over.</summary>
    private static readonly TimeSpan QuietAfter = TimeSpan.FromSeconds(1);

    // The stored ids of the last activation: the seed until this one has grouped.
    private ConcernGrouping? _storedSeed;
    private TopicIdsState? _saved;

    private string Id => this.GetPrimaryKeyString();

    private TimeSpan MinInterval => TimeSpan.FromSeconds(options.Value.TopicsRecomputeSeconds);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (ids.RecordExists)
        {
            _saved = ids.State;
            _storedSeed = TopicIds.Seed(ids.State);
        }

        _board.Load(await GrainFactory.GetGrain<IConsultationFeed>(Id).GetTopicInputs());
        this.RegisterGrainTimer(OnTick, TimeSpan.Zero, Tick);
    }

    public Task Apply(IReadOnlyList<TopicInput> inputs)
    {
        foreach (var input in inputs)
        {
            _board.Apply(input);
            if (input.Text is not null)
            {
                _lastChange = clock.GetUtcNow();
            }
        }

        return Task.CompletedTask;
    }

    public Task<TopicsView> Get(int itemsPerGroup) =>
        Task.FromResult(_board.View(Id, Math.Clamp(itemsPerGroup, 1, 20), _tagger.Current is not null, clock.GetUtcNow()));

    public Task Push()
    {
        PushView();
        return Task.CompletedTask;
    }

    public Task<TopicAssignments> GetAssignments() => Task.FromResult(_board.Assignments());

    /// <summary>One-way through the consultation grain, which adds it to its next batch for the gateways.</summary>
    private void PushView() =>
        GrainFactory.GetGrain<IConsultationFeed>(Id).PublishTopics(_board.View(Id, PushedItemsPerGroup, _tagger.Current is not null, clock.GetUtcNow())).Ignore();

    private async Task OnTick(CancellationToken cancellationToken)
    {
        if (_board.TagsDirty)
        {
            // Trains on the thread pool; the current model answers until the new one is ready.
            _tagger.Replace(_board.TrainingExamples());
            _board.TagsTaken();
        }

        if (_computing)
        {
            return;
        }

        var now = clock.GetUtcNow();
        object? model = _tagger.Current is { } tagger ? tagger : options.Value.DefaultTaxonomy ? DefaultTaxonomy.Instance : null;
        var quiet = now - _lastChange >= QuietAfter;
        var wait = quiet ? Max(MinInterval / 4, _lastDuration * 2) : Max(MinInterval, _lastDuration * 10);
        var regroup = _board.GroupsDirty && now - _lastGrouping >= wait;

        // A new model answers for every untagged item; the same model only for items it has not seen (new or
        // edited), and only when some came or changed: the list is not even built on a quiet tick.
        var newModel = model is not null && model != _suggestedWith;
        var askNew = model is not null && !newModel && _board.SuggestionInputs != _suggestedInputs;
        var resuggest = newModel || askNew;
        if (!regroup && !resuggest)
        {
            return;
        }

        var inputs = _board.SuggestionInputs;
        var untagged = resuggest ? _board.Untagged(onlyUnsuggested: !newModel) : null;

        // A snapshot taken on the grain's thread (references, no copies of texts); choosing the sample, grouping,
        // and what to store all run on the background thread, beside votes and reads.
        var snapshot = regroup && _board.Count >= TopicBoard.MinItems ? _board.Snapshot() : null;
        var previous = _board.Grouping ?? _storedSeed;
        long? version = regroup ? _board.Version : null;
        var sampleSize = options.Value.TopicsSampleSize;
        _computing = true;
        try
        {
            var watch = Stopwatch.StartNew();
            var (comments, placed, grouping, placer, suggestions, kept, briefs) =
                await BackgroundWork.Run(() => Compute(snapshot, sampleSize, previous, model, untagged));
            if (comments is not null)
            {
                _lastDuration = watch.Elapsed;
                _lastGrouping = clock.GetUtcNow();
                if (_lastDuration > TimeSpan.FromSeconds(1))
                {
                    logger.LogInformation("Topic groups of {Consultation} ({Items} grouped, {Placed} placed) took {Ms} ms", Id, comments.Count, placed, _lastDuration.TotalMilliseconds);
                }
            }

            if (resuggest)
            {
                _suggestedWith = model;
                _suggestedInputs = inputs;
            }

            var source = model is DefaultTaxonomy ? TopicSuggestionSources.Default : TopicSuggestionSources.Model;
            _board.Computed(version, grouping, placer, untagged, suggestions, newModel, clock.GetUtcNow(), source, briefs);
            PushView();
            if (kept is not null)
            {
                _storedSeed = null;
                await SaveIds(kept);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // A text set the analysis cannot handle must not retry every second: wait for the next change.
            logger.LogWarning(ex, "Topic analysis of {Consultation} failed", Id);
            _lastGrouping = clock.GetUtcNow();
            _suggestedInputs = resuggest ? inputs : _suggestedInputs;
            _board.Computed(version, null, null, null, null, false, clock.GetUtcNow());
        }
        finally
        {
            _computing = false;
        }
    }

    /// <summary>Stores the ids when they changed; a failed write is logged and tried again after the next regrouping.</summary>
    private async Task SaveIds(TopicIdsState kept)
    {
        if (_saved is not null && TopicIds.Same(_saved, kept))
        {
            return;
        }

        _saved = null;
        ids.State = kept;
        try
        {
            await ids.WriteStateAsync();
            _saved = kept;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Storing the topic group ids of {Consultation} failed; trying again after the next regrouping", Id);
            if (ex is InconsistentStateException)
            {
                // The stored version moved (a write that failed late, or another activation): take it, so the next write can succeed.
                await ReloadIds();
            }
        }
    }

    private async Task ReloadIds()
    {
        try
        {
            await ids.ReadStateAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Reading the topic group ids of {Consultation} failed", Id);
        }
    }

    private static (IReadOnlyList<CommentText>? Comments, int Placed, ConcernGrouping? Grouping, ConcernPlacer? Placer, Dictionary<string, TopicPrediction>? Suggestions, TopicIdsState? Kept, Dictionary<int, IReadOnlyList<ExtractedSentence>>? Briefs) Compute(
        IReadOnlyList<BoardItem>? snapshot, int sampleSize, ConcernGrouping? previous, object? model, IReadOnlyList<CommentText>? untagged)
    {
        IReadOnlyList<CommentText>? comments = null;
        var placed = 0;
        ConcernGrouping? grouping = null;
        ConcernPlacer? placer = null;
        TopicIdsState? kept = null;
        Dictionary<int, IReadOnlyList<ExtractedSentence>>? briefs = null;
        if (snapshot is not null)
        {
            (comments, placed, grouping, placer) = TopicRegrouping.Run(snapshot, sampleSize, previous);
            kept = TopicIds.Keep(grouping, comments);
            // Over the grouped sample (every item up to TopicsSampleSize): a brief's cost stays bounded like the grouping's.
            var grouped = comments.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            briefs = ExtractiveBriefs.Make([.. snapshot.Where(i => grouped.Contains(i.Id)).Select(i => new BriefPost(i.Id, i.Text, i.Votes))], grouping.Assignments)
                .ToDictionary(b => b.GroupId, b => b.Sentences);
        }

        Dictionary<string, TopicPrediction>? suggestions = null;
        if (model is not null && untagged is not null)
        {
            suggestions = new Dictionary<string, TopicPrediction>(StringComparer.Ordinal);
            foreach (var item in untagged.Where(c => !string.IsNullOrWhiteSpace(c.Text)))
            {
                var prediction = model switch
                {
                    TopicTagger tagger => tagger.Predict(item.Text),
                    DefaultTaxonomy taxonomy => taxonomy.Predict(item.Text),
                    _ => null,
                };
                if (prediction is not null)
                {
                    suggestions[item.Id] = prediction;
                }
            }
        }

        return (comments, placed, grouping, placer, suggestions, kept, briefs);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
