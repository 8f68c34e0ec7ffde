using OpenGov.Dialogue.Consultations.Topics;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>The topic analysis' bookkeeping, without a silo.</summary>
[Trait("Category", "unit")]
public sealed class TopicBoardTests
{
    private static TopicInput Full(string id, long seq, string text, params string[] tags) => new(id, seq, true, text, tags, 0);

    private static TopicBoard Grouped(params TopicInput[] inputs)
    {
        var board = new TopicBoard();
        foreach (var input in inputs)
        {
            board.Apply(input);
        }

        board.Computed(board.Version, null, null, null, null, false, DateTimeOffset.UnixEpoch);
        return board;
    }

    [Fact]
    public void Votes_alone_never_make_the_groups_stale()
    {
        var board = Grouped(Full("i1", 1, "jalan rusak"));

        board.Apply(new TopicInput("i1", 2, true, null, null, 5));

        Assert.False(board.GroupsDirty);
        Assert.False(board.TagsDirty);
        Assert.Equal(5, board.View("c", 3, false).Votes);
    }

    [Fact]
    public void The_same_tagger_is_asked_only_about_new_or_edited_items_and_a_stale_answer_is_dropped()
    {
        var board = Grouped(Full("i1", 1, "jalan rusak"), Full("i2", 2, "lampu mati"), Full("i3", 3, "banjir lagi", "air"));
        var jalan = new Analysis.Topics.TopicPrediction("jalan", 0.9, false);
        var lampu = new Analysis.Topics.TopicPrediction("lampu", 0.8, false);

        // A new model answers for every untagged item.
        var asked = board.Untagged();
        Assert.Equal(["i1", "i2"], asked.Select(c => c.Id));
        board.Computed(null, null, null, asked, new Dictionary<string, Analysis.Topics.TopicPrediction> { ["i1"] = jalan, ["i2"] = lampu }, newModel: true, DateTimeOffset.UnixEpoch);
        Assert.Empty(board.Untagged(onlyUnsuggested: true));

        // A new item and an edited one: only they are asked again; the others keep their answers.
        board.Apply(Full("i4", 4, "trotoar rusak"));
        board.Apply(Full("i2", 5, "lampu jalan mati"));
        asked = board.Untagged(onlyUnsuggested: true);
        Assert.Equal(["i2", "i4"], asked.Select(c => c.Id).Order());
        Assert.Equal(jalan, board.Suggestions["i1"]);

        // The answer for i4 arrives after i4 was edited again: it is for the old text and is dropped.
        board.Apply(Full("i4", 6, "trotoar rusak parah"));
        board.Computed(null, null, null, asked, new Dictionary<string, Analysis.Topics.TopicPrediction> { ["i2"] = lampu, ["i4"] = jalan }, newModel: false, DateTimeOffset.UnixEpoch);
        Assert.Equal(lampu, board.Suggestions["i2"]);
        Assert.Equal(jalan, board.Suggestions["i1"]);
        Assert.False(board.Suggestions.ContainsKey("i4"));
        Assert.Equal(["i4"], board.Untagged(onlyUnsuggested: true).Select(c => c.Id));
    }

    [Fact]
    public void A_new_tag_retrains_the_tagger_but_does_not_regroup()
    {
        var board = Grouped(Full("i1", 1, "jalan rusak"));

        board.Apply(Full("i1", 2, "jalan rusak", "jalan"));

        Assert.False(board.GroupsDirty);
        Assert.True(board.TagsDirty);
        Assert.Equal([new Analysis.Topics.LabelledText("jalan rusak", "jalan")], board.TrainingExamples());
    }

    [Fact]
    public void An_item_that_leaves_regroups_and_takes_its_tags_out_of_training()
    {
        var board = Grouped(Full("i1", 1, "jalan rusak", "jalan"), Full("i2", 2, "sampah"));
        board.TagsTaken();

        board.Apply(new TopicInput("i1", 3, false, string.Empty, [], 0));

        Assert.True(board.GroupsDirty);
        Assert.True(board.TagsDirty);
        Assert.Equal(1, board.Count);
        Assert.Empty(board.TrainingExamples());
        Assert.Equal(["i2"], board.Comments().Select(c => c.Id));
    }

    [Fact]
    public void Older_changes_arriving_late_are_ignored()
    {
        var board = new TopicBoard();
        board.Load(new TopicSnapshot(10, [Full("i1", 10, "jalan rusak")]));

        board.Apply(Full("i2", 9, "already in the snapshot, or gone since"));
        board.Apply(new TopicInput("i1", 12, false, string.Empty, [], 0));
        board.Apply(Full("i1", 11, "an edit before it was rejected"));

        Assert.Equal(0, board.Count);
    }

    [Fact]
    public void Changes_during_a_grouping_keep_the_groups_stale()
    {
        var board = new TopicBoard();
        board.Apply(Full("i1", 1, "jalan rusak"));
        var running = board.Version;

        board.Apply(Full("i2", 2, "sampah menumpuk"));
        board.Computed(running, null, null, null, null, false, DateTimeOffset.UnixEpoch);

        Assert.True(board.GroupsDirty);
    }

