using System.Diagnostics;
using System.Globalization;
using OpenGov.Dialogue.Opinion;

// Speed targets of issue 6 on synthetic votes: full recompute ≤ 1 s on one core and ApplyVote ≤ 1 ms p99
// at 10,000 participants × 1,000 statements.
// Usage: OpinionBench [participants] [statements] [votes-per-participant]
var participants = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var statements = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
var votesEach = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;

// Pin to one core so the figure means "one core" even on a shared machine.
if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
{
    Process.GetCurrentProcess().ProcessorAffinity = 1;
}

var random = new Random(42);
const int Camps = 4;
var stance = new sbyte[Camps, statements];
for (var c = 0; c < Camps; c++)
{
    for (var s = 0; s < statements; s++)
    {
        stance[c, s] = random.NextDouble() < 0.5 ? (sbyte)1 : (sbyte)-1;
    }
}

// Four camps with 25 % noise: 10 % passes, 15 % votes against the camp.
sbyte VoteOf(long participant, int statement)
{
    var roll = random.NextDouble();
    if (roll < 0.1)
    {
        return 0;
    }

    var vote = stance[(int)(participant % Camps), statement];
    return roll < 0.25 ? (sbyte)-vote : vote;
}

var votes = new List<VoteRecord>(participants * votesEach);
for (var p = 0; p < participants; p++)
{
    foreach (var s in Enumerable.Range(0, statements).OrderBy(_ => random.Next()).Take(votesEach))
    {
        votes.Add(new VoteRecord(p, s, VoteOf(p, s)));
    }
}

OpinionModel Load()
{
    var model = new OpinionModel();
    foreach (var vote in votes)
    {
        model.ApplyVote(vote.ParticipantId, vote.StatementId, vote.Value);
    }

    return model;
}

string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
string F3(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

// First recompute in a fresh process (includes JIT), then a first recompute with the code warm,
// then the periodic case: a recompute warm-started from the previous one.
var clock = Stopwatch.StartNew();
Load().Recompute();
var coldProcess = clock.Elapsed.TotalMilliseconds;
var model = Load();
clock.Restart();
model.Recompute();
var firstRecompute = clock.Elapsed.TotalMilliseconds;
clock.Restart();
model.Recompute();
var warmStarted = clock.Elapsed.TotalMilliseconds;
clock.Restart();
var snapshot = model.Snapshot();
var snapshotMs = clock.Elapsed.TotalMilliseconds;
Console.WriteLine($"groups={snapshot.Groups.Count} in_analysis={snapshot.ParticipantsInAnalysis}");

// Live votes: mostly existing participants voting on statements, some newcomers.
const int LiveVotes = 100_000;
var perVote = new double[LiveVotes];
for (var i = 0; i < LiveVotes; i++)
{
    long participant = random.NextDouble() < 0.9 ? random.Next(participants) : participants + random.Next(5_000);
    var statement = random.Next(statements);
    var vote = VoteOf(participant, statement);
    var start = Stopwatch.GetTimestamp();
    model.ApplyVote(participant, statement, vote);
    perVote[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

Array.Sort(perVote);
Console.WriteLine(
    $"participants={participants} statements={statements} votes={votes.Count} recompute_first_process_ms={F(coldProcess)} " +
    $"recompute_ms={F(firstRecompute)} recompute_warm_started_ms={F(warmStarted)} snapshot_ms={F(snapshotMs)} " +
    $"per_vote_ms_p50={F3(perVote[LiveVotes / 2])} per_vote_ms_p99={F3(perVote[(int)(LiveVotes * 0.99)])} per_vote_ms_max={F3(perVote[^1])}");
