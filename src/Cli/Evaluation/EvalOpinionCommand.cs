using System.Diagnostics;
using System.Globalization;
using OpenGov.Dialogue.Opinion;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// `dialogue eval opinion --polis DIR [--replay] [--recompute-every N]`: runs the opinion-group
/// pipeline on a Pol.is export and compares its groups with the ones Pol.is assigned (ARI over the
/// participants Pol.is placed in a group). --replay feeds votes.csv in time order through the live
/// per-vote path with periodic recomputations, as a grain would.
/// </summary>
public static class EvalOpinionCommand
{
    public const string Help = "opinion groups vs Pol.is's own: --polis DIR [--replay] [--recompute-every N] [--keep-polis-participants] [--restarts N] [--margin X] [--dump positions.csv] | --polis DIR[,DIR...] --cv [K]  (one fold per conversation, DIR may be one folder of conversation folders: per-conversation ARI, mean ± sd)";

    public static Task<int> RunAsync(CliArgs args)
    {
        if (!args.Has("cv"))
        {
            Evaluate(args.Required("polis"), args);
            return Task.FromResult(0);
        }

        // Nothing is trained on the conversations (the method has no learned parameters), so "cross-validation"
        // here is one fold per conversation: each is grouped on its own and scored against Pol.is's groups;
        // the spread over conversations is what an unseen conversation may get.
        var folders = ModerationEvaluation.ConversationDirs(args.Required("polis"));
        if (folders.Count < 2)
        {
            throw new CliException($"--cv needs at least 2 conversations in --polis (a comma-separated list or one folder of conversation folders), found {folders.Count}");
        }

        if (args.Optional("cv") is { } raw && args.OptionalInt("cv", folders.Count) != folders.Count)
        {
            throw new CliException($"--cv for opinion groups is one fold per conversation: K is the number of conversations ({folders.Count}), got {raw}; give bare --cv or --cv {folders.Count}");
        }

        var results = new List<(string Name, double Ari)>();
        foreach (var folder in folders)
        {
            if (args.Has("replay") && !File.Exists(Path.Combine(folder, "votes.csv")))
            {
                Console.WriteLine($"== {folder}: skipped, no votes.csv to replay");
                continue;
            }

            Console.WriteLine($"== {folder}");
            results.Add((Path.GetFileName(folder.TrimEnd('/')), Evaluate(folder, args)));
        }

        for (var i = 0; i < results.Count; i++)
        {
            Console.WriteLine($"fold {i + 1}/{results.Count} conversation={results[i].Name} ARI={Format(results[i].Ari)}");
        }

        var (mean, sd) = OpenGov.Dialogue.Analysis.Data.StratifiedFolds.MeanAndSd(results.Select(r => r.Ari).ToList());
        Console.WriteLine($"per-conversation{results.Count} ARI = {mean:0.0000} ± {sd:0.0000}  (conversations: {string.Join(" ", results.Select(r => r.Ari.ToString("0.0000", CultureInfo.InvariantCulture)))})");
        return Task.FromResult(0);
    }

