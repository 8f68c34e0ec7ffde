using System.Globalization;
using System.Text.RegularExpressions;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Segments;

/// <summary>
/// What an admin may ask and what a participant may answer. Few, short questions with a closed list of options:
/// self-description, never free text about a person (free text could carry a name or a phone number).
/// </summary>
public static partial class SegmentRules
{
    public const int MaxQuestions = 5;
    public const int MinOptions = 2;
    public const int MaxOptions = 60;
    public const int MaxLabelLength = 120;
    public const int MaxOptionLength = 80;

    /// <summary>Reference shares entered by hand must add up to one within this (a typo shows as a wrong total).</summary>
    public const double ShareTolerance = 0.02;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    /// <summary>The questions trimmed and checked; throws <see cref="ErrorCodes.InvalidSegments"/> with the first problem.</summary>
    public static List<SegmentQuestion> CheckQuestions(IReadOnlyList<SegmentQuestion>? questions)
    {
        if (questions is null)
        {
            throw Invalid("questions is required (an empty list removes them).");
        }

        if (questions.Count > MaxQuestions)
        {
            throw Invalid($"At most {MaxQuestions} questions: ask only what officials need to see who is missing.");
        }

        var checkedQuestions = new List<SegmentQuestion>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var question in questions)
        {
            if (question is null)
            {
                throw Invalid("A question is missing.");
            }

            var key = question.Key?.Trim() ?? string.Empty;
            if (!KeyPattern().IsMatch(key))
            {
                throw Invalid($"Question key '{Shorten(key)}' must be 1–32 lower-case letters, digits or '-', starting with a letter or digit.");
            }

            if (!keys.Add(key))
            {
                throw Invalid($"Question key '{key}' appears twice.");
            }

            var label = question.Label?.Trim() ?? string.Empty;
            if (label.Length is 0 or > MaxLabelLength)
            {
                throw Invalid($"The label of '{key}' must be 1–{MaxLabelLength} characters.");
            }

            var options = (question.Options ?? []).Select(o => o?.Trim() ?? string.Empty).ToList();
            if (options.Count is < MinOptions or > MaxOptions)
            {
                throw Invalid($"'{key}' needs {MinOptions}–{MaxOptions} options.");
            }

            if (options.Any(o => o.Length is 0 or > MaxOptionLength))
            {
                throw Invalid($"Each option of '{key}' must be 1–{MaxOptionLength} characters.");
            }

            if (options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count)
            {
                throw Invalid($"The options of '{key}' must differ.");
            }

            checkedQuestions.Add(new SegmentQuestion(key, label, options, CheckShares(key, options, question.ReferenceShares)));
        }

        return checkedQuestions;
    }

    private static Dictionary<string, double>? CheckShares(string key, List<string> options, IReadOnlyDictionary<string, double>? shares)
    {
        if (shares is null || shares.Count == 0)
        {
            return null;
        }

        var checkedShares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (option, share) in shares)
        {
            var trimmed = option?.Trim() ?? string.Empty;
            if (!options.Contains(trimmed, StringComparer.Ordinal))
            {
                throw Invalid($"The reference share of '{Shorten(trimmed)}' in '{key}' is not one of its options.");
            }

            if (!double.IsFinite(share) || share is < 0 or > 1)
            {
                throw Invalid($"Reference shares of '{key}' must be between 0 and 1.");
            }

            checkedShares[trimmed] = share;
        }

        var total = checkedShares.Values.Sum();
        if (Math.Abs(total - 1) > ShareTolerance)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"The reference shares of '{key}' add up to {total:0.###}; they must add up to 1 (give every option its share)."));
        }

        return checkedShares;
    }

    /// <summary>
    /// A participant's answers checked against the questions: keys must be questions, values one of their options or
    /// null (not answered). Returns only the answered ones.
    /// </summary>
    public static Dictionary<string, string> CheckAnswers(IReadOnlyList<SegmentQuestion> questions, IReadOnlyDictionary<string, string?>? answers)
    {
        if (answers is null)
        {
            throw Invalid("answers is required ({} answers nothing).");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in answers)
        {
            var question = questions.FirstOrDefault(q => q.Key == key)
                ?? throw Invalid($"'{Shorten(key)}' is not a question of this consultation.");
            if (value is null)
            {
                continue;
            }

            if (!question.Options.Contains(value, StringComparer.Ordinal))
            {
                throw Invalid($"'{Shorten(value)}' is not an option of '{key}'.");
            }

            result[key] = value;
        }

        return result;
    }

    /// <summary>The answers that still fit the questions after an admin changed them.</summary>
    public static Dictionary<string, string> StillValid(IReadOnlyList<SegmentQuestion> questions, IReadOnlyDictionary<string, string> answers) =>
        answers.Where(a => questions.Any(q => q.Key == a.Key && q.Options.Contains(a.Value, StringComparer.Ordinal)))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static DialogueException Invalid(string message) => new(ErrorCodes.InvalidSegments, message);
}
