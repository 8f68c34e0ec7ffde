using OpenGov.Dialogue.Load;

// dotnet run --project bench/Load -c Release -- <scenario> [--connections N] [--rate R] [--seconds S] [--target URL]
// Each scenario prints a Markdown table and, as its last line, name=value pairs.
var options = LoadOptions.Parse(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "moderation-burst" => await ModerationBurst.RunAsync(options),
    "townhall" => await Townhall.RunAsync(options),
    "cluster" => await Cluster.RunAsync(options),
    "ingest" => await Ingest.RunAsync(options),
    "channels" => await ChannelIngest.RunAsync(options),
    "replay" => await Replay.RunAsync(options),
    "soak" => await Soak.RunAsync(options),
    "identities" => await Identities.RunAsync(options),
    "topics" => await TopicsPush.RunAsync(options),
    "fuzz" => await OpenGov.Dialogue.Load.Fuzz.FuzzScenario.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dialogue-load <townhall|cluster|ingest|channels|moderation-burst|replay|soak|identities|topics|fuzz> [--connections N] [--rate R] [--votes V] [--submissions N] [--seconds S] [--moderators M] [--target URL --admin-key K]");
    Console.Error.WriteLine("  townhall [--protocol json|messagepack] [--warmup S] [--probes P] [--baseline false]");
    Console.Error.WriteLine("  cluster [--postgres CONNECTION (or DIALOGUE_TEST_POSTGRES)] [--silos 2] [--gateways 2] [--single false] and the townhall options; default 2000 connections, 200 votes/s, 15 s");
    Console.Error.WriteLine("  replay [--conversation NAME] [--data DIR] [--speedup F] [--max-gap S] [--probes P] [--baseline off]");
    Console.Error.WriteLine("  soak [--seconds 1800] [--connections 1000] [--rate 2] [--votes 100] [--sample 10]");
    Console.Error.WriteLine("  identities [--identities 1000] [--bits 16] [--budget 1000] [--parallel 2]");
    Console.Error.WriteLine("  topics [--items 1000] [--rate 200] [--rounds 3] [--data SHARED_DATA_DIR]");
    Console.Error.WriteLine("  channels [--rate 200] [--seconds 10] [--senders 400]: signed WhatsApp webhooks, ack latency to the stored item");
    Console.Error.WriteLine("  fuzz [--cases 10000] [--hub 2000] [--raw 1000] [--seed 1]");
    return 2;
}
