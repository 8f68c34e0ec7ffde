namespace OpenGov.Dialogue.OpenData.Tests;

[Trait("Category", "unit")]
public sealed class FormulaSafetySpecs
{
    [Fact]
    public void A_formula_body_is_written_with_a_leading_quote_and_reads_back_as_the_original()
    {
        var files = PolisData.SmallConversation();
        files["comments.csv"] = files["comments.csv"].Replace("Second", "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"", StringComparison.Ordinal);
        var conversation = PolisData.Read(files);
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"click\")", conversation.Comments[1].Body);

        var zip = PolisData.WriteZip(conversation);
        var written = PolisData.Unzip(zip);

        Assert.Contains(",-1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"\n", written["comments.csv"], StringComparison.Ordinal);
        Assert.Equal(conversation.Comments[1].Body, PolisReader.ReadZip(new MemoryStream(zip)).Comments[1].Body);
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+cmd")]
    [InlineData("-2")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tTab")]
    [InlineData("\rReturn")]
    public void Every_trigger_character_in_free_text_is_neutralised_and_restored(string text)
    {
        var conversation = PolisData.Read(PolisData.SmallConversation());
        conversation = conversation with
        {
            Summary = conversation.Summary with { Topic = text, Url = text, Description = text },
            Comments = [conversation.Comments[0] with { Body = text }, conversation.Comments[1]],
        };

        var zip = PolisData.WriteZip(conversation);
        var written = PolisData.Unzip(zip);
        var again = PolisReader.ReadZip(new MemoryStream(zip));

        Assert.Contains("'" + text, written["comments.csv"], StringComparison.Ordinal);
        Assert.Contains("topic,", written["summary.csv"], StringComparison.Ordinal);
        Assert.DoesNotContain("topic," + text, written["summary.csv"], StringComparison.Ordinal);
        Assert.Equal(conversation.Summary, again.Summary);
        Assert.Equal(text, again.Comments[0].Body);
    }

    [Fact]
    public void An_xid_is_free_text_too()
    {
        var files = PolisData.SmallConversation();
        files["participants-votes.csv"] = "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,=cmd,0,1,1,1,0,1,\n1,,,1,1,0,1,,-1\n";
        var conversation = PolisData.Read(files);

        var zip = PolisData.WriteZip(conversation);

        Assert.Contains("\n0,'=cmd,0,", PolisData.Unzip(zip)["participants-votes.csv"], StringComparison.Ordinal);
        Assert.Equal(["=cmd", ""], PolisReader.ReadZip(new MemoryStream(zip)).Participants.Select(p => p.Xid));
    }

    [Fact]
    public void Numeric_minus_one_is_never_prefixed()
    {
        var written = PolisData.Unzip(PolisData.WriteZip(PolisData.Read(PolisData.SmallConversation())));

        Assert.Contains(",1,-1\n", written["votes.csv"], StringComparison.Ordinal);
        Assert.Contains(",-1,Second", written["comments.csv"], StringComparison.Ordinal);
        Assert.EndsWith(",,-1\n", written["participants-votes.csv"], StringComparison.Ordinal);
        Assert.DoesNotContain("'-1", string.Concat(written.Values), StringComparison.Ordinal);
    }

    [Fact]
    public void A_leading_quote_not_followed_by_a_trigger_is_kept()
    {
        Assert.Equal("'tis the season", FormulaSafety.Unprotect("'tis the season"));
        Assert.Equal("'tis the season", FormulaSafety.Protect("'tis the season"));
        Assert.Equal("=x", FormulaSafety.Unprotect(FormulaSafety.Protect("=x")));
    }
}
