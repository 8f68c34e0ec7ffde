using System.Diagnostics;
using OpenGov.Dialogue.Analysis.Duplicates;
using OpenGov.Dialogue.Analysis.Triage;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;
using SimilarItem = OpenGov.Dialogue.Contracts.SimilarItem;
using TriageResult = OpenGov.Dialogue.Consultations.Moderation.TriageResult;

namespace OpenGov.Dialogue.Consultations;

/// <summary>
/// Triage and near-duplicates from the ML library (src/Analysis): an index of every item's text
/// and the moderators' decisions so far, both rebuilt from the journal. The scorer uses signals
/// only (similarity, links, keyboard mash, repetition, length, the consultation's own history), so
/// it ships without any model trained on third-party data.
/// </summary>
public sealed partial class ConsultationGrain
{
    private const double DuplicateAbove = 0.8;
    private const double SimilarAbove = 0.3;
    private static readonly TriageScorer Scorer = new();

    // Rebuilt without an erased citizen's texts after an erasure.
    private DuplicateIndex _earlier = new();
    private ModerationHistory _history = new();

    public Task<IReadOnlyList<SimilarItem>> FindSimilar(string text, int top)
    {
        EnsureExists();
        var wanted = Math.Clamp(top, 1, 20);
        if (string.IsNullOrWhiteSpace(text) || text.Length > options.Value.MaxTextLength)
        {
            return Task.FromResult<IReadOnlyList<SimilarItem>>([]);
        }

        var similar = _earlier.FindSimilar(text, wanted * 3, SimilarAbove)
            .Select(s => (Item: _ledger.Find(s.Id), s.Score))
            .Where(s => s.Item is not null && ConsultationLedger.IsPublic(s.Item.Status))
            .Take(wanted)
            .Select(s => new SimilarItem(s.Item!.PublicView()!, Math.Round(s.Score, 3)));
        return Task.FromResult<IReadOnlyList<SimilarItem>>([.. similar]);
    }

    /// <summary>Scored when submitted, against everything before it; stored with the item.</summary>
    private TriageResult Triage(string text)
    {
        var started = Stopwatch.GetTimestamp();
        var scored = Scorer.Score(text, _earlier, topicReference: null, _history);
        var duplicate = _earlier.FindSimilar(text, 1, DuplicateAbove).FirstOrDefault();
        DialogueMetrics.ScoringDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new TriageResult(Math.Round(scored.RejectProbability, 3), duplicate is null ? scored.Reason : TriageReason.Duplicate, duplicate?.Id);
    }

    /// <summary>Feeds the index and the decision history from each applied event, on replay and live alike.</summary>
    private void Learn(ConsultationEvent e)
    {
        switch (e)
        {
            case ItemSubmitted s:
                _earlier.Add(s.ItemId, s.Text);
                ObserveCampaign(s.ItemId);
                break;
            case Moderated { Log: { ItemId: { } id, Action: ModerationActions.Approve or ModerationActions.Reject } log } when _ledger.Find(id) is { } item:
                _history.Record(id, item.Text, log.Action == ModerationActions.Reject);
                break;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        KeepRemainingNotifications();
        ReportQueueLength(0);
        _earlier.Dispose();
        _history.Dispose();
        return Task.CompletedTask;
    }
}
