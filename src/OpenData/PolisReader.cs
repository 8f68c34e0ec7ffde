using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace OpenGov.Dialogue.OpenData;

/// <summary>
/// Reads and validates a Pol.is open-data export (the compdemocracy/openData layout): comments.csv,
/// participants-votes.csv and summary.csv are required, votes.csv is optional, anything else is ignored.
/// Every violation is a <see cref="PolisFormatException"/> naming file, line and column.
/// </summary>
public static class PolisReader
{
    public const string CommentsFile = "comments.csv";
    public const string VotesFile = "votes.csv";
    public const string ParticipantsFile = "participants-votes.csv";
    public const string SummaryFile = "summary.csv";

    /// <summary>The files this reader looks at; a zip or folder may hold others, which are skipped.</summary>
    public static IReadOnlyList<string> KnownFiles { get; } = [CommentsFile, VotesFile, ParticipantsFile, SummaryFile];

    internal static readonly string[] CommentsHeader = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"];
    internal static readonly string[] VotesHeader = ["timestamp", "datetime", "comment-id", "voter-id", "vote"];
    internal static readonly string[] ParticipantsFixedHeader = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"];
    internal static readonly string[] SummaryKeys = ["topic", "url", "views", "voters", "voters-in-conv", "commenters", "comments", "groups", "conversation-description"];

