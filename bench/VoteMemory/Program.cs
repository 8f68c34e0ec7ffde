using System.Diagnostics;
using System.Globalization;
using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Opinion;

// Live managed bytes per stored vote, by the structure that holds it: the consultation's ledger and
// the opinion grain's analysis (the citizen grain and the topic board keep no per-vote state). Votes
// go through the journal's codec one by one, as on replay, so each carries its own citizen-id
// string the way a call or a journal row delivers it.
var arguments = args.Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
int Arg(string name, int fallback) => arguments.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var citizens = Arg("citizens", 5000);
var items = Arg("items", 400);
var votes = Arg("votes", 1_000_000);
if (votes > (long)citizens * items)
{
    Console.Error.WriteLine("At most one vote per citizen and item: --votes must be ≤ citizens × items.");
    return 1;
}

var citizenIds = Enumerable.Range(0, citizens).Select(_ => CitizenIds.New()).ToArray();
var at = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
Console.WriteLine($"{citizens:N0} citizens, {items:N0} items, {votes:N0} votes (deliberation; each citizen votes at most once per item)");

// Vote j: citizen j mod C, on the citizen's (j div C)-th item of a walk that never repeats an item (its step is prime to the item count).
var step = Enumerable.Range(2, items).First(s => Gcd(s, items) == 1 && s > 6);
VoteCast Vote(int j)
{
    var citizen = j % citizens;
    var item = ((citizen * 31) + ((j / citizens) * step)) % items;
    var e = new VoteCast($"i{item + 1}", citizenIds[citizen], (j % 3) - 1);
    return (VoteCast)ConsultationEventCodec.Decode(ConsultationEventCodec.Encode("bench", j + 1, e, null, at));
}

// Ledger.
var ledger = Ledger();

var before = Live();
var watch = Stopwatch.StartNew();
for (var j = 0; j < votes; j++)
{
    ledger.Apply(ledger.LastSeq + 1, at, Vote(j));
}

var ledgerSeconds = watch.Elapsed.TotalSeconds;
var ledgerBytes = Live() - before;
GC.KeepAlive(ledger);
var tallied = ledger.Items.Sum(i => i.Tally.Agree + i.Tally.Disagree + i.Tally.Pass);
ledger = null;

// The same ledger with every vote carrying the one id string the test holds per citizen: the
// difference to the first is what the per-vote copies of the id cost.
ledger = Ledger();

before = Live();
for (var j = 0; j < votes; j++)
{
    var v = Vote(j);
    ledger.Apply(ledger.LastSeq + 1, at, v with { CitizenId = citizenIds[j % citizens] });
}

var sharedBytes = Live() - before;
GC.KeepAlive(ledger);
ledger = null;

// The opinion grain: participant numbers by citizen id, and the model.
var model = new OpinionModel();
var participants = new Dictionary<string, long>(StringComparer.Ordinal);
for (var i = 0; i < items; i++)
{
    model.SetModeratedOut(i + 1, moderatedOut: false);
}

before = Live();
watch.Restart();
for (var j = 0; j < votes; j++)
{
    var v = Vote(j);
    if (!participants.TryGetValue(v.CitizenId, out var participant))
    {
        participant = participants.Count;
        participants[v.CitizenId] = participant;
    }

    model.ApplyVote(participant, long.Parse(v.ItemId.AsSpan(1), CultureInfo.InvariantCulture), (sbyte)v.Value);
}

var opinionSeconds = watch.Elapsed.TotalSeconds;
watch.Restart();
model.Recompute();
var recomputeMs = watch.Elapsed.TotalMilliseconds;
var opinionBytes = Live() - before;
GC.KeepAlive(model);
GC.KeepAlive(participants);

Console.WriteLine($"votes tallied by the ledger: {tallied:N0}");
Console.WriteLine("| holder | live bytes | bytes per vote | apply µs per vote (incl. journal decode) |");
Console.WriteLine("|---|---:|---:|---:|");
Console.WriteLine($"| consultation ledger | {ledgerBytes:N0} | {ledgerBytes / (double)votes:N1} | {ledgerSeconds * 1e6 / votes:N2} |");
Console.WriteLine($"| consultation ledger, one id string per citizen | {sharedBytes:N0} | {sharedBytes / (double)votes:N1} | |");
Console.WriteLine($"| opinion grain (model + participant ids) | {opinionBytes:N0} | {opinionBytes / (double)votes:N1} | {opinionSeconds * 1e6 / votes:N2} |");
Console.WriteLine($"| ledger + opinion grain | {ledgerBytes + opinionBytes:N0} | {(ledgerBytes + opinionBytes) / (double)votes:N1} | |");
Console.WriteLine($"opinion recompute after the votes: {recomputeMs:N0} ms");
return 0;

// A deliberation with the items published, no votes yet.
ConsultationLedger Ledger()
{
    var fresh = new ConsultationLedger(ConsultationMode.Deliberation);
    for (var i = 0; i < items; i++)
    {
        fresh.Apply(fresh.LastSeq + 1, at, new ItemSubmitted($"i{i + 1}", citizenIds[i % citizens], "Warga-A", $"c{i}", $"Pernyataan {i}", ItemStatus.Published));
    }

    return fresh;
}

static long Live()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
