using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Topics;

/// <summary>Which changes matter to the topic analysis: published items' texts, tags, votes, and leaving.</summary>
public static class TopicInputs
{
    /// <summary>What the topic grain hears about <paramref name="item"/> after <paramref name="e"/>; null when nothing it cares about.</summary>
    public static TopicInput? From(long seq, ConsultationEvent e, ConsultationLedger.Entry item)
    {
        // Never public (waiting in pre-moderation, or rejected before it was shown): the analysis never had it.
        if (!item.WasPublic)
        {
            return null;
        }

        return e switch
        {
            VoteCast when ConsultationLedger.IsPublic(item.Status) => new TopicInput(item.Id, seq, true, null, null, Votes(item)),
            ItemSubmitted or Moderated or ContributionsErased => Full(seq, item),
            _ => null,
        };
    }

    public static TopicInput Full(long seq, ConsultationLedger.Entry item)
    {
        var inAnalysis = ConsultationLedger.IsPublic(item.Status) && !item.Erased;
        return new TopicInput(item.Id, seq, inAnalysis, inAnalysis ? item.Text : string.Empty, item.Tags, Votes(item), item.CreatedAt);
    }

    /// <summary>Every vote cast counts: upvotes in Q&amp;A, agree, disagree and pass in deliberation.</summary>
    private static int Votes(ConsultationLedger.Entry item) => item.Tally.Total();
}
