namespace OpenGov.Dialogue.Consultations.Segments;

/// <summary>One self-described segment question of a consultation (kelurahan, age band, "I live / work / study here").</summary>
/// <param name="ReferenceShares">Optional shares of the options in a reference population the admin enters (census), summing to about 1.</param>
public sealed record SegmentQuestion(string Key, IReadOnlyList<string> Options, IReadOnlyDictionary<string, double>? ReferenceShares = null);

/// <summary>A count that may be withheld: <see cref="Count"/> is null when the cell is suppressed.</summary>
public sealed record SegmentCell(string Option, int? Count, double? Share);

/// <summary>One option's place in "who is missing": its share among contributors against its share among participants or the reference.</summary>
/// <param name="ContributorShare">Null when fewer than <see cref="SegmentBreakdown.MinCell"/> contributors are in the segment (the cell is withheld).</param>
public sealed record SegmentGap(string Option, double BaseShare, double? ContributorShare, bool FromReference);

/// <summary>The breakdown of one question: everyone who answered, those who contributed, each group, and who is missing.</summary>
public sealed record QuestionBreakdown(
    string Question,
    IReadOnlyList<SegmentCell> Participants,
    IReadOnlyList<SegmentCell> Contributors,
    IReadOnlyDictionary<int, IReadOnlyList<SegmentCell>> Groups,
    IReadOnlyList<SegmentGap> Missing);

/// <summary>
/// Counts people by self-described segment without showing anyone: every cell is the number of distinct
/// people, and a cell of fewer than <see cref="MinCell"/> people is withheld everywhere it appears (as are
/// shares computed from it). When a row withholds exactly one cell, the next smallest is withheld too, so a
/// published total cannot give the withheld one back by subtraction. People who skipped the question are
/// not a segment and are never shown. "Who is missing": an option whose share among contributors is at most
/// <see cref="MissingRatio"/> of its share among participants (or of the reference population's share, when the
/// admin entered one), among options with a base share of at least <see cref="MinBaseShare"/> and enough
/// participants to be shown. Pure and deterministic: the consultation's grains feed it.
/// </summary>
public static class SegmentBreakdown
{
    public const int MinCell = 5;
    public const double MissingRatio = 0.5;
    public const double MinBaseShare = 0.05;

    /// <param name="answers">Each person's answer to the question (people who skipped it are absent).</param>
    /// <param name="contributors">People who posted at least one published item.</param>
    /// <param name="groups">Group id → the people with a post in that group.</param>
    public static QuestionBreakdown Of(
        SegmentQuestion question,
        IReadOnlyDictionary<string, string> answers,
        IReadOnlySet<string> contributors,
        IReadOnlyDictionary<int, IReadOnlySet<string>> groups)
    {
        var valid = answers.Where(a => question.Options.Contains(a.Value)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var contributorAnswers = valid.Where(a => contributors.Contains(a.Key)).Select(a => a.Value).ToList();
        var participants = Row(question.Options, valid.Values);
        var contributing = Row(question.Options, contributorAnswers);
        var byGroup = groups.OrderBy(g => g.Key).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<SegmentCell>)Row(question.Options, g.Value.Where(valid.ContainsKey).Select(p => valid[p])));
        return new QuestionBreakdown(question.Key, participants, contributing, byGroup, Missing(question, valid.Values, contributorAnswers, participants, contributing));
    }

    /// <summary>Counts per option, suppressed: small cells withheld, plus one more when only one would be.</summary>
    public static List<SegmentCell> Row(IReadOnlyList<string> options, IEnumerable<string> answers)
    {
        var counts = options.ToDictionary(o => o, _ => 0, StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            counts[answer]++;
        }

        var withheld = options.Where(o => counts[o] > 0 && counts[o] < MinCell).ToHashSet(StringComparer.Ordinal);
        if (withheld.Count == 1)
        {
            // The total is shown, so one withheld cell would be total minus the rest: withhold the next smallest too.
            var next = options.Where(o => !withheld.Contains(o) && counts[o] > 0).OrderBy(o => counts[o]).ThenBy(o => o, StringComparer.Ordinal).FirstOrDefault();
            if (next is not null)
            {
                withheld.Add(next);
            }
        }

        var total = counts.Values.Sum();
        return [.. options.Select(o => withheld.Contains(o) || total < MinCell
            ? new SegmentCell(o, null, null)
            : new SegmentCell(o, counts[o], total == 0 ? 0 : counts[o] / (double)total))];
    }

    private static List<SegmentGap> Missing(SegmentQuestion question, IReadOnlyCollection<string> participants, IReadOnlyCollection<string> contributors, List<SegmentCell> shownParticipants, List<SegmentCell> shownContributors)
    {
        var gaps = new List<SegmentGap>();
        if (contributors.Count < MinCell)
        {
            return gaps;
        }

        for (var i = 0; i < question.Options.Count; i++)
        {
            var option = question.Options[i];
            var fromReference = question.ReferenceShares?.ContainsKey(option) == true;

            // Only options shown among participants (or given a reference share) can be named as missing.
            double? baseShare = fromReference ? question.ReferenceShares![option] : shownParticipants[i].Share;
            if (baseShare is not { } b || b < MinBaseShare)
            {
                continue;
            }

            var share = contributors.Count(c => c == option) / (double)contributors.Count;
            if (share <= b * MissingRatio)
            {
                // The contributors' share is shown only when its cell is: "fewer than five" otherwise.
                gaps.Add(new SegmentGap(option, Math.Round(b, 4), shownContributors[i].Share is { } shown ? Math.Round(shown, 4) : null, fromReference));
            }
        }

        return [.. gaps.OrderBy(g => (g.ContributorShare ?? 0) / g.BaseShare).ThenBy(g => g.Option, StringComparer.Ordinal)];
    }
}
