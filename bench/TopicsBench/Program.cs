using System.Diagnostics;
using System.Globalization;
using OpenGov.Dialogue.Analysis.Data;
using OpenGov.Dialogue.Analysis.Grouping;
using OpenGov.Dialogue;
using OpenGov.Dialogue.Consultations.Topics;
using OpenGov.Dialogue.Contracts;

// CPU time of one regrouping of a consultation's topic groups, as the topics grain runs it (one core),
// at several consultation sizes. Texts are LaporGub complaints read in place (repeated to reach the size).
// Usage: dotnet run --project bench/TopicsBench -c Release -- [--data FILE.csv] [--items 5000,20000,40000] [--sample 3000]
// (--sample: the most items one regrouping groups, Dialogue:TopicsSampleSize; a large value groups them all)
var data = Option("--data") ?? "../shared/data/laporgub-complaints/train.csv";
var sizes = (Option("--items") ?? "5000,20000,40000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var sample = int.Parse(Option("--sample") ?? new DialogueOptions().TopicsSampleSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
var table = CsvTable.Load(data);
var textColumn = table.Header.ToList().IndexOf("text");
var texts = table.Rows.Where(row => textColumn >= 0 && row.Length > textColumn && row[textColumn].Length > 0).Select(row => row[textColumn]).ToList();
Console.WriteLine($"# {texts.Count} texts from {Path.GetFullPath(data)}; sample bound {sample}");
Console.WriteLine("items  grouped  cold_cpu_s  warm_cpu_s  warm_wall_s  groups  arrive_us_per_item");

// Warm-up so the JIT is not measured.
Regroup(Board(500), null);

foreach (var size in sizes)
{
    // Arriving items are read (and, once grouped, placed) as they come: the per-item cost on the grain's thread.
    var (applyCpu, _, board) = Timed(() => Board(size));
    var (cold, _, first) = Timed(() => Regroup(board, null));

    // Steady state: 1 % new items since the last grouping, which seeds the next one.
    for (var i = size; i < size + size / 100; i++)
    {
        board.Apply(Input(i));
    }

    var (warm, wall, second) = Timed(() => Regroup(board, first.Grouping));
    var grouped = second.Grouping.Groups.Sum(g => g.Size);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size,5}  {grouped,7}  {cold,10:F2}  {warm,10:F2}  {wall,11:F2}  {second.Grouping.Groups.Count,6}  {applyCpu * 1e6 / size,18:F1}"));
}

return 0;

TopicBoard Board(int size)
{
    var board = new TopicBoard();
    for (var i = 0; i < size; i++)
    {
        board.Apply(Input(i));
    }

    return board;
}

TopicInput Input(int i) => new($"i{i + 1}", i + 1, true, texts[i % texts.Count], [], i % 7 == 0 ? i % 50 : 0);

// What the grain does for one regrouping: a snapshot of the board on the grain's thread, then the
// sample, the grouping and the placing on its analysis thread, on one core.
(ConcernGrouping Grouping, ConcernPlacer Placer) Regroup(TopicBoard board, ConcernGrouping? previous)
{
    var (_, _, grouping, placer) = TopicRegrouping.Run(board.Snapshot(), sample, previous);
    return (grouping, placer);
}

static (double CpuSeconds, double WallSeconds, T Result) Timed<T>(Func<T> work)
{
    GC.Collect();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var result = work();
    var wall = watch.Elapsed.TotalSeconds;
    process.Refresh();
    return ((process.TotalProcessorTime - cpu).TotalSeconds, wall, result);
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
