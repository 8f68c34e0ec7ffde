using System.Globalization;
using OpenGov.Dialogue.Analysis.Data;

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
        var table = LabelledData.Open(RequireFile(Folder, "votes.csv"));
        var timestamp = Column(table, "timestamp");
        var comment = Column(table, "comment-id");
        var voter = Column(table, "voter-id");
        var vote = Column(table, "vote");
        return [.. table.Rows
            .Select(row => new PolisVote(
                ParseLong(row[timestamp], table), ParseLong(row[comment], table), ParseLong(row[voter], table), (sbyte)ParseLong(row[vote], table)))
            .OrderBy(v => v.Timestamp)];
    }

    private static string RequireFile(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : throw new CliException($"missing file {path}");
    }

    private static (HashSet<long> ModeratedOut, List<long> Statements) ReadComments(string path)
    {
        var table = LabelledData.Open(path);
        var id = Column(table, "comment-id");
        var moderated = Column(table, "moderated");
        var moderatedOut = new HashSet<long>();
        var statements = new List<long>();
        foreach (var row in table.Rows)
        {
            var statement = ParseLong(row[id], table);
            statements.Add(statement);
            if (row[moderated].Trim() == "-1")
            {
                moderatedOut.Add(statement);
            }
        }

        statements.Sort();
        return (moderatedOut, statements);
    }

    private static List<PolisParticipant> ReadParticipants(string path)
    {
        var table = LabelledData.Open(path);
        var participant = Column(table, "participant");
        var group = Column(table, "group-id");

        // Every column after n-disagree is a comment id; austria-climate adds an xid column earlier on.
        var firstComment = Column(table, "n-disagree") + 1;
        var statementIds = table.Header.Skip(firstComment).Select(h => ParseLong(h, table)).ToArray();
        var participants = new List<PolisParticipant>();
        foreach (var row in table.Rows)
        {
            var votes = new List<(long, sbyte)>();
            for (var i = 0; i < statementIds.Length && firstComment + i < row.Length; i++)
            {
                var cell = row[firstComment + i];
                if (cell.Length > 0)
                {
                    votes.Add((statementIds[i], (sbyte)ParseLong(cell, table)));
                }
            }

            var groupCell = row[group];
            participants.Add(new PolisParticipant(
                ParseLong(row[participant], table),
                groupCell.Length == 0 ? null : (int)ParseLong(groupCell, table),
                votes));
        }

        return participants;
    }

    private static int Column(CsvTable table, string name) =>
        table.HasColumn(name) ? table.Column(name) : throw new CliException($"{table.Source} has no column '{name}'");

    private static long ParseLong(string text, CsvTable table) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliException($"{table.Source}: expected an integer, got '{text}'");
}
