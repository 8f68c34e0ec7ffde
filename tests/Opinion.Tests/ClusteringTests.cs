namespace OpenGov.Dialogue.Opinion.Tests;

[Trait("Category", "unit")]
public sealed class ClusteringTests
{
    private static readonly Point2[] TwoBlobs =
    [
        new(-5, 0), new(-5.2, 0.1), new(-4.9, -0.2), new(-5.1, 0.3),
        new(5, 0), new(5.3, -0.1), new(4.8, 0.2), new(5.1, 0.1),
    ];

    [Fact]
    public void Weighted_kmeans_separates_two_blobs()
    {
        var keys = Enumerable.Range(0, TwoBlobs.Length).ToList();
        var clustering = WeightedKMeans.Run(TwoBlobs, keys, null, 2, null, 20);

        Assert.Equal(2, clustering.Clusters.Count);
        Assert.All(clustering.Assignment.Take(4), a => Assert.Equal(clustering.Assignment[0], a));
        Assert.All(clustering.Assignment.Skip(4), a => Assert.Equal(clustering.Assignment[4], a));
        Assert.NotEqual(clustering.Assignment[0], clustering.Assignment[4]);
    }

    [Fact]
    public void Weights_pull_the_centre_towards_heavy_points()
    {
        Point2[] points = [new(0, 0), new(10, 0)];
        var clustering = WeightedKMeans.Run(points, [0, 1], [3.0, 1.0], 1, null, 20);

        Assert.Equal(2.5, clustering.Clusters[0].Centre.X, 9);
        Assert.Equal(4.0, clustering.Clusters[0].Weight);
    }

    [Fact]
    public void Warm_start_keeps_the_previous_cluster_ids()
    {
        var keys = Enumerable.Range(0, TwoBlobs.Length).ToList();
        var previous = keys.ToDictionary(k => k, k => k < 4 ? 41 : 17);
        var clustering = WeightedKMeans.Run(TwoBlobs, keys, null, 2, previous, 20);

        Assert.Equal(41, clustering.Clusters[clustering.Assignment[0]].Id);
        Assert.Equal(17, clustering.Clusters[clustering.Assignment[7]].Id);
    }

    [Fact]
    public void Silhouette_is_high_for_separated_groups_and_low_for_a_wrong_split()
    {
        var right = new[] { 0, 0, 0, 0, 1, 1, 1, 1 };
        var wrong = new[] { 0, 1, 0, 1, 0, 1, 0, 1 };

        Assert.True(Silhouette.Score(TwoBlobs, right, 2) > 0.9);
        Assert.True(Silhouette.Score(TwoBlobs, wrong, 2) < 0);
    }

    [Fact]
    public void Silhouette_of_a_tiny_configuration_matches_the_hand_computation()
    {
        // Points 0, 1 in one group and 4 in another: s(0) = (4 - 1) / 4, s(1) = (3 - 1) / 3, s(4) = 0 (alone).
        Point2[] points = [new(0, 0), new(1, 0), new(4, 0)];
        var expected = ((3.0 / 4) + (2.0 / 3) + 0) / 3;

        Assert.Equal(expected, Silhouette.Score(points, [0, 0, 1], 2), 12);
    }

    [Fact]
    public void Adjusted_rand_index_ignores_label_names_and_is_near_zero_for_unrelated_splits()
    {
        Assert.Equal(1, AdjustedRandIndex.Compute(new[] { 0, 0, 1, 1, 2 }, new[] { 5, 5, 9, 9, 3 }), 12);

        // Contingency [[2,1],[1,2]]: 2 agreeing pairs, 6·6/15 expected, maximum 6, so ARI = (2 - 2.4) / (6 - 2.4) = -1/9.
        var a = new[] { 0, 0, 0, 1, 1, 1 };
        var b = new[] { 0, 0, 1, 0, 1, 1 };
        var index = 1.0 + 1.0;
        var expectedIndex = 6.0 * 6.0 / 15.0;
        var expected = (index - expectedIndex) / (6.0 - expectedIndex);
        Assert.Equal(expected, AdjustedRandIndex.Compute(a, b), 12);
    }
}
