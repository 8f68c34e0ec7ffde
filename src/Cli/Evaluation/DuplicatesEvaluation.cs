using System.Diagnostics;
using OpenGov.Dialogue.Analysis.Duplicates;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// <c>eval duplicates</c>: replays a file in row order; each row first asks for its top-5 most similar
/// earlier rows (timed), then joins the index. Prints latency and near-duplicate counts.
/// </summary>
internal static class DuplicatesEvaluation
{
    public const string Help = "--data A.csv --text-column T [--limit N] [--threshold 0.8]";

    public static Task<int> RunAsync(CliArgs args)
    {
        var path = args.Required("data");
        var rows = LabelledData.Read(path, args.Required("text-column"), labelColumn: null);
        var limit = args.OptionalInt("limit", rows.Count);
        var threshold = args.OptionalDouble("threshold", 0.8);
        rows = rows.Take(limit).ToList();

        // Warm up the JIT on a throw-away index so the first timed lookups measure the lookup, not compilation.
        using (var warmUp = new DuplicateIndex())
        {
            foreach (var row in rows.Take(200))
            {
                warmUp.FindSimilar(row.Text, 5);
                warmUp.Add(warmUp.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Text);
            }
        }

        using var index = new DuplicateIndex();
        var latencies = new double[rows.Count];
        var cpuTimes = new double[rows.Count];
        var nearDuplicates = 0;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < rows.Count; i++)
        {
            var cpuStarted = ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowMilliseconds() : 0;
            var started = Stopwatch.GetTimestamp();
            var similar = index.FindSimilar(rows[i].Text, 5);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            cpuTimes[i] = ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowMilliseconds() - cpuStarted : double.NaN;
            if (similar.Count > 0 && similar[0].Score >= threshold)
            {
                nearDuplicates++;
            }

            index.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i].Text);
        }

        var lookupSeconds = latencies.Sum() / 1000;
        Array.Sort(latencies);
        Array.Sort(cpuTimes);
        static double At(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        double Percentile(double p) => At(latencies, p);

        // CPU time of the lookup thread: what the lookup costs on one core, without waiting for one.
        Console.WriteLine($"rows={rows.Count} near_duplicates_at_{threshold:0.00}={nearDuplicates} p50_ms={Percentile(0.5):0.000} max_ms={latencies[^1]:0.000} total_s={total.Elapsed.TotalSeconds:0.00} cpu_p50_ms={At(cpuTimes, 0.5):0.000} cpu_p99_ms={At(cpuTimes, 0.99):0.000} load_average={TopicsEvaluation.LoadAverage()}");
        Console.WriteLine($"p99_ms={Percentile(0.99):0.000} per_s={rows.Count / lookupSeconds:0}");
        return Task.FromResult(0);
    }
}
