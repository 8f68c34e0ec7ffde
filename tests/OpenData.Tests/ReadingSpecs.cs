namespace OpenGov.Dialogue.OpenData.Tests;

[Trait("Category", "unit")]
public sealed class ReadingSpecs
{
    [Theory]
    [MemberData(nameof(PolisData.Table), MemberType = typeof(PolisData))]
    public void Every_shared_folder_reads_with_the_counts_the_data_readme_states(
        string folder, int comments, int participants, int? votes, int accepted, int rejected, int unmoderated)
    {
        var conversation = PolisReader.ReadDirectory(PolisData.Folder(folder));

        Assert.Equal(comments, conversation.Comments.Count);
        Assert.Equal(participants, conversation.Participants.Count);
        Assert.Equal(votes, conversation.Votes?.Count);
        Assert.Equal(accepted, conversation.Comments.Count(c => c.Moderated == 1));
        Assert.Equal(rejected, conversation.Comments.Count(c => c.Moderated == -1));
        Assert.Equal(unmoderated, conversation.Comments.Count(c => c.Moderated == 0));
    }

    [Fact]
    public void Austria_climate_keeps_its_xid_column_and_its_multi_line_description()
    {
        var conversation = PolisReader.ReadDirectory(PolisData.Folder("austria-climate.5twd2jsnkf.2022-08-08"));

        Assert.True(conversation.HasXidColumn);
        Assert.Equal("Produktion und Konsum", conversation.Summary.Topic);
        Assert.Contains("\"Klimarat\"", conversation.Summary.Description, StringComparison.Ordinal);
        Assert.Contains('\n', conversation.Summary.Description);
        Assert.Equal(522, conversation.MatrixColumns.Count);
    }

    [Fact]
    public void A_matrix_cell_is_the_participants_latest_vote_event()
    {
        var conversation = PolisReader.ReadDirectory(PolisData.Folder("15-per-hour-seattle"));
        var latest = new Dictionary<(int Voter, int Comment), int>();
        foreach (var vote in conversation.Votes!.OrderBy(v => v.Timestamp))
        {
            latest[(vote.VoterId, vote.CommentId)] = vote.Vote;
        }

        foreach (var participant in conversation.Participants)
        {
            foreach (var (comment, vote) in participant.Votes)
            {
                Assert.Equal(latest[(participant.Participant, comment)], vote);
            }
        }
    }

    [Fact]
    public void Bowling_green_has_no_votes_file_so_votes_are_null()
    {
        var conversation = PolisReader.ReadDirectory(PolisData.Folder("american-assembly.bowling-green"));

        Assert.Null(conversation.Votes);
        Assert.Contains(conversation.Participants, p => p.GroupId is null);
    }

    [Fact]
    public void A_zip_with_its_files_inside_one_top_level_folder_reads_and_unknown_files_are_ignored()
    {
        var files = PolisData.SmallConversation();
        var entries = files.Select(f => KeyValuePair.Create("export/" + f.Key, f.Value))
            .Append(KeyValuePair.Create("export/stats-history.csv", "garbage\"\n"))
            .Append(KeyValuePair.Create("export/notes.txt", "anything"));

        var conversation = PolisReader.ReadZip(PolisData.Zip(entries));

        Assert.Equal(2, conversation.Comments.Count);
        Assert.Equal("First, with a comma", conversation.Comments[0].Body);
        Assert.Equal("Two lines,\nof description", conversation.Summary.Description);
    }

    [Fact]
    public void A_utf8_bom_and_crlf_line_ends_are_accepted()
    {
        var files = PolisData.SmallConversation().ToDictionary(f => f.Key, f => "\uFEFF" + f.Value.Replace("\n", "\r\n", StringComparison.Ordinal));

        var conversation = PolisData.Read(files);

        Assert.Equal(0, conversation.Comments[0].CommentId);
        Assert.Equal("Two lines,\r\nof description", conversation.Summary.Description);
        Assert.Equal(new Dictionary<int, int> { [1] = -1 }, conversation.Participants[1].Votes);
        Assert.Null(conversation.Participants[1].GroupId);
    }

    [Fact]
    public void A_missing_votes_file_is_allowed()
    {
        var files = PolisData.SmallConversation();
        files.Remove("votes.csv");

        Assert.Null(PolisData.Read(files).Votes);
    }
}
