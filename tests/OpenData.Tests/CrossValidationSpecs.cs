using System.Globalization;
using System.Text;
using OpenGov.Dialogue.Analysis.Data;
using OpenGov.Dialogue.Analysis.Grouping;
using OpenGov.Dialogue.Cli;
using OpenGov.Dialogue.Cli.Evaluation;

namespace OpenGov.Dialogue.OpenData.Tests;

/// <summary>
/// The --cv modes added for issue #18 beyond topics and binary: eval groups (group K − 1 folds, place the
/// held-out one), eval moderation and eval opinion (one fold per conversation). Console is process-wide,
/// so these share the CLI collection.
/// </summary>
[Collection(nameof(CliSpecs))]
[Trait("Category", "unit")]
public sealed class CrossValidationSpecs : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("cv-specs-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static readonly Dictionary<string, string[]> Topics = new()
    {
        ["roads"] = ["jalan", "rusak", "berlubang", "aspal", "macet", "jembatan", "trotoar", "lampu"],
        ["schools"] = ["sekolah", "guru", "murid", "kelas", "buku", "seragam", "beasiswa", "ujian"],
        ["health"] = ["dokter", "obat", "puskesmas", "pasien", "perawat", "vaksin", "antrean", "bpjs"],
    };

    private static List<LabelledRow> Rows(int perTopic)
    {
        var random = new Random(3);
        string[] filler = ["tolong", "mohon", "warga", "desa", "kami", "segera"];
        return Topics.SelectMany(t => Enumerable.Range(0, perTopic).Select(i => new LabelledRow(
                $"{string.Join(' ', Enumerable.Range(0, 8).Select(_ => random.NextDouble() < 0.7 ? t.Value[random.Next(t.Value.Length)] : filler[random.Next(filler.Length)]))} {i}",
                t.Key)))
            .OrderBy(_ => random.Next()).ToList();
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            return (await CommandLine.RunAsync(args), stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void A_groups_fold_groups_the_other_folds_and_scores_only_the_placed_rows()
    {
        var rows = Rows(40);
        var folds = StratifiedFolds.Assign(rows.Select(r => r.Text).ToList(), rows.Select(r => r.Label).ToList(), 4, seed: 42);
        var grouper = new ConcernGrouper(new GrouperOptions { Groups = 3, Dimensions = 10 });
        for (var f = 0; f < 4; f++)
        {
            var figures = GroupsEvaluation.CrossValidateFold(grouper, rows, folds, f).ToDictionary(m => m.Name, m => m.Value);
            Assert.Equal(["NMI_heldout", "ARI_heldout", "NMI_grouped"], figures.Keys);

            // Three well-separated vocabularies: texts never grouped still land with their own topic.
            Assert.True(figures["NMI_heldout"] > 0.6, $"fold {f}: held-out NMI {figures["NMI_heldout"]}");
        }
    }

    [Fact]
    public async Task Eval_groups_cv_prints_each_fold_and_the_mean_and_every_row_is_placed_once()
    {
        var csv = Path.Combine(_temp, "groups.csv");
        var rows = Rows(30);
        File.WriteAllText(csv, "text,label\n" + string.Concat(rows.Select(r => $"{r.Text},{r.Label}\n")), new UTF8Encoding(false));

        var (exit, output, error) = await Run("eval", "groups", "--data", csv, "--text-column", "text", "--label-column", "label", "--cv", "3", "--dimensions", "10");

        Assert.True(exit == 0, error);
        var foldLines = output.Split('\n').Where(l => l.StartsWith("fold ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, foldLines.Count);
        var placed = foldLines.Sum(l => int.Parse(l.Split(' ').First(w => w.StartsWith("placed=", StringComparison.Ordinal))[7..], CultureInfo.InvariantCulture));
        Assert.Equal(rows.Count, placed);
        Assert.Contains("cv3 NMI_heldout = ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cv_over_conversations_takes_k_from_the_conversations_and_refuses_another_k()
    {
        var root = Directory.CreateDirectory(Path.Combine(_temp, "polis")).FullName;
        for (var c = 0; c < 3; c++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, $"conversation-{c}")).FullName;
            var text = new StringBuilder("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n");
            for (var i = 0; i < 40; i++)
            {
                var junk = i % 3 == 0;
                var body = junk ? $"asdf qwer {i} zxcv" : $"the city should fund {Topics.Values.ElementAt(i % 3)[i % 8]} and {Topics.Values.ElementAt((i + 1) % 3)[(i * 3) % 8]} for everyone";
                text.Append(CultureInfo.InvariantCulture, $"{1000 + i},x,{i},{i},1,0,{(junk ? -1 : 1)},\"{body}\"\n");
            }

            File.WriteAllText(Path.Combine(folder, "comments.csv"), text.ToString(), new UTF8Encoding(false));
        }

        Assert.Equal(3, ModerationEvaluation.ConversationDirs(root).Count);

        var (exit, output, error) = await Run("eval", "moderation", "--data", root, "--cv");
        Assert.True(exit == 0, error);
        Assert.Equal(3, output.Split('\n').Count(l => l.StartsWith("fold ", StringComparison.Ordinal)));
        Assert.Contains("test=conversation-2", output, StringComparison.Ordinal);
        Assert.Contains("loco3 AUC = ", output, StringComparison.Ordinal);

        var (wrongK, _, message) = await Run("eval", "moderation", "--data", root, "--cv", "5");
        Assert.Equal(2, wrongK);
        Assert.Contains("number of conversations (3)", message, StringComparison.Ordinal);

        var (mixed, _, _) = await Run("eval", "moderation", "--data", root, "--cv", "--train", root);
        Assert.Equal(2, mixed);
    }

    [Fact]
    public async Task Eval_opinion_cv_scores_each_conversation_and_prints_the_mean()
    {
        var folders = string.Join(',', PolisData.Folder("15-per-hour-seattle"), PolisData.Folder("scoop-hivemind.biodiversity"));

        var (exit, output, error) = await Run("eval", "opinion", "--polis", folders, "--cv");

        Assert.True(exit == 0, error);
        var folds = output.Split('\n').Where(l => l.StartsWith("fold ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, folds.Count);
        Assert.Contains("conversation=15-per-hour-seattle ARI=", folds[0], StringComparison.Ordinal);
        Assert.Contains("conversation=scoop-hivemind.biodiversity ARI=", folds[1], StringComparison.Ordinal);
        Assert.StartsWith("per-conversation2 ARI = ", output.TrimEnd('\n').Split('\n')[^1], StringComparison.Ordinal);

        var (wrongK, _, message) = await Run("eval", "opinion", "--polis", folders, "--cv", "5");
        Assert.Equal(2, wrongK);
        Assert.Contains("number of conversations (2)", message, StringComparison.Ordinal);
    }
}
