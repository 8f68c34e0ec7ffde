using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Segments;

/// <summary>A topic group or opinion group and the people in it (authors of its posts, or its members).</summary>
public sealed record PeopleGroup(int Id, IReadOnlyList<string> Terms, IReadOnlySet<string> People);

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

    /// <summary>
    /// The whole breakdown of a consultation: who answered, who contributed (a published post), and each topic
    /// group (authors of its posts) and opinion group (its members), per question.
    /// </summary>
    /// <param name="answers">Each person's answers (question key → option); people who answered nothing are absent.</param>
    /// <param name="authors">Published item → its author.</param>
    /// <param name="topicGroups">Item → topic group, and each group's distinctive words.</param>
    /// <param name="opinionGroups">Person → opinion group.</param>
    public static SegmentsBreakdown Make(
        string consultationId,
        IReadOnlyList<SegmentQuestion> questions,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> answers,
        IReadOnlyDictionary<string, string> authors,
        TopicAssignments topicGroups,
        IReadOnlyDictionary<string, int> opinionGroups,
        DateTimeOffset at,
        bool final = false)
    {
        var contributors = authors.Values.ToHashSet(StringComparer.Ordinal);
        var topics = topicGroups.Groups
            .Select(g => new PeopleGroup(
                g.GroupId,
                g.Terms,
                topicGroups.ItemGroups.Where(a => a.Value == g.GroupId && authors.ContainsKey(a.Key)).Select(a => authors[a.Key]).ToHashSet(StringComparer.Ordinal)))
            .ToList();
        var opinions = opinionGroups.GroupBy(m => m.Value)
            .OrderBy(g => g.Key)
            .Select(g => new PeopleGroup(g.Key, [], g.Select(m => m.Key).ToHashSet(StringComparer.Ordinal)))
            .ToList();
        var breakdowns = questions.Select(q => Of(
            q,
            answers.Where(a => a.Value.ContainsKey(q.Key)).ToDictionary(a => a.Key, a => a.Value[q.Key], StringComparer.Ordinal),
            contributors,
            topics,
            opinions)).ToList();
        var answered = answers.Count(a => a.Value.Count > 0);
        var contributing = answers.Count(a => a.Value.Count > 0 && contributors.Contains(a.Key));
        return new SegmentsBreakdown(consultationId, MinCell, Shown(answered), Shown(contributing), breakdowns, at, final);
    }

    /// <param name="answers">Each person's answer to the question (people who skipped it are absent).</param>
    /// <param name="contributors">People who posted at least one published item.</param>
    public static QuestionBreakdown Of(
        SegmentQuestion question,
        IReadOnlyDictionary<string, string> answers,
        IReadOnlySet<string> contributors,
        IReadOnlyList<PeopleGroup> topicGroups,
        IReadOnlyList<PeopleGroup> opinionGroups)
    {
        var valid = answers.Where(a => question.Options.Contains(a.Value)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var contributorAnswers = valid.Where(a => contributors.Contains(a.Key)).Select(a => a.Value).ToList();
        var participants = Row(question.Options, valid.Values);
        var contributing = Row(question.Options, contributorAnswers);
        List<SegmentGroupRow> Rows(IReadOnlyList<PeopleGroup> groups) =>
            [.. groups.Select(g => new SegmentGroupRow(g.Id, g.Terms, Row(question.Options, g.People.Where(valid.ContainsKey).Select(p => valid[p]))))];
        return new QuestionBreakdown(question.Key, question.Label, participants, contributing, Rows(topicGroups), Rows(opinionGroups), Missing(question, contributorAnswers, participants, contributing));
    }

    private static int? Shown(int count) => count < MinCell ? null : count;

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
        return [.. options.Select(o => withheld.Contains(o) || total is > 0 and < MinCell
            ? new SegmentCell(o, null, null)
            : new SegmentCell(o, counts[o], total == 0 ? 0 : counts[o] / (double)total))];
    }

    private static List<SegmentGap> Missing(SegmentQuestion question, IReadOnlyCollection<string> contributors, List<SegmentCell> shownParticipants, List<SegmentCell> shownContributors)
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
