using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenGov.Dialogue.OpenData;

/// <summary>
/// Writes a conversation as a flat zip in the Pol.is open-data layout (same headers, column order
/// and meanings, LF line ends, UTF-8 without BOM) plus a Frictionless <c>datapackage.json</c>.
/// Free-text cells are made formula-safe (see <see cref="FormulaSafety"/>).
/// </summary>
public static partial class PolisWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteZip(PolisConversation conversation, Stream output, DataPackageInfo info)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(info);
        if (!PackageName().IsMatch(info.Name))
        {
            throw new ArgumentException($"package name '{info.Name}' must be lowercase [a-z0-9._-]", nameof(info));
        }

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, PolisReader.CommentsFile, writer => WriteComments(writer, conversation.Comments));
        WriteEntry(zip, PolisReader.VotesFile, writer => WriteVotes(writer, conversation.Votes ?? []));
        WriteEntry(zip, PolisReader.ParticipantsFile, writer => WriteParticipants(writer, conversation));
        WriteEntry(zip, PolisReader.SummaryFile, writer => WriteSummary(writer, conversation.Summary));
        var entry = zip.CreateEntry("datapackage.json", CompressionLevel.Optimal);
        using var stream = entry.Open();
        DataPackage.Write(stream, conversation, info);
    }

    /// <summary>Renders a timestamp as Pol.is renders its <c>datetime</c> column, in UTC: <c>Wed Jun 18 11:53:44 UTC 2014</c>.</summary>
    public static string FormatDateTime(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime
            .ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);

    private static void WriteEntry(ZipArchive zip, string name, Action<TextWriter> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        using var writer = new StreamWriter(stream, Utf8, 64 * 1024);
        write(writer);
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteComments(TextWriter writer, IEnumerable<PolisComment> comments)
    {
        CsvWriter.WriteRecord(writer, PolisReader.CommentsHeader);
        foreach (var c in comments)
        {
            CsvWriter.WriteRecord(writer,
            [
                Int(c.Timestamp), FormatDateTime(c.Timestamp), Int(c.CommentId), Int(c.AuthorId),
                Int(c.Agrees), Int(c.Disagrees), Int(c.Moderated), FormulaSafety.Protect(c.Body),
            ]);
        }
    }

    private static void WriteVotes(TextWriter writer, IEnumerable<PolisVote> votes)
    {
        CsvWriter.WriteRecord(writer, PolisReader.VotesHeader);
        foreach (var v in votes)
        {
            CsvWriter.WriteRecord(writer, [Int(v.Timestamp), FormatDateTime(v.Timestamp), Int(v.CommentId), Int(v.VoterId), Int(v.Vote)]);
        }
    }

    private static void WriteParticipants(TextWriter writer, PolisConversation conversation)
    {
        var xid = conversation.HasXidColumn;
        CsvWriter.WriteRecord(writer, ParticipantsHeader(conversation));
        var fields = new List<string>();
        foreach (var p in conversation.Participants)
        {
            fields.Clear();
            fields.Add(Int(p.Participant));
            if (xid)
            {
                fields.Add(FormulaSafety.Protect(p.Xid ?? ""));
            }

            fields.Add(p.GroupId is { } group ? Int(group) : "");
            fields.Add(Int(p.NComments));
            fields.Add(Int(p.NVotes));
            fields.Add(Int(p.NAgree));
            fields.Add(Int(p.NDisagree));
            foreach (var column in conversation.MatrixColumns)
            {
                fields.Add(p.Votes.TryGetValue(column, out var vote) ? Int(vote) : "");
            }

            CsvWriter.WriteRecord(writer, fields);
        }
    }

    internal static IReadOnlyList<string> ParticipantsHeader(PolisConversation conversation)
    {
        var header = new List<string> { "participant" };
        if (conversation.HasXidColumn)
        {
            header.Add("xid");
        }

        header.AddRange(PolisReader.ParticipantsFixedHeader.Skip(1));
        header.AddRange(conversation.MatrixColumns.Select(c => Int(c)));
        return header;
    }

    private static void WriteSummary(TextWriter writer, PolisSummary s)
    {
        // Headerless key/value rows in the order Pol.is writes them.
        string[] values =
        [
            FormulaSafety.Protect(s.Topic), FormulaSafety.Protect(s.Url), Int(s.Views), Int(s.Voters), Int(s.VotersInConv),
            Int(s.Commenters), Int(s.Comments), Int(s.Groups), FormulaSafety.Protect(s.Description),
        ];
        for (var i = 0; i < values.Length; i++)
        {
            CsvWriter.WriteRecord(writer, [PolisReader.SummaryKeys[i], values[i]]);
        }
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    internal static partial Regex PackageName();
}
