using System.IO.Compression;
using System.Text;

namespace OpenGov.Dialogue.OpenData.Tests;

/// <summary>Where the shared Pol.is folders are, and small builders for in-memory fixtures.</summary>
internal static class PolisData
{
    public static string Root => OpenGov.Dialogue.Tests.SharedPolisData.Root;

    public static string Folder(string name) => Path.Combine(Root, name);

    /// <summary>The six folders and the counts the data README states for them.</summary>
    public static TheoryData<string, int, int, int?, int, int, int> Table => new()
    {
        // folder, comments, participants, vote events, moderated 1, -1, 0
        { "american-assembly.bowling-green", 896, 2031, null, 607, 289, 0 },
        { "austria-climate.5twd2jsnkf.2022-08-08", 522, 1116, 61936, 277, 245, 0 },
        { "vtaiwan.uberx", 197, 1921, 49997, 99, 78, 20 },
        { "scoop-hivemind.biodiversity", 316, 536, 29802, 154, 162, 0 },
        { "15-per-hour-seattle", 54, 339, 2995, 30, 23, 1 },
        { "football-concussions", 298, 1487, 14924, 45, 137, 116 },
    };

    public static TheoryData<string> Folders => new(Table.Select(row => (string)row[0]));

    /// <summary>A tiny valid conversation as file texts; tests break one file at a time.</summary>
    public static Dictionary<string, string> SmallConversation() => new(StringComparer.Ordinal)
    {
        ["comments.csv"] =
            "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n" +
            "1403054214196,Wed Jun 18 01:16:54 UTC 2014,0,0,1,0,1,\"First, with a comma\"\n" +
            "1403054214197,Wed Jun 18 01:16:54 UTC 2014,1,1,0,1,-1,Second\n",
        ["votes.csv"] =
            "timestamp,datetime,comment-id,voter-id,vote\n" +
            "1403054214196,Wed Jun 18 01:16:54 UTC 2014,0,0,1\n" +
            "1403054214197,Wed Jun 18 01:16:54 UTC 2014,1,1,-1\n",
        ["participants-votes.csv"] =
            "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n" +
            "0,0,1,1,1,0,1,\n" +
            "1,,1,1,0,1,,-1\n",
        ["summary.csv"] =
            "topic,Small\nurl,https://example.org/c\nviews,3\nvoters,2\nvoters-in-conv,2\n" +
            "commenters,2\ncomments,2\ngroups,1\nconversation-description,\"Two lines,\nof description\"\n",
    };

    public static PolisConversation Read(Dictionary<string, string> files, PolisLimits? limits = null) =>
        PolisReader.Read(name => files.TryGetValue(name, out var text) ? new MemoryStream(Encoding.UTF8.GetBytes(text)) : null, limits);

    public static MemoryStream Zip(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        output.Position = 0;
        return output;
    }

    public static Dictionary<string, string> Unzip(byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        }, StringComparer.Ordinal);
    }

    public static DataPackageInfo Info(string name = "polis-test") =>
        new(name, "Test conversation", "A conversation written by the tests", "https://example.org", "CC-BY-4.0",
            new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

    public static byte[] WriteZip(PolisConversation conversation, string name = "polis-test")
    {
        using var output = new MemoryStream();
        PolisWriter.WriteZip(conversation, output, Info(name));
        return output.ToArray();
    }
}
