using OpenGov.Dialogue.Consultations.Segments;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>Segment counts with small cells withheld, and "who is missing" (pure rules).</summary>
[Trait("Category", "unit")]
public sealed class SegmentBreakdownTests
{
    private static readonly SegmentQuestion Kelurahan = new("kelurahan", "Kelurahan", ["menteng", "cikini", "gondangdia", "kebon-sirih"]);

    /// <summary>n people per option, the first <c>contributing</c>[option] of them contributors.</summary>
    private static (Dictionary<string, string> Answers, HashSet<string> Contributors) People(Dictionary<string, (int People, int Contributing)> spec)
    {
        var answers = new Dictionary<string, string>();
        var contributors = new HashSet<string>();
        foreach (var (option, (people, contributing)) in spec)
        {
            for (var i = 0; i < people; i++)
            {
                var id = $"{option}-{i}";
                answers[id] = option;
                if (i < contributing)
                {
                    contributors.Add(id);
                }
            }
        }

        return (answers, contributors);
    }

    [Fact]
    public void Small_cells_are_withheld_and_a_lone_withheld_cell_takes_the_next_smallest_with_it()
    {
        var row = SegmentBreakdown.Row(Kelurahan.Options, [.. Enumerable.Repeat("menteng", 20), .. Enumerable.Repeat("cikini", 7), .. Enumerable.Repeat("gondangdia", 3)]);

        Assert.Equal(20, row[0].Count);
        Assert.Null(row[1].Count); // 7 is safe alone, but would give back the 3 by subtraction from the total of 30
        Assert.Null(row[1].Share);
        Assert.Null(row[2].Count);
        Assert.Equal(0, row[3].Count); // nobody is not a small cell

        var two = SegmentBreakdown.Row(Kelurahan.Options, [.. Enumerable.Repeat("menteng", 20), .. Enumerable.Repeat("cikini", 2), .. Enumerable.Repeat("gondangdia", 3)]);
        Assert.Equal([20, null, null, 0], two.Select(c => c.Count));

        // Fewer than five people in all: nothing is shown; nobody at all is not a small cell.
        Assert.All(SegmentBreakdown.Row(Kelurahan.Options, ["menteng", "menteng", "cikini"]), c => Assert.Null(c.Count));
        Assert.All(SegmentBreakdown.Row(Kelurahan.Options, []), c => Assert.Equal(0, c.Count));
    }

    [Fact]
    public void A_segment_well_below_its_share_of_participants_is_named_as_missing()
    {
        var (answers, contributors) = People(new()
        {
            ["menteng"] = (40, 30),
            ["cikini"] = (40, 25),
            ["gondangdia"] = (20, 2),
            ["kebon-sirih"] = (0, 0),
        });

        var breakdown = SegmentBreakdown.Of(Kelurahan, answers, contributors, [], []);

        var gap = Assert.Single(breakdown.Missing);
        Assert.Equal("gondangdia", gap.Option);
        Assert.Equal(0.2, gap.BaseShare);
        Assert.Null(gap.ContributorShare); // 2 contributors: named as missing, never counted
        Assert.Null(breakdown.Contributors[2].Count);
        Assert.False(gap.FromReference);
    }

    [Fact]
    public void A_reference_population_replaces_the_participants_as_the_base()
    {
        var question = Kelurahan with { ReferenceShares = new Dictionary<string, double> { ["menteng"] = 0.25, ["cikini"] = 0.25, ["gondangdia"] = 0.25, ["kebon-sirih"] = 0.25 } };
        var (answers, contributors) = People(new()
        {
            ["menteng"] = (50, 50),
            ["cikini"] = (30, 30),
            ["gondangdia"] = (15, 15),
            ["kebon-sirih"] = (5, 5),
        });

        var breakdown = SegmentBreakdown.Of(question, answers, contributors, [], []);

        // Against participants nobody is missing (everyone contributed); against the census, kebon-sirih is.
        var gap = Assert.Single(breakdown.Missing);
        Assert.Equal("kebon-sirih", gap.Option);
        Assert.True(gap.FromReference);
        Assert.Equal(0.05, gap.ContributorShare);
    }

