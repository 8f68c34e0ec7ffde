using OpenGov.Dialogue.Analysis.Data;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>A text and its label as read from a CSV row.</summary>
internal sealed record LabelledRow(string Text, string Label);

/// <summary>Reads text/label columns from CSV files and, when no test file is given, splits one file.</summary>
internal static class LabelledData
{
    public static CsvTable Open(string path)
    {
        try
        {
            return CsvTable.Load(path);
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"file not found: {path}");
        }
        catch (InvalidDataException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    /// <summary>
    /// Rows of <paramref name="textColumns"/> ("title+content" joins several) and <paramref name="labelColumn"/>.
    /// Rows with empty text or label are skipped and counted on stderr. With <paramref name="firstLabelOf"/>
    /// a multi-label cell ("a,b") keeps its first label.
    /// </summary>
    public static List<LabelledRow> Read(string path, string textColumns, string? labelColumn, string? firstLabelOf = null)
    {
        var table = Open(path);
        var textIndexes = textColumns.Split('+').Select(c => Column(table, c)).ToArray();
        var labelIndex = labelColumn is null ? -1 : Column(table, labelColumn);
        var rows = new List<LabelledRow>(table.Rows.Count);
        var skipped = 0;
        foreach (var row in table.Rows)
        {
            var text = string.Join("\n", textIndexes.Select(i => row[i]).Where(t => !string.IsNullOrWhiteSpace(t)));
            var label = labelIndex < 0 ? string.Empty : row[labelIndex].Trim();
            if (firstLabelOf is not null)
            {
                label = label.Split(firstLabelOf, 2)[0].Trim();
            }

            if (string.IsNullOrWhiteSpace(text) || labelIndex >= 0 && label.Length == 0)
            {
                skipped++;
                continue;
            }

            rows.Add(new LabelledRow(text, label));
        }

        if (skipped > 0)
        {
            Console.Error.WriteLine($"note: {path}: skipped {skipped} row(s) with empty text or label");
        }

        if (rows.Count == 0)
        {
            throw new CliException($"{path}: no rows with non-empty text in column '{textColumns}'");
        }

        return rows;
    }

    /// <summary>
    /// --test, or a seeded stratified split of --train (--holdout fraction, --seed) where identical texts
    /// stay on one side so a test text is never also a training text.
    /// </summary>
    public static (List<LabelledRow> Train, List<LabelledRow> Test) TrainAndTest(CliArgs args, string? firstLabelOf = null)
    {
        var textColumn = args.Required("text-column");
        var labelColumn = args.Required("label-column");
        var train = Read(args.Required("train"), textColumn, labelColumn, firstLabelOf);
        var testPath = args.Optional("test");
        if (testPath is not null)
        {
            if (args.Has("holdout"))
            {
                throw new CliException("give either --test or --holdout, not both");
            }

            return (train, Read(testPath, textColumn, labelColumn, firstLabelOf));
        }

        if (!args.Has("holdout"))
        {
            throw new CliException("missing option --test (or --holdout FRACTION to split --train)");
        }

        var holdout = args.OptionalDouble("holdout", double.NaN);
        if (!(holdout > 0 && holdout < 1))
        {
            throw new CliException($"--holdout must be a fraction between 0 and 1, got '{args.Optional("holdout")}'");
        }

        return Split(train, holdout, args.OptionalInt("seed", 42));
    }

    public static (List<LabelledRow> Train, List<LabelledRow> Test) Split(List<LabelledRow> rows, double holdout, int seed)
    {
        var random = new Random(seed);
        var train = new List<LabelledRow>();
        var test = new List<LabelledRow>();
        foreach (var stratum in rows.GroupBy(r => r.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var groups = stratum.GroupBy(r => r.Text, StringComparer.Ordinal).ToList();
            var order = groups.Select(_ => random.NextDouble()).ToArray();
            var shuffled = groups.Zip(order).OrderBy(p => p.Second).Select(p => p.First).ToList();
            var target = (int)Math.Round(stratum.Count() * holdout);
            var taken = 0;
            foreach (var group in shuffled)
            {
                if (taken < target)
                {
                    test.AddRange(group);
                    taken += group.Count();
                }
                else
                {
                    train.AddRange(group);
                }
            }
        }

        // Identical texts with different labels must still not cross the split.
        var testTexts = test.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
        var leaked = train.Where(r => testTexts.Contains(r.Text)).ToList();
        train.RemoveAll(r => testTexts.Contains(r.Text));
        test.AddRange(leaked);
        return (train, test);
    }

    private static int Column(CsvTable table, string name)
    {
        try
        {
            return table.Column(name);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException(ex.Message);
        }
    }
}
