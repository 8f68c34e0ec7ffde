using OpenGov.Dialogue.Analysis.Grouping;

namespace OpenGov.Dialogue.Consultations.Topics;

/// <summary>
/// One regrouping of a consultation's topic groups, without Orleans: the grouper sees the sample only,
/// every other item is placed into the nearest of the sample's groups, so the cost is bounded by the
/// sample and every item still belongs to exactly one group. Runs on one core (beside live traffic).
/// </summary>
public static class TopicRegrouping
{
    public static (ConcernGrouping Grouping, ConcernPlacer Placer) Run(IReadOnlyList<CommentText> sample, IReadOnlyList<WordsOfItem> outside, ConcernGrouping? previous)
    {
        var grouper = new ConcernGrouper(new GrouperOptions
        {
            Groups = TopicBoard.GroupCount(sample.Count),
            RepresentativesPerGroup = TopicBoard.Representatives,

            // Beside live traffic: one core at most, so votes and questions keep the other.
            MaxDegreeOfParallelism = 1,
        });
        var (grouping, placer) = grouper.GroupWithPlacer(sample, previous);
        var assignments = new Dictionary<string, int>(grouping.Assignments, StringComparer.Ordinal);
        foreach (var item in outside)
        {
            assignments[item.Id] = placer.Place(item.Words);
        }

        // The whole consultation's membership seeds the next run, so ids stay stable as the sample moves on.
        return (grouping with { Assignments = assignments }, placer);
    }
}
