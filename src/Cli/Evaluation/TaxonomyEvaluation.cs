using System.Globalization;
using OpenGov.Dialogue.Analysis.Topics;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// <c>eval taxonomy</c>: how the default starting taxonomy's suggestions compare with a file's own labels,
/// through a mapping from the file's labels to the taxonomy's keys (<c>--map "a=infrastruktur,b=sosial"</c>;
/// labels left out of the map have no counterpart and are counted apart). Nothing is trained or tuned: it
/// measures the suggestions a new consultation gets before moderators tag anything.
/// </summary>
internal static class TaxonomyEvaluation
{
    public const string Help = "--data A.csv --text-column T --label-column L --map \"label=key,label=key\"";

    public static Task<int> RunAsync(CliArgs args)
    {
        var rows = LabelledData.Read(args.Required("data"), args.Required("text-column"), args.Required("label-column"));
        var keys = DefaultTaxonomy.Instance.Topics.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in args.Required("map").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !keys.Contains(parts[1]))
            {
                throw new CliException($"--map entry '{pair}' must be label=key with a key of the default taxonomy ({string.Join(", ", keys)})");
            }

            map[parts[0]] = parts[1];
        }

        int suggested = 0, sure = 0, mapped = 0, mappedSure = 0, rightSure = 0, mappedAny = 0, rightAny = 0;
        var perKey = keys.ToDictionary(k => k, _ => (Tp: 0, Fp: 0, Fn: 0), StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var prediction = DefaultTaxonomy.Instance.Predict(row.Text);
            var truth = map.GetValueOrDefault(row.Label);
            suggested += prediction is null ? 0 : 1;
            sure += prediction is { IsUnsure: false } ? 1 : 0;
            if (truth is null)
            {
                continue;
            }

            mapped++;
            if (prediction is not null)
            {
                mappedAny++;
                rightAny += prediction.Topic == truth ? 1 : 0;
            }

            if (prediction is { IsUnsure: false })
            {
                mappedSure++;
                var right = prediction.Topic == truth;
                rightSure += right ? 1 : 0;
                var p = perKey[prediction.Topic];
                perKey[prediction.Topic] = right ? p with { Tp = p.Tp + 1 } : p with { Fp = p.Fp + 1 };
                if (!right)
                {
                    var t = perKey[truth];
                    perKey[truth] = t with { Fn = t.Fn + 1 };
                }
            }
            else
            {
                var t = perKey[truth];
                perKey[truth] = t with { Fn = t.Fn + 1 };
            }
        }

        foreach (var (key, c) in perKey.Where(p => p.Value.Tp + p.Value.Fp + p.Value.Fn > 0).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"{key,-16} sure_precision={Metrics.Format(Ratio(c.Tp, c.Tp + c.Fp))} sure_recall={Metrics.Format(Ratio(c.Tp, c.Tp + c.Fn))} (tp={c.Tp} fp={c.Fp} fn={c.Fn})");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows={rows.Count} mapped_rows={mapped} suggested_share={Metrics.Format(Ratio(suggested, rows.Count))} sure_share={Metrics.Format(Ratio(sure, rows.Count))} accuracy_when_suggested={Metrics.Format(Ratio(rightAny, mappedAny))} precision_when_sure={Metrics.Format(Ratio(rightSure, mappedSure))} sure_on_mapped={Metrics.Format(Ratio(mappedSure, mapped))}"));
        return Task.FromResult(0);
    }

    private static double Ratio(int a, int b) => b == 0 ? 0 : a / (double)b;
}
