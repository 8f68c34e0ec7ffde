using OpenGov.Dialogue.Analysis.Campaigns;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

/// <summary>The current label of one campaign-like cluster, shared by its items so that one update relabels them all.</summary>
public sealed class CampaignTag(CampaignLabel label)
{
    public CampaignLabel Label { get; set; } = label;
}

/// <summary>
/// Campaign-like bursts (src/Analysis/Campaigns): every submission is fed to a <see cref="CampaignDetector"/>
/// with its journal time, on replay and live alike, so a reactivated grain labels the same items. Nothing
/// about campaigns is stored: the label is a moderator aid recomputed from the journal, not a decision.
/// </summary>
public sealed partial class ConsultationGrain
{
    /// <summary>A group decision commits at most this many items per request (each is one journal append); the rest stay for the next.</summary>
    private const int MaxGroupDecision = 500;

    private CampaignDetector _campaignDetector = new(options.Value.CampaignOptions());
    private readonly Dictionary<string, CampaignTag> _campaignTags = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<CampaignView>> GetCampaigns()
    {
        EnsureExists();
        var views = _campaignTags.Values
            .OrderByDescending(t => t.Label.LastAt)
            .Select(t => new CampaignView(t.Label, [.. PendingOf(t.Label.Id).Select(i => i.Id)]));
        return Task.FromResult<IReadOnlyList<CampaignView>>([.. views]);
    }

    public async Task<CampaignDecisionResult> DecideCampaign(CampaignDecision decision)
    {
        EnsureExists();
        if (decision.Action is not (ModerationActions.Approve or ModerationActions.Reject))
        {
            throw new DialogueException(ErrorCodes.InvalidAction, "A group decision is approve or reject.");
        }

        ModerationPolicy.Demand(decision.Actor, decision.Action);
        if (decision.Action == ModerationActions.Reject && (decision.Reason is null || !RejectionReasons.All.Contains(decision.Reason)))
        {
            throw new DialogueException(ErrorCodes.InvalidReason, $"reason must be one of: {string.Join(", ", RejectionReasons.All)}.");
        }

        var note = decision.Note is null ? null : TextRules.Clean(decision.Note, 1000);
        var command = new ModerationCommand(decision.Action, [], decision.Actor) { Reason = decision.Reason, Note = note };
        await _decisions.WaitAsync();
        try
        {
            // Read under the lock: a decision another moderator committed a moment ago is seen here.
            if (!_campaignTags.TryGetValue(decision.ClusterId ?? string.Empty, out var tag))
            {
                throw new DialogueException(ErrorCodes.NotFound, $"There is no campaign-like cluster '{decision.ClusterId}' here.");
            }

            var outcomes = new List<ItemOutcome>();
            var decided = 0;
            var remaining = 0;
            foreach (var id in _campaignDetector.ItemsOf(tag.Label.Id))
            {
                if (_ledger.Find(id) is not { } item || !item.NeedsReview || item.Status == ItemStatus.Merged)
                {
                    outcomes.Add(new ItemOutcome(id, false, ErrorCodes.NotPending, 0));
                }
                else if (decided == MaxGroupDecision)
                {
                    remaining++;
                }
                else
                {
                    try
                    {
                        outcomes.Add(new ItemOutcome(id, true, null, await DecideOne(id, command, note, null, null, campaign: tag.Label.Id)));
                        decided++;
                    }
                    catch (DialogueException ex)
                    {
                        outcomes.Add(new ItemOutcome(id, false, ex.Code, 0));
                    }
                }
            }

            return new CampaignDecisionResult(tag.Label, outcomes, remaining);
        }
        finally
        {
            _decisions.Release();
        }
    }

    private IEnumerable<ConsultationLedger.Entry> PendingOf(string clusterId) =>
        _campaignDetector.ItemsOf(clusterId).Select(_ledger.Find).OfType<ConsultationLedger.Entry>().Where(i => i.NeedsReview && i.Status != ItemStatus.Merged);

    /// <summary>Links a submission (already applied to the ledger) and labels its cluster's items once the cluster is campaign-like.</summary>
    private void ObserveCampaign(string itemId)
    {
        if (_ledger.Find(itemId) is not { Erased: false } item || item.Text == ConsultationLedger.ErasedText)
        {
            return;
        }

        var cluster = _campaignDetector.Observe(new CampaignPost(item.Id, item.CitizenId, item.OriginalText ?? item.Text, item.CreatedAt));
        if (cluster is null)
        {
            return;
        }

        var label = new CampaignLabel(cluster.Id, cluster.Citizens, cluster.Items, cluster.FirstAt, cluster.LastAt);
        if (_campaignTags.TryGetValue(cluster.Id, out var tag))
        {
            tag.Label = label;
            item.Campaign = tag;
            return;
        }

        // Just became campaign-like: its earlier items get the label too (their next view shows it).
        tag = new CampaignTag(label);
        _campaignTags.Add(cluster.Id, tag);
        foreach (var id in _campaignDetector.ItemsOf(cluster.Id))
        {
            _ledger.Find(id)?.Campaign = tag;
        }
    }

    /// <summary>After an erasure: the clusters as if the erased texts had never been posted.</summary>
    private void RebuildCampaigns()
    {
        _campaignDetector = new CampaignDetector(options.Value.CampaignOptions());
        _campaignTags.Clear();
        foreach (var item in _ledger.Items.OrderBy(i => i.SubmitSeq))
        {
            item.Campaign = null;
        }

        foreach (var item in _ledger.Items.OrderBy(i => i.SubmitSeq))
        {
            ObserveCampaign(item.Id);
        }
    }
}