    [Fact]
    public void Groups_count_distinct_people_and_ignore_skipped_and_unknown_answers()
    {
        var (answers, contributors) = People(new() { ["menteng"] = (12, 12), ["cikini"] = (9, 9) });
        answers["tricky"] = "not-an-option";
        var group = new HashSet<string>([.. Enumerable.Range(0, 6).Select(i => $"menteng-{i}"), .. Enumerable.Range(0, 6).Select(i => $"cikini-{i}"), "tricky", "skipped-the-question"]);

        var breakdown = SegmentBreakdown.Of(Kelurahan, answers, contributors, [new PeopleGroup(3, ["jalan"], group)], []);

        var row = Assert.Single(breakdown.TopicGroups);
        Assert.Equal(3, row.GroupId);
        Assert.Equal([6, 6, 0, 0], row.Cells.Select(c => c.Count));
        Assert.Equal(21, breakdown.Participants.Sum(c => c.Count));
    }

    [Fact]
    public void The_whole_breakdown_joins_posts_to_their_authors_topic_groups_and_opinion_groups()
    {
        var questions = new[] { Kelurahan, new SegmentQuestion("tinggal", "Tinggal di sini?", ["ya", "tidak"]) };
        var answers = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var authors = new Dictionary<string, string>();
        var itemGroups = new Dictionary<string, int>();
        var opinion = new Dictionary<string, int>();
        for (var n = 0; n < 30; n++)
        {
            var person = $"p{n}";
            // 20 from menteng, 10 from cikini; only the first 12 answer the second question.
            var answer = new Dictionary<string, string> { ["kelurahan"] = n < 20 ? "menteng" : "cikini" };
            if (n < 12)
            {
                answer["tinggal"] = n % 2 == 0 ? "ya" : "tidak";
            }

            answers[person] = answer;
            opinion[person] = n % 3 == 0 ? 1 : 0;

            // Everyone from menteng posts twice (topic group 7, then 8); nobody from cikini posts.
            if (n < 20)
            {
                authors[$"i{2 * n}"] = person;
                authors[$"i{(2 * n) + 1}"] = person;
                itemGroups[$"i{2 * n}"] = 7;
                itemGroups[$"i{(2 * n) + 1}"] = 8;
            }
        }

        // A post grouped but no longer published (not in authors) does not count; nor does someone who answered nothing.
        itemGroups["hidden"] = 7;
        authors["i99"] = "silent";
        itemGroups["i99"] = 7;
        var topics = new TopicAssignments(itemGroups, [new TopicGroupTerms(7, ["jalan"]), new TopicGroupTerms(8, ["air"])]);

        var view = SegmentBreakdown.Make("c1", questions, answers, authors, topics, opinion, DateTimeOffset.UnixEpoch);

        Assert.Equal(30, view.Answered);
        Assert.Equal(20, view.Contributors); // "silent" posted but answered nothing: not counted among those who answered
        var kelurahan = view.Questions[0];
        Assert.Equal([20, 10, 0, 0], kelurahan.Participants.Select(c => c.Count));
        Assert.Equal([20, 0, 0, 0], kelurahan.Contributors.Select(c => c.Count));
        Assert.Equal([7, 8], kelurahan.TopicGroups.Select(g => g.GroupId));
        Assert.All(kelurahan.TopicGroups, g => Assert.Equal([20, 0, 0, 0], g.Cells.Select(c => c.Count)));
        Assert.Equal(["jalan"], kelurahan.TopicGroups[0].Terms);
        Assert.Equal([0, 1], kelurahan.OpinionGroups.Select(g => g.GroupId));
        Assert.Equal([13, 7, 0, 0], kelurahan.OpinionGroups[0].Cells.Select(c => c.Count));
        Assert.Equal([null, null, 0, 0], kelurahan.OpinionGroups[1].Cells.Select(c => c.Count)); // 3 from cikini: withheld, and the 7 with it
        Assert.Equal("cikini", Assert.Single(kelurahan.Missing).Option);

        // The second question: 12 answered (6 ya, 6 tidak), all of them contributors.
        Assert.Equal([6, 6], view.Questions[1].Participants.Select(c => c.Count));
        Assert.Empty(view.Questions[1].Missing);
    }

    [Fact]
    public void Fewer_than_five_people_show_no_totals()
    {
        var answers = Enumerable.Range(0, 4).ToDictionary(n => $"p{n}", _ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["kelurahan"] = "menteng" });
        var view = SegmentBreakdown.Make("c1", [Kelurahan], answers, new Dictionary<string, string> { ["i1"] = "p0" }, TopicAssignments.None, new Dictionary<string, int>(), DateTimeOffset.UnixEpoch);

        Assert.Null(view.Answered);
        Assert.Null(view.Contributors);
        Assert.All(view.Questions[0].Participants, c => Assert.Null(c.Count));
        Assert.Empty(view.Questions[0].Missing);
    }
}
