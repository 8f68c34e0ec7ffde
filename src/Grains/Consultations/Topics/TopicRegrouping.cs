using OpenGov.Dialogue.Analysis.Grouping;

namespace OpenGov.Dialogue.Consultations.Topics;

/// <summary>
/// One regrouping of a consultation's topic groups, without Orleans: the grouper sees the sample only,
/// every other item is placed into the nearest of the sample's groups, so the cost is bounded by the
/// sample and every item still belongs to exactly one group. Runs on one core (beside live traffic).
/// </summary>
public static class TopicRegrouping
{
    /// <summary>
    /// What the topics grain runs off its thread for one regrouping: the sample of at most
    /// <paramref name="sampleSize"/> items chosen from <paramref name="snapshot"/> (<see cref="TopicBoard.Sample(IReadOnlyList{BoardItem}, int)"/>),
    /// the grouping of the sample and the placing of every other item.
    /// </summary>
    public static (IReadOnlyList<CommentText> Sample, int Placed, ConcernGrouping Grouping, ConcernPlacer Placer) Run(
        IReadOnlyList<BoardItem> snapshot, int sampleSize, ConcernGrouping? previous)
    {
        var sample = TopicBoard.Sample(snapshot, sampleSize);
        var outside = TopicBoard.Outside(snapshot, sample);
        var (grouping, placer) = Run(sample, outside, previous);
        return (sample, outside.Count, grouping, placer);
    }

    public static (ConcernGrouping Grouping, ConcernPlacer Placer) Run(IReadOnlyList<CommentText> sample, IReadOnlyList<WordsOfItem> outside, ConcernGrouping? previous)
    {
        var grouper = new ConcernGrouper(new GrouperOptions
        {
            Groups = TopicBoard.GroupCount(sample.Count),
            RepresentativesPerGroup = TopicBoard.Representatives,

            // Beside live traffic: one core at most, so votes and questions keep the other.
            MaxDegreeOfParallelism = 1,
        });
        // The whole consultation's membership seeds the next run, so ids stay stable as the sample moves on.
        return grouper.GroupWithPlacer(sample, previous, outside.Select(item => (item.Id, item.Words)));
    }
}
