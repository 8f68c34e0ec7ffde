namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// Keeps the number of groups from flickering on a stage screen: the best k by silhouette is
/// adopted only once it has won <c>buffer</c> recomputations in a row. The first recomputation
/// adopts its best k straight away, since there is nothing to keep stable yet.
/// </summary>
public sealed record GroupCountSmoother(int LastBestK, int LastBestKRuns, int SmoothedK)
{
    public static GroupCountSmoother Initial { get; } = new(0, 0, 0);

    public GroupCountSmoother Next(int bestK, int buffer)
    {
        var runs = bestK == LastBestK ? LastBestKRuns + 1 : 1;
        var smoothed = runs >= buffer || SmoothedK == 0 ? bestK : SmoothedK;
        return new GroupCountSmoother(bestK, runs, smoothed);
    }
}
