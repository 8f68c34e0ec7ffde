using OpenGov.Dialogue.Load;

// dotnet run --project bench/Load -c Release -- <scenario> [--connections N] [--rate R] [--seconds S] [--target URL]
// Each scenario prints a Markdown table and, as its last line, name=value pairs.
var options = LoadOptions.Parse(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "moderation-burst" => await ModerationBurst.RunAsync(options),
    "townhall" => await Townhall.RunAsync(options),
    "ingest" => await Ingest.RunAsync(options),
    "replay" => await Replay.RunAsync(options),
    "soak" => await Soak.RunAsync(options),
    "identities" => await Identities.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dialogue-load <townhall|ingest|moderation-burst|replay|soak|identities> [--connections N] [--rate R] [--votes V] [--submissions N] [--seconds S] [--moderators M] [--target URL --admin-key K]");
    Console.Error.WriteLine("  townhall [--protocol json|messagepack] [--warmup S] [--probes P] [--baseline false]");
    Console.Error.WriteLine("  replay [--conversation NAME] [--data DIR] [--speedup F] [--max-gap S] [--probes P] [--baseline off]");
    Console.Error.WriteLine("  soak [--seconds 1800] [--connections 1000] [--rate 2] [--votes 100] [--sample 10]");
    Console.Error.WriteLine("  identities [--identities 1000] [--bits 16] [--budget 1000] [--parallel 2]");
    return 2;
}
