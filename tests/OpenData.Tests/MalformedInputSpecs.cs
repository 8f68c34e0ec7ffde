using System.IO.Compression;
using System.Text;

namespace OpenGov.Dialogue.OpenData.Tests;

[Trait("Category", "unit")]
public sealed class MalformedInputSpecs
{
    private static PolisFormatException ReadBroken(string file, Func<string, string> breakIt, PolisLimits? limits = null)
    {
        var files = PolisData.SmallConversation();
        files[file] = breakIt(files[file]);
        return Assert.Throws<PolisFormatException>(() => PolisData.Read(files, limits));
    }

    private static void AssertAt(PolisFormatException ex, string file, int line, int column)
    {
        Assert.Equal((file, line, column), (ex.File, ex.Line, ex.Column));
        Assert.StartsWith($"{file} line {line} column {column}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_small_fixture_itself_is_valid()
    {
        var conversation = PolisData.Read(PolisData.SmallConversation());

        Assert.Equal(2, conversation.Comments.Count);
        Assert.Equal(2, conversation.Votes!.Count);
        Assert.Equal(2, conversation.Participants.Count);
    }

    [Fact]
    public void A_misspelt_header_column_is_reported_at_line_1_and_its_column()
    {
        var ex = ReadBroken("comments.csv", text => text.Replace("comment-id", "commentid", StringComparison.Ordinal));

        AssertAt(ex, "comments.csv", 1, 3);
        Assert.Contains("'commentid'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extra_header_column_is_reported()
    {
        AssertAt(ReadBroken("votes.csv", text => text.Replace("vote\n", "vote,extra\n", StringComparison.Ordinal)), "votes.csv", 1, 6);
    }

    [Fact]
    public void A_non_integer_comment_id_is_reported_at_its_line_and_column()
    {
        var ex = ReadBroken("comments.csv", text => text.Replace(",1,1,0,1,-1,Second", ",one,1,0,1,-1,Second", StringComparison.Ordinal));

        AssertAt(ex, "comments.csv", 3, 3);
        Assert.Contains("'one'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_are_physical_lines_so_an_error_after_a_multi_line_body_points_at_the_right_line()
    {
        var ex = ReadBroken("comments.csv", text => text
            .Replace("\"First, with a comma\"", "\"First\nsecond line\nthird line\"", StringComparison.Ordinal)
            .Replace(",1,1,0,1,-1,Second", ",1,1,0,1,7,Second", StringComparison.Ordinal));

        AssertAt(ex, "comments.csv", 5, 7);
    }

    [Fact]
    public void A_vote_value_of_2_is_refused()
    {
        AssertAt(ReadBroken("votes.csv", text => text.Replace(",1,1,-1\n", ",1,1,2\n", StringComparison.Ordinal)), "votes.csv", 3, 5);
    }

    [Fact]
    public void A_moderated_value_outside_1_minus_1_0_is_refused()
    {
        AssertAt(ReadBroken("comments.csv", text => text.Replace(",-1,Second", ",2,Second", StringComparison.Ordinal)), "comments.csv", 3, 7);
    }

    [Fact]
    public void A_vote_on_an_unknown_comment_id_is_refused()
    {
        var ex = ReadBroken("votes.csv", text => text.Replace("2014,0,0,1\n", "2014,7,0,1\n", StringComparison.Ordinal));

        AssertAt(ex, "votes.csv", 2, 3);
        Assert.Contains("comment-id 7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_column_for_an_unknown_comment_is_refused()
    {
        AssertAt(ReadBroken("participants-votes.csv", text => text.Replace("n-disagree,0,1", "n-disagree,0,9", StringComparison.Ordinal)), "participants-votes.csv", 1, 8);
    }

    [Fact]
    public void A_matrix_cell_outside_1_minus_1_0_is_refused()
    {
        AssertAt(ReadBroken("participants-votes.csv", text => text.Replace("0,0,1,1,1,0,1,\n", "0,0,1,1,1,0,yes,\n", StringComparison.Ordinal)), "participants-votes.csv", 2, 7);
    }

    [Fact]
    public void A_duplicate_comment_id_is_refused()
    {
        AssertAt(ReadBroken("comments.csv", text => text.Replace(",1,1,0,1,-1,Second", ",0,1,0,1,-1,Second", StringComparison.Ordinal)), "comments.csv", 3, 3);
    }

    [Fact]
    public void A_row_with_too_many_fields_is_reported_at_the_first_extra_field()
    {
        var ex = ReadBroken("participants-votes.csv", text => text.Replace("1,,1,1,0,1,,-1\n", "1,,1,1,0,1,,-1,1\n", StringComparison.Ordinal));

        AssertAt(ex, "participants-votes.csv", 3, 9);
        Assert.Contains("expected 8 fields, found 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_too_few_fields_is_reported_at_the_first_missing_field()
    {
        AssertAt(ReadBroken("votes.csv", text => text.Replace(",0,0,1\n", ",0,0\n", StringComparison.Ordinal)), "votes.csv", 2, 5);
    }

    [Fact]
    public void An_unterminated_quote_is_reported_where_the_quoted_field_starts()
    {
        var ex = ReadBroken("comments.csv", text => text.Replace(",-1,Second\n", ",-1,\"Second\n", StringComparison.Ordinal));

        AssertAt(ex, "comments.csv", 3, 8);
        Assert.Contains("unterminated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_refused()
    {
        AssertAt(ReadBroken("comments.csv", text => text.Replace("\"First, with a comma\"", "\"First\"x", StringComparison.Ordinal)), "comments.csv", 2, 8);
    }

    [Fact]
    public void A_missing_comments_file_is_reported_for_the_whole_file()
    {
        var files = PolisData.SmallConversation();
        files.Remove("comments.csv");

        var ex = Assert.Throws<PolisFormatException>(() => PolisData.Read(files));

        AssertAt(ex, "comments.csv", 0, 0);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_participants_file_lacks_its_header()
    {
        AssertAt(ReadBroken("participants-votes.csv", _ => ""), "participants-votes.csv", 1, 1);
    }

    [Fact]
    public void An_unknown_or_missing_summary_key_is_refused()
    {
        AssertAt(ReadBroken("summary.csv", text => text.Replace("views,3", "viewz,3", StringComparison.Ordinal)), "summary.csv", 3, 1);
        AssertAt(ReadBroken("summary.csv", text => text.Replace("groups,1\n", "", StringComparison.Ordinal)), "summary.csv", 0, 0);
        AssertAt(ReadBroken("summary.csv", text => text.Replace("views,3", "views,many", StringComparison.Ordinal)), "summary.csv", 3, 2);
    }

    [Fact]
    public void A_zip_bomb_fails_while_decompressing_at_the_limit_whatever_the_zip_claims()
    {
        // 21 MiB of spaces inside one quoted body deflates to a few tens of KiB.
        var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in PolisData.SmallConversation().Where(f => f.Key != "comments.csv"))
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }

            using var comments = new StreamWriter(zip.CreateEntry("comments.csv", CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false));
            comments.Write("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,0,0,0,\"");
            var spaces = new string(' ', 1024 * 1024);
            for (var i = 0; i < 21; i++)
            {
                comments.Write(spaces);
            }

            comments.Write("\"\n");
        }

        Assert.True(bomb.Length < 200_000, $"the bomb should be small compressed, is {bomb.Length:N0} bytes");
        bomb.Position = 0;

        var ex = Assert.Throws<PolisFormatException>(() => PolisReader.ReadZip(bomb));

        AssertAt(ex, "comments.csv", 2, 8);
        Assert.Contains("20 MiB", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] WithClaimedSizes(byte[] bytes, uint claimed)
    {
        // Overwrite the uncompressed size in every local header and central directory record.
        bytes = (byte[])bytes.Clone();
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            var signature = BitConverter.ToUInt32(bytes, i);
            if (signature == 0x04034b50)
            {
                BitConverter.GetBytes(claimed).CopyTo(bytes, i + 22);
            }
            else if (signature == 0x02014b50)
            {
                BitConverter.GetBytes(claimed).CopyTo(bytes, i + 24);
            }
        }

        return bytes;
    }

    [Fact]
    public void Zip_header_sizes_are_not_trusted_in_either_direction()
    {
        var limits = PolisLimits.Default with { MaxFileBytes = 1024 };
        var files = PolisData.SmallConversation();
        files["comments.csv"] += string.Concat(Enumerable.Range(2, 100).Select(i => $"1,x,{i},0,0,0,0,padding padding padding\n"));
        var bytes = PolisData.Zip(files).ToArray();

        // Claiming 10 bytes does not sneak 4 KiB past the 1 KiB limit: it is refused, whichever check sees it first.
        var understated = Assert.Throws<PolisFormatException>(() => PolisReader.ReadZip(new MemoryStream(WithClaimedSizes(bytes, 10)), limits));
        // The real bytes, whatever the header says, are what the limit counts.
        var real = Assert.Throws<PolisFormatException>(() => PolisReader.ReadZip(new MemoryStream(bytes), limits));

        Assert.Equal("comments.csv", understated.File);
        Assert.Equal("comments.csv", real.File);
        Assert.Contains("larger than", real.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_that_overstates_its_sizes_is_read_because_only_real_bytes_count()
    {
        var bytes = PolisData.Zip(PolisData.SmallConversation()).ToArray();

        // 1 GiB claimed per file, far over the 20 MiB limit: only the real bytes count.
        var conversation = PolisReader.ReadZip(new MemoryStream(WithClaimedSizes(bytes, 1u << 30)));

        Assert.Equal(2, conversation.Comments.Count);
    }

    [Fact]
    public void Row_count_and_body_length_limits_are_enforced()
    {
        AssertAt(ReadBroken("comments.csv", text => text, PolisLimits.Default with { MaxComments = 1 }), "comments.csv", 3, 1);
        AssertAt(ReadBroken("votes.csv", text => text, PolisLimits.Default with { MaxVotes = 1 }), "votes.csv", 3, 1);
        AssertAt(ReadBroken("participants-votes.csv", text => text, PolisLimits.Default with { MaxParticipants = 1 }), "participants-votes.csv", 3, 1);
        var longBody = new string('x', 10_001);
        AssertAt(ReadBroken("comments.csv", text => text.Replace("Second", longBody, StringComparison.Ordinal)), "comments.csv", 3, 8);
    }

    [Fact]
    public void Something_that_is_not_a_zip_is_a_format_error()
    {
        var ex = Assert.Throws<PolisFormatException>(() => PolisReader.ReadZip(new MemoryStream(Encoding.UTF8.GetBytes("not a zip"))));

        Assert.Equal("zip", ex.File);
    }

    [Fact]
    public void A_zip_over_the_compressed_size_limit_is_refused_even_from_an_unseekable_stream()
    {
        var zip = PolisData.Zip(PolisData.SmallConversation());
        var limits = PolisLimits.Default with { MaxZipBytes = 100 };

        var seekable = Assert.Throws<PolisFormatException>(() => PolisReader.ReadZip(zip, limits));
        zip.Position = 0;
        var unseekable = Assert.Throws<PolisFormatException>(() => PolisReader.ReadZip(new UnseekableStream(zip), limits));

        Assert.Equal(("zip", "zip"), (seekable.File, unseekable.File));
        Assert.Contains("zip larger than", unseekable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_reads_from_an_unseekable_stream_such_as_a_request_body()
    {
        var conversation = PolisReader.ReadZip(new UnseekableStream(PolisData.Zip(PolisData.SmallConversation())));

        Assert.Equal(2, conversation.Comments.Count);
    }

    [Fact]
    public void Two_conversation_folders_in_one_zip_are_refused()
    {
        var entries = PolisData.SmallConversation().Select(f => KeyValuePair.Create("a/" + f.Key, f.Value))
            .Append(KeyValuePair.Create("b/votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n"));

        var ex = Assert.Throws<PolisFormatException>(() => PolisReader.ReadZip(PolisData.Zip(entries)));

        Assert.Contains("more than one conversation folder", ex.Message, StringComparison.Ordinal);
    }

    private sealed class UnseekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