    public static PolisConversation ReadDirectory(string path, PolisLimits? limits = null)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"no such folder: {path}");
        }

        return Read(FolderFiles(path), limits);
    }

    /// <summary>
    /// Only comments.csv of an export folder, checked as <see cref="ReadDirectory"/> checks it: for tools that need
    /// no more than the comments (and <see cref="ReadVotes"/>, <see cref="ReadParticipants"/>), where the other
    /// files may be missing.
    /// </summary>
    public static IReadOnlyList<PolisComment> ReadComments(string folder, PolisLimits? limits = null) =>
        ReadComments(ExistingFolderFiles(folder), limits ?? PolisLimits.Default);

    /// <summary>The vote events of votes.csv in file order, each naming one of <paramref name="comments"/>; null without vote events.</summary>
    public static IReadOnlyList<PolisVote>? ReadVotes(string folder, IReadOnlyList<PolisComment> comments, PolisLimits? limits = null) =>
        ReadVotes(ExistingFolderFiles(folder), CommentIds(comments), limits ?? PolisLimits.Default);

    /// <summary>The rows of participants-votes.csv and its comment-id columns in file order.</summary>
    public static (IReadOnlyList<PolisParticipant> Participants, IReadOnlyList<int> MatrixColumns) ReadParticipants(
        string folder, IReadOnlyList<PolisComment> comments, PolisLimits? limits = null) =>
        ReadParticipants(ExistingFolderFiles(folder), CommentIds(comments), limits ?? PolisLimits.Default);

    /// <summary>Reads a zip whose files sit at its root or inside one top-level folder.</summary>
    public static PolisConversation ReadZip(Stream zip, PolisLimits? limits = null)
    {
        limits ??= PolisLimits.Default;
        ArgumentNullException.ThrowIfNull(zip);
        if (zip.CanSeek && zip.Length - zip.Position > limits.MaxZipBytes)
        {
            throw new PolisFormatException("zip", 0, 0, $"zip larger than {limits.MaxZipBytes / (1024 * 1024):N0} MiB");
        }

        if (!zip.CanSeek)
        {
            // ZipArchive would buffer an unseekable stream whole and unbounded; buffer it here, bounded.
            var buffer = new MemoryStream();
            try
            {
                new LimitedReadStream(zip, limits.MaxZipBytes).CopyTo(buffer);
            }
            catch (LimitExceededException)
            {
                throw new PolisFormatException("zip", 0, 0, $"zip larger than {limits.MaxZipBytes / (1024 * 1024):N0} MiB");
            }

            buffer.Position = 0;
            zip = buffer;
        }

        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentOutOfRangeException or IOException)
        {
            throw new PolisFormatException("zip", 0, 0, $"not a readable zip archive ({ex.Message})");
        }

        using (archive)
        {
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            string? folder = null;
            foreach (var entry in archive.Entries)
            {
                var parts = entry.FullName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length is 0 or > 2 || !KnownFiles.Contains(parts[^1], StringComparer.Ordinal) || entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                if (parts.Length == 2)
                {
                    // Files inside a folder count only when it is one and the same folder (one conversation per zip).
                    if (folder is not null && folder != parts[0])
                    {
                        throw new PolisFormatException(parts[^1], 0, 0, $"the zip holds more than one conversation folder ('{folder}', '{parts[0]}')");
                    }

                    folder = parts[0];
                }

                if (!entries.TryAdd(parts[^1], entry))
                {
                    throw new PolisFormatException(parts[^1], 0, 0, "the zip holds this file more than once");
                }
            }

            return Read(name => entries.TryGetValue(name, out var entry) ? entry.Open() : null, limits);
        }
    }

    /// <summary>Reads from any source: <paramref name="open"/> returns the named file's stream, or null when absent.</summary>
    public static PolisConversation Read(Func<string, Stream?> open, PolisLimits? limits = null)
    {
        limits ??= PolisLimits.Default;
        var comments = ReadComments(open, limits);
        var commentIds = CommentIds(comments);
        var summary = ReadSummary(open, limits);
        var votes = ReadVotes(open, commentIds, limits);
        var (participants, matrix) = ReadParticipants(open, commentIds, limits);
        return new PolisConversation(summary, comments, votes, participants, matrix);
    }

    private static Func<string, Stream?> FolderFiles(string path) => name =>
    {
        var file = Path.Combine(path, name);
        return File.Exists(file) ? File.OpenRead(file) : null;
    };

    private static Func<string, Stream?> ExistingFolderFiles(string path) =>
        Directory.Exists(path) ? FolderFiles(path) : throw new DirectoryNotFoundException($"no such folder: {path}");

    private static HashSet<int> CommentIds(IReadOnlyList<PolisComment> comments) => [.. comments.Select(c => c.CommentId)];

    private static List<PolisComment> ReadComments(Func<string, Stream?> open, PolisLimits limits)
    {
        var comments = new List<PolisComment>();
        var commentIds = new HashSet<int>();
        Parse(open, CommentsFile, required: true, limits, row =>
        {
            if (row.IsHeader)
            {
                row.ExpectHeader(CommentsHeader);
                return;
            }

            row.ExpectFieldCount(CommentsHeader.Length);
            if (comments.Count >= limits.MaxComments)
            {
                throw row.Fail(1, $"more than {limits.MaxComments:N0} comments");
            }

            var id = row.Int(3);
            if (!commentIds.Add(id))
            {
                throw row.Fail(3, $"comment-id {id} appears more than once");
            }

            var body = row.Text(8);
            if (body.Length > limits.MaxBodyChars)
            {
                throw row.Fail(8, $"comment-body longer than {limits.MaxBodyChars:N0} characters");
            }

            comments.Add(new PolisComment(row.Long(1), id, row.Int(4), row.Int(5), row.Int(6), row.Vote(7, "moderated"), body));
        });

        return comments;
    }

    private static List<PolisVote>? ReadVotes(Func<string, Stream?> open, HashSet<int> commentIds, PolisLimits limits)
    {
        List<PolisVote>? votes = null;
        Parse(open, VotesFile, required: false, limits, row =>
        {
            if (row.IsHeader)
            {
                row.ExpectHeader(VotesHeader);
                votes = [];
                return;
            }

            row.ExpectFieldCount(VotesHeader.Length);
            if (votes!.Count >= limits.MaxVotes)
            {
                throw row.Fail(1, $"more than {limits.MaxVotes:N0} vote rows");
            }

            var commentId = row.Int(3);
            if (!commentIds.Contains(commentId))
            {
                throw row.Fail(3, $"comment-id {commentId} is not in {CommentsFile}");
            }

            votes.Add(new PolisVote(row.Long(1), commentId, row.Int(4), row.Vote(5, "vote")));
        });
        if (votes is { Count: 0 })
        {
            // A header-only votes.csv is how the writer says "no vote events available"; with zero
            // events the matrix is empty too, so treating it as absent loses nothing and round-trips.
            votes = null;
        }

        return votes;
    }

    private static (IReadOnlyList<PolisParticipant> Participants, IReadOnlyList<int> MatrixColumns) ReadParticipants(
        Func<string, Stream?> open, HashSet<int> commentIds, PolisLimits limits)
    {
        var participants = new List<PolisParticipant>();
        var participantIds = new HashSet<int>();
        var matrix = new List<int>();
        var matrixSet = new HashSet<int>();
        var hasXid = false;
        var firstMatrixField = 0;
        var headerCount = 0;
        Parse(open, ParticipantsFile, required: true, limits, row =>
        {
            if (row.IsHeader)
            {
                hasXid = row.Count > 1 && row[2] == "xid";
                var expected = hasXid
                    ? ParticipantsFixedHeader.Take(1).Append("xid").Concat(ParticipantsFixedHeader.Skip(1)).ToArray()
                    : ParticipantsFixedHeader;
                row.ExpectHeaderPrefix(expected);
                firstMatrixField = expected.Length + 1;
                headerCount = row.Count;
                for (var column = firstMatrixField; column <= row.Count; column++)
                {
                    if (!int.TryParse(row[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var commentId))
                    {
                        throw row.Fail(column, $"expected a comment-id column name, found '{row[column]}'");
                    }

                    if (!commentIds.Contains(commentId))
                    {
                        throw row.Fail(column, $"comment-id column {commentId} is not in {CommentsFile}");
                    }

                    if (!matrixSet.Add(commentId))
                    {
                        throw row.Fail(column, $"comment-id column {commentId} appears more than once");
                    }

                    matrix.Add(commentId);
                }

                return;
            }

            row.ExpectFieldCount(headerCount);
            if (participants.Count >= limits.MaxParticipants)
            {
                throw row.Fail(1, $"more than {limits.MaxParticipants:N0} participants");
            }

            var id = row.Int(1);
            if (!participantIds.Add(id))
            {
                throw row.Fail(1, $"participant {id} appears more than once");
            }

            var offset = hasXid ? 1 : 0;
            var cells = new Dictionary<int, int>();
            for (var column = firstMatrixField; column <= row.Count; column++)
            {
                if (row[column].Length > 0)
                {
                    cells[matrix[column - firstMatrixField]] = row.Vote(column, "vote");
                }
            }

            participants.Add(new PolisParticipant(id, row.OptionalInt(2 + offset), row.Int(3 + offset), row.Int(4 + offset), row.Int(5 + offset), row.Int(6 + offset), cells)
            {
                Xid = hasXid ? row.Text(2) : null,
            });
        });

        return (participants, matrix);
    }

    private static PolisSummary ReadSummary(Func<string, Stream?> open, PolisLimits limits)
    {
        var values = new Dictionary<string, (string Value, Row At)>(StringComparer.Ordinal);
        Parse(open, SummaryFile, required: true, limits, row =>
        {
            row.ExpectFieldCount(2);
            var key = row[1];
            if (!SummaryKeys.Contains(key, StringComparer.Ordinal))
            {
                throw row.Fail(1, $"unknown summary key '{key}'");
            }

            if (!values.TryAdd(key, (row.Text(2), row.Snapshot())))
            {
                throw row.Fail(1, $"summary key '{key}' appears more than once");
            }
        }, headerless: true);

        foreach (var key in SummaryKeys)
        {
            if (!values.ContainsKey(key))
            {
                throw new PolisFormatException(SummaryFile, 0, 0, $"missing summary key '{key}'");
            }
        }

        int Number(string key) => values[key].At.Int(2);
        return new PolisSummary(values["topic"].Value, values["url"].Value, Number("views"), Number("voters"), Number("voters-in-conv"),
            Number("commenters"), Number("comments"), Number("groups"), values["conversation-description"].Value);
    }

    private static void Parse(Func<string, Stream?> open, string file, bool required, PolisLimits limits, Action<Row> handle, bool headerless = false)
    {
        var raw = open(file);
        if (raw is null)
        {
            if (required)
            {
                throw new PolisFormatException(file, 0, 0, "required file is missing");
            }

            return;
        }

        using var stream = new LimitedReadStream(raw, limits.MaxFileBytes);
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var parser = new CsvParser(reader, file, (int)Math.Min(int.MaxValue, limits.MaxFileBytes));
        var fields = new List<string>();
        var lines = new List<int>();
        var row = new Row(file, fields, lines);
        try
        {
            var first = true;
            while (parser.ReadRecord(fields, lines))
            {
                row.IsHeader = first && !headerless;
                first = false;
                handle(row);
            }

            if (first && !headerless)
            {
                throw new PolisFormatException(file, 1, 1, "missing header");
            }
        }
        catch (LimitExceededException)
        {
            throw new PolisFormatException(file, parser.CurrentLine, parser.CurrentColumn, $"file larger than {limits.MaxFileBytes / (1024 * 1024):N0} MiB uncompressed");
        }
        catch (InvalidDataException ex)
        {
            // Corrupt deflate data or a CRC mismatch in a zip entry.
            throw new PolisFormatException(file, parser.CurrentLine, parser.CurrentColumn, $"unreadable data ({ex.Message})");
        }
    }

    /// <summary>The current record, with helpers that fail with its file, line and column. Columns are 1-based.</summary>
    private sealed class Row(string file, List<string> fields, List<int> lines)
    {
        public bool IsHeader { get; set; }

        public int Count => fields.Count;

        public string this[int column] => fields[column - 1];

        public Row Snapshot() => new(file, [.. fields], [.. lines]);

        public PolisFormatException Fail(int column, string message)
        {
            var line = lines.Count == 0 ? 0 : lines[Math.Clamp(column, 1, lines.Count) - 1];
            return new PolisFormatException(file, line, column, message);
        }

        public void ExpectHeader(string[] expected)
        {
            ExpectHeaderPrefix(expected);
            if (fields.Count > expected.Length)
            {
                throw Fail(expected.Length + 1, $"unexpected header column '{fields[expected.Length]}'");
            }
        }

        public void ExpectHeaderPrefix(string[] expected)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                if (i >= fields.Count)
                {
                    throw new PolisFormatException(file, lines[0], i + 1, $"header column '{expected[i]}' is missing");
                }

                if (fields[i] != expected[i])
                {
                    throw Fail(i + 1, $"expected header column '{expected[i]}', found '{fields[i]}'");
                }
            }
        }

        public void ExpectFieldCount(int expected)
        {
            if (fields.Count == expected)
            {
                return;
            }

            var column = Math.Min(fields.Count, expected) + 1;
            var line = lines[Math.Min(column, lines.Count) - 1];
            throw new PolisFormatException(file, line, column, $"expected {expected} fields, found {fields.Count}");
        }

        public string Text(int column) => FormulaSafety.Unprotect(this[column]);

        public long Long(int column) =>
            long.TryParse(this[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Fail(column, $"expected an integer, found '{this[column]}'");

        public int Int(int column) =>
            int.TryParse(this[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Fail(column, $"expected an integer, found '{this[column]}'");

        public int? OptionalInt(int column) => this[column].Length == 0 ? null : Int(column);

        public int Vote(int column, string what) => this[column] switch
        {
            "1" => 1,
            "-1" => -1,
            "0" => 0,
            var other => throw Fail(column, $"{what} must be 1, -1 or 0, found '{other}'"),
        };
    }
}