    private static double Evaluate(string folder, CliArgs args)
    {
        var replay = args.Has("replay");
        var recomputeEvery = args.OptionalInt("recompute-every", 1000);
        if (recomputeEvery < 1)
        {
            throw new CliException("--recompute-every must be at least 1");
        }

        var conversation = PolisExport.Read(folder);
        var votes = replay ? conversation.VotesInTimeOrder() : null;
        var clock = Stopwatch.StartNew();
        var defaults = new OpinionOptions();
        var model = new OpinionModel(defaults with
        {
            GroupRestarts = args.OptionalInt("restarts", defaults.GroupRestarts),
            GroupCountMargin = OptionalDouble(args, "margin", defaults.GroupCountMargin),
        });
        foreach (var statement in conversation.ModeratedOut)
        {
            model.SetModeratedOut(statement, moderatedOut: true);
        }

        // Pol.is's in-analysis set is "once in, always in" state; --keep-polis-participants seeds it from the export.
        if (args.Has("keep-polis-participants"))
        {
            foreach (var participant in conversation.Participants.Where(p => p.GroupId is not null))
            {
                model.AdmitToAnalysis(participant.Participant);
            }
        }

        string extra = "";
        if (votes is null)
        {
            foreach (var participant in conversation.Participants)
            {
                foreach (var (statement, value) in conversation.VotesOf(participant))
                {
                    model.ApplyVote(participant.Participant, statement, value);
                }
            }

            model.Recompute();
        }
        else
        {
            var perVote = new double[votes.Count];
            var recomputations = 0;
            for (var i = 0; i < votes.Count; i++)
            {
                var vote = votes[i];
                var start = Stopwatch.GetTimestamp();
                model.ApplyVote(vote.VoterId, vote.CommentId, (sbyte)vote.Vote);
                perVote[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if ((i + 1) % recomputeEvery == 0)
                {
                    model.Recompute();
                    recomputations++;
                }
            }

            model.Recompute();
            recomputations++;
            Array.Sort(perVote);
            var p99 = perVote.Length == 0 ? 0 : perVote[Math.Min(perVote.Length - 1, (int)Math.Ceiling(perVote.Length * 0.99) - 1)];
            Console.WriteLine($"replayed {votes.Count} vote events, {recomputations} recomputations (every {recomputeEvery} votes)");
            extra = $" per_vote_ms_p99={Format(p99)}";
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var snapshot = model.Snapshot();
        var ours = new List<int>();
        var theirs = new List<int>();
        var strict = new List<int>();
        foreach (var participant in conversation.Participants)
        {
            if (participant.GroupId is not { } polisGroup)
            {
                continue;
            }

            // Someone Pol.is placed but who is in none of our groups gets the group they are closest to on
            // our map (what the product would show them); the strict figure, with them as "-1", is printed too.
            var position = snapshot.Participant(participant.Participant);
            theirs.Add(polisGroup);
            ours.Add(position?.GroupId ?? position?.ClosestGroupId ?? -1);
            strict.Add(position?.GroupId ?? -1);
        }

        if (args.Optional("dump") is { } dumpPath)
        {
            WritePositions(dumpPath, conversation, snapshot);
        }

        var ari = AdjustedRandIndex.Compute(ours, theirs);
        var polisGroups = theirs.Distinct().Count();
        PrintSummary(model, snapshot, ours, theirs);
        var outside = strict.Count(g => g < 0);
        var belowMinimum = conversation.Participants.Count(p => p.GroupId is not null && snapshot.Participant(p.Participant)?.InAnalysis != true);
        if (outside > 0)
        {
            var bothOurs = strict.Where(g => g >= 0).ToList();
            var bothTheirs = theirs.Where((_, i) => strict[i] >= 0).ToList();
            Console.WriteLine($"{outside} participants Pol.is placed are in none of our groups ({belowMinimum} below the {model.Options.MinVotes}-vote entry), "
                + "scored with the group they are closest to; "
                + $"ARI with them as an extra '-1' group: {Format(AdjustedRandIndex.Compute(strict, theirs))}; "
                + $"ARI on the {bothOurs.Count} placed by both: {Format(AdjustedRandIndex.Compute(bothOurs, bothTheirs))}");
        }
        Console.WriteLine(
            $"ARI={Format(ari)} groups={snapshot.Groups.Count} polis_groups={polisGroups} participants={theirs.Count} seconds={Format(seconds)}{extra}");
        return ari;
    }

    private static void PrintSummary(OpinionModel model, OpinionSnapshot snapshot, List<int> ours, List<int> theirs)
    {
        Console.WriteLine($"in analysis: {snapshot.ParticipantsInAnalysis} of {model.Matrix.ParticipantCount} participants; smoother {model.Smoother}");
        Console.WriteLine("silhouette by k: " + string.Join(" ", model.Silhouettes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{Format(kv.Value)}")));
        foreach (var group in snapshot.Groups)
        {
            var top = string.Join(", ", group.Representative.Take(3).Select(r => $"{r.StatementId}{(r.Leaning == Leaning.Agree ? "+" : "-")}"));
            Console.WriteLine($"group {group.Id}: {group.MemberCount} members, representative {top}");
        }

        var cells = ours.Zip(theirs).GroupBy(p => p).OrderBy(g => g.Key.First).ThenBy(g => g.Key.Second);
        Console.WriteLine("ours×polis: " + string.Join(" ", cells.Select(g => $"{g.Key.First}×{g.Key.Second}={g.Count()}")));
    }

    /// <summary>participant,x,y,in_analysis,group,polis_group: for plotting the map beside Pol.is's groups.</summary>
    private static void WritePositions(string path, PolisExport conversation, OpinionSnapshot snapshot)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("participant,x,y,in_analysis,group,polis_group,votes");
        foreach (var participant in conversation.Participants)
        {
            if (snapshot.Participant(participant.Participant) is not { } p)
            {
                continue;
            }

            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{p.ParticipantId},{p.Position.X:0.#####},{p.Position.Y:0.#####},{(p.InAnalysis ? 1 : 0)},{p.GroupId},{participant.GroupId},{participant.Votes.Count}"));
        }
    }

    private static double OptionalDouble(CliArgs args, string name, double fallback)
    {
        var raw = args.Optional(name);
        if (raw is null)
        {
            return fallback;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliException($"--{name} must be a number, got '{raw}'");
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
