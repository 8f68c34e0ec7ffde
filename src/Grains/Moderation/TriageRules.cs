using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenGov.Dialogue.Consultations;

/// <summary>How urgently a moderator should look, and why (the top signal).</summary>
public sealed record TriageResult(double Score, string Reason, string? DuplicateOf);

/// <summary>
/// The placeholder triage rule until the ML models are wired in: links, repeated characters,
/// keyboard mash, shouting, very short or very long text, and near-exact duplicates.
/// </summary>
public static partial class TriageRules
{
    public const string None = "none";

    public static TriageResult Score(string text, string? duplicateOf)
    {
        var signals = new List<(double Weight, string Reason)>();
        if (duplicateOf is not null)
        {
            signals.Add((0.8, "duplicate"));
        }

        var links = LinkPattern().Count(text);
        if (links > 0)
        {
            signals.Add((Math.Min(0.6, 0.3 * links), "spam"));
        }

        if (RepeatPattern().IsMatch(text))
        {
            signals.Add((0.3, "spam"));
        }

        var letters = text.Count(char.IsLetter);
        if (letters >= 8)
        {
            var vowels = text.Count(c => "aeiouAEIOU".Contains(c));
            if ((double)vowels / letters < 0.15)
            {
                signals.Add((0.4, "spam"));
            }

            var upper = text.Count(char.IsUpper);
            if ((double)upper / letters > 0.8 && letters >= 12)
            {
                signals.Add((0.2, "abuse"));
            }
        }

        if (text.Length < 10)
        {
            signals.Add((0.2, "off_topic"));
        }
        else if (text.Length > 1000)
        {
            signals.Add((0.1, "multiple_ideas"));
        }

        if (signals.Count == 0)
        {
            return new TriageResult(0, None, null);
        }

        var top = signals.MaxBy(s => s.Weight);
        return new TriageResult(Math.Min(1, signals.Sum(s => s.Weight)), top.Reason, duplicateOf);
    }

    /// <summary>Text reduced to letters and digits, lower case, single spaces: equal keys are near-exact duplicates.</summary>
    public static string DuplicateKey(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"(https?://|www\.)\S+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"(.)\1{4,}", RegexOptions.CultureInvariant)]
    private static partial Regex RepeatPattern();
}
