using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Silo;

// Append latency of one submission (citizen grain → consultation grain → journal commit → ack)
// in a consultation that already holds N items, on the embedded default (SQLite, WAL, fsync on) or
// on PostgreSQL (the database is migrated first; use an empty database, the bench leaves its rows).
// Usage: dotnet run --project bench/JournalBench -c Release -- [--sizes 1000,50000] [--samples 500]
//          [--storage sqlite|postgres] [--connection "<connection string>"] [--warmup 0]
// --warmup N first fills and measures a throw-away consultation of N items, unreported, so the
// first reported size is not also the one that pays for JIT tiering and connection warm-up.
var storage = Option("--storage", "sqlite");
var connection = Option("--connection", "");
var warmup = int.Parse(Option("--warmup", "0"), CultureInfo.InvariantCulture);
var sizes = Option("--sizes", "1000,50000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var samples = int.Parse(Option("--samples", "500"), CultureInfo.InvariantCulture);
var dataDirectory = Path.Combine(Path.GetTempPath(), "dialogue-journal-bench", Guid.NewGuid().ToString("N"));

var host = await StartHost();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var consultations = new List<string>();

Console.WriteLine($"# journal append latency on {storage}, {samples} sequential submissions after preloading; {Environment.ProcessorCount} cores; " +
    (storage == "postgres" ? $"database {new Npgsql.NpgsqlConnectionStringBuilder(connection).Database}" : $"data in {dataDirectory}"));
Console.WriteLine("| existing items | p50 ms | p95 ms | p99 ms | mean ms | preload items/s |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
var p50s = new List<double>();
if (warmup > 0)
{
    await Measure(warmup);
}

foreach (var size in sizes)
{
    var (id, latencies, preloadRate) = await Measure(size);
    consultations.Add(id);
    var p50 = Percentile(latencies, 0.50);
    p50s.Add(p50);
    Console.WriteLine(FormattableString.Invariant($"| {size:N0} | {p50:F2} | {Percentile(latencies, 0.95):F2} | {Percentile(latencies, 0.99):F2} | {latencies.Average():F2} | {preloadRate:F0} |"));
}

async Task<(string Id, double[] Latencies, double PreloadRate)> Measure(int size)
{
    var id = ConsultationIds.New();
    await grains.GetGrain<IConsultationGrain>(id).Create(new CreateConsultation("bench", "", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "bench"));

    // Preload with 64 citizens in parallel; their appends share commits.
    var preload = Stopwatch.StartNew();
    var citizens = Enumerable.Range(0, 64).Select(_ => grains.GetGrain<ICitizenGrain>(CitizenIds.New())).ToArray();
    await Task.WhenAll(citizens.Select(async (citizen, c) =>
    {
        for (var i = c; i < size; i += citizens.Length)
        {
            await citizen.Submit(id, $"pre-{i}", $"Pertanyaan awal nomor {i} tentang layanan publik");
        }
    }));
    var preloadRate = size / preload.Elapsed.TotalSeconds;

    // A fresh citizen, warmed up, so activation cost is not in the samples.
    var measuring = grains.GetGrain<ICitizenGrain>(CitizenIds.New());
    for (var w = 0; w < 20; w++)
    {
        await measuring.Submit(id, $"warm-{w}", "pemanasan");
    }

    var latencies = new double[samples];
    for (var i = 0; i < samples; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await measuring.Submit(id, $"m-{i}", $"Pertanyaan terukur nomor {i}");
        latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    Array.Sort(latencies);
    return (id, latencies, preloadRate);
}

// Activation after a restart replays the journal: how long until the first answer.
await host.StopAsync();
host.Dispose();
host = await StartHost();
grains = host.Services.GetRequiredService<IGrainFactory>();
var activations = new List<double>();
foreach (var id in consultations)
{
    var start = Stopwatch.GetTimestamp();
    await grains.GetGrain<IConsultationGrain>(id).GetInfo();
    activations.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}

Console.WriteLine(FormattableString.Invariant($"# activation after restart (journal replay): {string.Join(", ", sizes.Zip(activations, (size, ms) => $"{size:N0} items {ms:F0} ms"))}"));
await host.StopAsync();
host.Dispose();
if (Directory.Exists(dataDirectory))
{
    Directory.Delete(dataDirectory, recursive: true);
}

Console.WriteLine(FormattableString.Invariant($"storage={storage} warmup={warmup} sizes={string.Join(',', sizes)} p50_ms={string.Join(',', p50s.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))} ratio_last_to_first={p50s[^1] / p50s[0]:F2} activation_ms={string.Join(',', activations.Select(a => a.ToString("F0", CultureInfo.InvariantCulture)))}"));

async Task<IHost> StartHost()
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Dialogue:DataDirectory"] = dataDirectory,
        ["Dialogue:SubmissionsPerMinute"] = "10000",
        ["Dialogue:SiloPort"] = "11191",
        ["Dialogue:GatewayPort"] = "30091",
        ["Dialogue:Storage"] = storage,
        ["Dialogue:MigrateOnStart"] = "true",
        ["ConnectionStrings:Dialogue"] = connection.Length > 0 ? connection : null,
    });
    builder.AddDialogueSilo();
    var started = builder.Build();
    await started.StartAsync();
    return started;
}

static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
