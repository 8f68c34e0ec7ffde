namespace OpenGov.Dialogue.Analysis.Grouping;

/// <summary>k-means on unit vectors with cosine similarity (centroids re-normalised each step).</summary>
internal static class SphericalKMeans
{
    public sealed record Result(int[] Assignments, float[][] Centroids, double Cohesion);

    public static Result Run(float[][] points, float[][] initialCentroids, ParallelOptions parallel, int maxIterations = 100)
    {
        var k = initialCentroids.Length;
        var dimensions = initialCentroids[0].Length;
        var centroids = initialCentroids.Select(c => (float[])c.Clone()).ToArray();
        var assignments = Enumerable.Repeat(-1, points.Length).ToArray();
        var nearest = new int[points.Length];
        var similarity = new float[points.Length];
        double cohesion = 0;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            // Each point's nearest centroid is independent of the others: safe to spread over cores,
            // and the result does not depend on how the work was split.
            Parallel.For(0, points.Length, parallel, i =>
            {
                var best = 0;
                var bestScore = float.NegativeInfinity;
                for (var c = 0; c < k; c++)
                {
                    var score = VectorMath.Dot(points[i], centroids[c]);
                    if (score > bestScore)
                    {
                        bestScore = score;
                        best = c;
                    }
                }

                nearest[i] = best;
                similarity[i] = bestScore;
            });

            var changed = 0;
            cohesion = 0;
            for (var i = 0; i < points.Length; i++)
            {
                cohesion += similarity[i];
                if (assignments[i] != nearest[i])
                {
                    assignments[i] = nearest[i];
                    changed++;
                }
            }

            if (changed == 0)
            {
                break;
            }

            var sums = new float[k][];
            var sizes = new int[k];
            for (var c = 0; c < k; c++)
            {
                sums[c] = new float[dimensions];
            }

            for (var i = 0; i < points.Length; i++)
            {
                VectorMath.AddScaled(sums[assignments[i]], points[i], 1);
                sizes[assignments[i]]++;
            }

            for (var c = 0; c < k; c++)
            {
                // An emptied cluster keeps its old centroid rather than collapsing to zero.
                if (sizes[c] > 0)
                {
                    VectorMath.Normalize(sums[c]);
                    centroids[c] = sums[c];
                }
            }
        }

        return new Result(assignments, centroids, cohesion);
    }

    /// <summary>k-means++ seeding (distance = 1 − cosine), deterministic for a seed.</summary>
    public static float[][] PlusPlusSeeds(float[][] points, int k, int seed)
    {
        var random = new Random(seed);
        var seeds = new List<float[]> { points[random.Next(points.Length)] };
        var distance = points.Select(p => Math.Max(0, 1 - VectorMath.Dot(p, seeds[0]))).ToArray();
        while (seeds.Count < k)
        {
            var total = distance.Sum();
            var chosen = random.Next(points.Length);
            if (total > 0)
            {
                var target = random.NextDouble() * total;
                for (var i = 0; i < points.Length; i++)
                {
                    target -= distance[i];
                    if (target <= 0)
                    {
                        chosen = i;
                        break;
                    }
                }
            }

            seeds.Add(points[chosen]);
            for (var i = 0; i < points.Length; i++)
            {
                distance[i] = Math.Min(distance[i], Math.Max(0, 1 - VectorMath.Dot(points[i], points[chosen])));
            }
        }

        return seeds.Select(s => (float[])s.Clone()).ToArray();
    }
}
