namespace OpenGov.Dialogue.OpenData.Tests;

[Trait("Category", "unit")]
public sealed class RoundTripSpecs
{
    [Theory]
    [MemberData(nameof(PolisData.Folders), MemberType = typeof(PolisData))]
    public void Read_write_read_of_every_shared_folder_gives_the_same_conversation(string folder)
    {
        var original = PolisReader.ReadDirectory(PolisData.Folder(folder));

        var again = PolisReader.ReadZip(new MemoryStream(PolisData.WriteZip(original)));

        Assert.Equal(original.Summary, again.Summary);
        Assert.Equal(original.Comments, again.Comments);
        // A conversation without votes.csv is written with a header-only votes.csv, which reads back as null.
        Assert.Equal(original.Votes is null, again.Votes is null);
        Assert.Equal(original.Votes ?? [], again.Votes ?? []);
        Assert.Equal(original.MatrixColumns, again.MatrixColumns);
        Assert.Equal(original.Participants.Count, again.Participants.Count);
        for (var i = 0; i < original.Participants.Count; i++)
        {
            var (a, b) = (original.Participants[i], again.Participants[i]);
            Assert.Equal((a.Participant, a.Xid, a.GroupId, a.NComments, a.NVotes, a.NAgree, a.NDisagree), (b.Participant, b.Xid, b.GroupId, b.NComments, b.NVotes, b.NAgree, b.NDisagree));
            Assert.Equal(a.Votes.OrderBy(v => v.Key), b.Votes.OrderBy(v => v.Key));
        }
    }

    [Fact]
    public void The_written_csvs_keep_pol_is_headers_lf_line_ends_and_no_bom()
    {
        var original = PolisReader.ReadDirectory(PolisData.Folder("15-per-hour-seattle"));

        var files = PolisData.Unzip(PolisData.WriteZip(original));

        Assert.Equal(["comments.csv", "votes.csv", "participants-votes.csv", "summary.csv", "datapackage.json"], files.Keys);
        Assert.StartsWith("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n", files["comments.csv"], StringComparison.Ordinal);
        Assert.StartsWith("timestamp,datetime,comment-id,voter-id,vote\n", files["votes.csv"], StringComparison.Ordinal);
        Assert.StartsWith("participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2,", files["participants-votes.csv"], StringComparison.Ordinal);
        Assert.StartsWith("topic,$15/hour\nurl,https://pol.is/2demo\nviews,6184\n", files["summary.csv"], StringComparison.Ordinal);
        Assert.DoesNotContain('\r', files["comments.csv"]);
        Assert.DoesNotContain('\uFEFF', files["comments.csv"]);
        // Pol.is writes the first data row of this file as below (in WIB); ours is the same instant in UTC.
        Assert.Contains("\n1542406176584,Fri Nov 16 22:09:36 UTC 2018,53,6172,1,0,0,Not sure I believe any of this...\n", files["comments.csv"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_datetime_column_is_rendered_in_utc_like_pol_is_renders_it()
    {
        Assert.Equal("Wed Jun 18 04:53:44 UTC 2014", PolisWriter.FormatDateTime(1403067224363));
        Assert.Equal("Sun Jan 11 03:47:01 UTC 2015", PolisWriter.FormatDateTime(1420948021768));
    }

    [Fact]
    public void Without_votes_a_header_only_votes_file_is_written()
    {
        var files = PolisData.SmallConversation();
        files.Remove("votes.csv");

        var written = PolisData.Unzip(PolisData.WriteZip(PolisData.Read(files)));

        Assert.Equal("timestamp,datetime,comment-id,voter-id,vote\n", written["votes.csv"]);
    }

    [Fact]
    public void Fields_are_quoted_only_when_needed()
    {
        var written = PolisData.Unzip(PolisData.WriteZip(PolisData.Read(PolisData.SmallConversation())));

        Assert.Contains(",1,\"First, with a comma\"\n", written["comments.csv"], StringComparison.Ordinal);
        Assert.Contains(",-1,Second\n", written["comments.csv"], StringComparison.Ordinal);
        Assert.EndsWith("\n1,,1,1,0,1,,-1\n", written["participants-votes.csv"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_name_outside_lowercase_a_z_0_9_dot_underscore_dash_is_refused()
    {
        var conversation = PolisData.Read(PolisData.SmallConversation());

        Assert.Throws<ArgumentException>(() => PolisData.WriteZip(conversation, "Bad Name"));
    }
}
