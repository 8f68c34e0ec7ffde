using System.Globalization;
using System.Text;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>One vote event from a Pol.is export's votes.csv.</summary>
public readonly record struct PolisVote(long Timestamp, long StatementId, long ParticipantId, sbyte Value);

/// <summary>One participant's final votes and the group Pol.is placed them in (null: not placed).</summary>
public sealed record PolisParticipant(long ParticipantId, int? GroupId, IReadOnlyList<(long StatementId, sbyte Value)> Votes);

/// <summary>A Pol.is open-data conversation folder (compdemocracy/openData layout).</summary>
public sealed record PolisConversation(
    string Folder,
    IReadOnlyList<PolisParticipant> Participants,
    IReadOnlySet<long> ModeratedOut,
    IReadOnlyList<long> Statements)
{
    public static PolisConversation Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CliException($"Pol.is folder not found: {folder}");
        }

        var (moderatedOut, statements) = ReadComments(RequireFile(folder, "comments.csv"));
        var participants = ReadParticipants(RequireFile(folder, "participants-votes.csv"));
        return new PolisConversation(folder, participants, moderatedOut, statements);
    }

    /// <summary>Vote events in timestamp order (stable for equal timestamps, as in the file).</summary>
    public IReadOnlyList<PolisVote> ReadVotes()
    {
        var path = RequireFile(Folder, "votes.csv");
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = Csv.ReadRecord(reader) ?? throw new CliException($"{path} is empty");
        var timestamp = Column(header, "timestamp", path);
        var comment = Column(header, "comment-id", path);
        var voter = Column(header, "voter-id", path);
        var vote = Column(header, "vote", path);
        var votes = new List<PolisVote>();
        while (Csv.ReadRecord(reader) is { } record)
        {
            votes.Add(new PolisVote(
                ParseLong(Cell(record, timestamp, path), path),
                ParseLong(Cell(record, comment, path), path),
                ParseLong(Cell(record, voter, path), path),
                (sbyte)ParseLong(Cell(record, vote, path), path)));
        }

        return [.. votes.OrderBy(v => v.Timestamp)];
    }

    private static string RequireFile(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : throw new CliException($"missing file {path}");
    }

    private static (HashSet<long> ModeratedOut, List<long> Statements) ReadComments(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = Csv.ReadRecord(reader) ?? throw new CliException($"{path} is empty");
        var id = Column(header, "comment-id", path);
        var moderated = Column(header, "moderated", path);
        var moderatedOut = new HashSet<long>();
        var statements = new List<long>();
        while (Csv.ReadRecord(reader) is { } record)
        {
            var statement = ParseLong(Cell(record, id, path), path);
            statements.Add(statement);
            if (Cell(record, moderated, path).Trim() == "-1")
            {
                moderatedOut.Add(statement);
            }
        }

        statements.Sort();
        return (moderatedOut, statements);
    }

    private static List<PolisParticipant> ReadParticipants(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = Csv.ReadRecord(reader) ?? throw new CliException($"{path} is empty");
        var participant = Column(header, "participant", path);
        var group = Column(header, "group-id", path);

        // Every column after n-disagree is a comment id; austria-climate adds an xid column earlier on.
        var firstComment = Column(header, "n-disagree", path) + 1;
        var statementIds = header.Skip(firstComment).Select(h => ParseLong(h, path)).ToArray();
        var participants = new List<PolisParticipant>();
        while (Csv.ReadRecord(reader) is { } record)
        {
            var votes = new List<(long, sbyte)>();
            for (var i = 0; i < statementIds.Length && firstComment + i < record.Count; i++)
            {
                var cell = record[firstComment + i];
                if (cell.Length > 0)
                {
                    votes.Add((statementIds[i], (sbyte)ParseLong(cell, path)));
                }
            }

            var groupCell = Cell(record, group, path);
            participants.Add(new PolisParticipant(
                ParseLong(Cell(record, participant, path), path),
                groupCell.Length == 0 ? null : (int)ParseLong(groupCell, path),
                votes));
        }

        return participants;
    }

    private static string Cell(List<string> record, int index, string path) =>
        index < record.Count ? record[index] : throw new CliException($"{path}: a row has {record.Count} fields, expected at least {index + 1}");

    private static int Column(IReadOnlyList<string> header, string name, string path)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == name)
            {
                return i;
            }
        }

        throw new CliException($"{path} has no column '{name}'");
    }

    private static long ParseLong(string text, string path) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliException($"{path}: expected an integer, got '{text}'");
}

/// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and newlines.</summary>
internal static class Csv
{
    public static List<string>? ReadRecord(TextReader reader)
    {
        var first = reader.Peek();
        if (first < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                fields.Add(field.ToString());
                return fields;
            }

            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        field.Append('"');
                        reader.Read();
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append((char)c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append((char)c);
                    break;
            }
        }
    }
}