    [Fact]
    public void The_sample_takes_the_most_voted_the_newest_and_a_spread_of_the_older_items()
    {
        var board = new TopicBoard();
        for (var n = 1; n <= 100; n++)
        {
            board.Apply(new TopicInput($"i{n}", n, true, $"usulan {n}", [], n is 3 or 7 or 11 or 13 or 17 ? 50 + n : 0));
        }

        var sample = board.Sample(20).Select(c => c.Id).ToList();

        Assert.Equal(20, sample.Count);
        Assert.Equal(sample.OrderBy(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture)), sample);
        Assert.All(new[] { "i3", "i7", "i11", "i13", "i17" }, id => Assert.Contains(id, sample));
        Assert.All(Enumerable.Range(91, 10), n => Assert.Contains($"i{n}", sample));
        var older = sample.Select(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture)).Where(n => n <= 90 && n is not (3 or 7 or 11 or 13 or 17)).ToList();
        Assert.Equal(5, older.Count);
        Assert.True(older.Max() - older.Min() >= 50, $"the older items should be spread out: {string.Join(", ", older)}");
        Assert.Equal(board.Comments().Select(c => c.Id), board.Sample(100).Select(c => c.Id));
    }

    [Fact]
    public void A_consultation_larger_than_the_sample_has_every_item_in_exactly_one_group()
    {
        var topics = new Dictionary<string, string[]>
        {
            ["jalan"] = ["jalan", "rusak", "berlubang", "aspal", "macet", "jembatan", "trotoar", "perbaikan"],
            ["sekolah"] = ["sekolah", "guru", "murid", "kelas", "buku", "seragam", "beasiswa", "ujian"],
            ["air"] = ["air", "bersih", "pdam", "sumur", "pipa", "banjir", "saluran", "bocor"],
        };
        var random = new Random(5);
        var topicOf = new Dictionary<string, string>();
        var board = new TopicBoard();
        void Publish(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var (topic, words) = topics.ElementAt(topicOf.Count % topics.Count);
                var id = $"i{topicOf.Count + 1}";
                topicOf[id] = topic;
                board.Apply(Full(id, topicOf.Count, string.Join(' ', Enumerable.Range(0, random.Next(5, 9)).Select(_ => words[random.Next(words.Length)]))));
            }
        }

        Publish(600);
        var sample = board.Sample(30);
        var version = board.Version;
        var (grouping, placer) = TopicRegrouping.Run(sample, board.Outside(sample), null);
        Publish(30);
        board.Computed(version, grouping, placer, null, null, false, DateTimeOffset.UnixEpoch);
        Publish(30);

        // The grouper saw the sample only; the view still counts every item, each in one group.
        Assert.Equal(30, sample.Count);
        Assert.Equal(30, grouping.Groups.Sum(g => g.Size));
        var view = board.View("c", 20, false);
        Assert.Equal(660, view.Items);
        Assert.Equal(660, view.Groups.Sum(g => g.Size));
        Assert.Equal([220, 220, 220], view.Groups.Select(g => g.Size));
        Assert.All(view.Groups, g => Assert.Single(g.Items.Select(i => topicOf[i.ItemId]).Distinct()));
    }

    [Fact]
    public void Growth_counts_items_posted_in_the_last_ten_minutes_and_a_hidden_post_leaves_the_brief_at_once()
    {
        var now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        var board = new TopicBoard();
        var texts = new[] { "Jalan rusak dan berlubang di depan pasar.", "Sekolah kekurangan guru dan buku pelajaran.", "Lampu jalan mati di gang kami." };
        for (var i = 1; i <= 30; i++)
        {
            var created = now - TimeSpan.FromMinutes(i <= 12 ? 2 : 30);
            board.Apply(new TopicInput($"i{i}", i, true, texts[i % 3] + $" Nomor {i}", [], i % 4, created));
        }

        var sample = board.Sample(100);
        var (grouping, placer) = TopicRegrouping.Run(sample, board.Outside(sample), null);
        var posts = sample.Select(c => new Analysis.Briefs.BriefPost(c.Id, c.Text, 0)).ToList();
        var briefs = Analysis.Briefs.ExtractiveBriefs.Make(posts, grouping.Assignments).ToDictionary(b => b.GroupId, b => b.Sentences);
        board.Computed(board.Version, grouping, placer, null, null, false, now, briefs: briefs);

        var view = board.View("c", 3, false, now);
        Assert.Equal(12, view.Recent);
        Assert.Equal(12, view.Groups.Sum(g => g.Recent));
        Assert.Equal(0, board.View("c", 3, false, now + TimeSpan.FromMinutes(9)).Recent);
        var quoted = view.Groups.SelectMany(g => g.Brief).ToList();
        Assert.NotEmpty(quoted);
        Assert.All(quoted, s => Assert.Equal(s.ItemIds.Sum(id => int.Parse(id[1..]) % 4), s.Votes));

        // The author erases (or a moderator hides) a quoted post: its sentence is gone from the next view, and
        // the post no longer counts under any other sentence.
        var source = quoted[0].SourceItemId;
        board.Apply(new TopicInput(source, 100, false, string.Empty, [], 0));
        var after = board.View("c", 3, false, now).Groups.SelectMany(g => g.Brief).ToList();
        Assert.DoesNotContain(after, s => s.SourceItemId == source);
        Assert.DoesNotContain(after, s => s.ItemIds.Contains(source));
    }

    [Theory]
    [InlineData(20, 3)]
    [InlineData(31, 3)]
    [InlineData(32, 4)]
    [InlineData(200, 10)]
    [InlineData(100_000, 12)]
    public void The_number_of_groups_grows_slowly_with_the_items(int items, int groups) =>
        Assert.Equal(groups, TopicBoard.GroupCount(items));
}
