using OpenGov.Dialogue.OpenData;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// What `eval opinion` takes from a Pol.is export folder, read by the one Pol.is reader (<see cref="PolisReader"/>):
/// the comments (for the ones Pol.is moderated out), the participants with their final votes and groups, and on
/// request the vote events. summary.csv is not needed, and votes.csv only for --replay.
/// </summary>
internal sealed class PolisExport
{
    private readonly string _folder;
    private readonly IReadOnlyList<PolisComment> _comments;
    private readonly IReadOnlyList<int> _matrixColumns;

    private PolisExport(string folder, IReadOnlyList<PolisComment> comments, IReadOnlyList<PolisParticipant> participants, IReadOnlyList<int> matrixColumns)
    {
        _folder = folder;
        _comments = comments;
        Participants = participants;
        _matrixColumns = matrixColumns;
    }

    /// <summary>The rows of participants-votes.csv in file order.</summary>
    public IReadOnlyList<PolisParticipant> Participants { get; }

    /// <summary>The comments Pol.is's moderators rejected (moderated = -1), in file order.</summary>
    public IEnumerable<long> ModeratedOut => _comments.Where(c => c.Moderated == -1).Select(c => (long)c.CommentId);

    public static PolisExport Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CliException($"Pol.is folder not found: {folder}");
        }

        return Checked(() =>
        {
            var comments = PolisReader.ReadComments(folder, PolisLimits.LocalFiles);
            var (participants, matrix) = PolisReader.ReadParticipants(folder, comments, PolisLimits.LocalFiles);
            return new PolisExport(folder, comments, participants, matrix);
        });
    }

    /// <summary>A participant's final votes in the column order of participants-votes.csv.</summary>
    public IEnumerable<(long StatementId, sbyte Value)> VotesOf(PolisParticipant participant) =>
        _matrixColumns.Where(participant.Votes.ContainsKey).Select(c => ((long)c, (sbyte)participant.Votes[c]));

    /// <summary>The vote events of votes.csv in timestamp order (stable for equal timestamps, as in the file).</summary>
    public IReadOnlyList<PolisVote> VotesInTimeOrder()
    {
        var path = Path.Combine(_folder, PolisReader.VotesFile);
        if (!File.Exists(path))
        {
            throw new CliException($"missing file {path}");
        }

        var votes = Checked(() => PolisReader.ReadVotes(_folder, _comments, PolisLimits.LocalFiles)) ?? [];
        return [.. votes.OrderBy(v => v.Timestamp)];
    }

    private static T Checked<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (PolisFormatException ex)
        {
            // The message already reads "FILE line L column C: problem".
            throw new CliException(ex.Message);
        }
    }
}
