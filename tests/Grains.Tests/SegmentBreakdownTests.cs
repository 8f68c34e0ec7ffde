using OpenGov.Dialogue.Consultations.Segments;

namespace OpenGov.Dialogue.Tests;

/// <summary>Segment counts with small cells withheld, and "who is missing" (pure rules).</summary>
public sealed class SegmentBreakdownTests
{
    private static readonly SegmentQuestion Kelurahan = new("kelurahan", ["menteng", "cikini", "gondangdia", "kebon-sirih"]);

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

        // Fewer than five people in all: nothing is shown.
        Assert.All(SegmentBreakdown.Row(Kelurahan.Options, ["menteng", "menteng", "cikini"]), c => Assert.Null(c.Count));
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

        var breakdown = SegmentBreakdown.Of(Kelurahan, answers, contributors, new Dictionary<int, IReadOnlySet<string>>());

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

        var breakdown = SegmentBreakdown.Of(question, answers, contributors, new Dictionary<int, IReadOnlySet<string>>());

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

        var breakdown = SegmentBreakdown.Of(Kelurahan, answers, contributors, new Dictionary<int, IReadOnlySet<string>> { [3] = group });

        Assert.Equal([6, 6, 0, 0], breakdown.Groups[3].Select(c => c.Count));
        Assert.Equal(21, breakdown.Participants.Sum(c => c.Count));
    }
}
