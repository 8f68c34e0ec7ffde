namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// Participants × statements, agree +1, disagree -1, pass 0, unseen absent. Rows are sparse because a
/// participant sees a small share of a large conversation; per-statement tallies are kept up to date
/// on every vote so that nothing needs a full scan between recomputations.
/// </summary>
public sealed class VoteMatrix
{
    private readonly Dictionary<long, int> _participantIndex = [];
    private readonly List<long> _participantIds = [];
    private readonly List<VoteRow> _rows = [];
    private readonly Dictionary<long, int> _statementIndex = [];
    private readonly List<long> _statementIds = [];
    private readonly List<StatementTally> _tallies = [];
    private readonly List<bool> _moderatedOut = [];

    public int ParticipantCount => _participantIds.Count;

    public int StatementCount => _statementIds.Count;

    public long ParticipantId(int row) => _participantIds[row];

    public long StatementId(int column) => _statementIds[column];

    public VoteRow Row(int row) => _rows[row];

    public StatementTally Tally(int column) => _tallies[column];

    public bool IsModeratedOut(int column) => _moderatedOut[column];

    public bool TryGetParticipant(long participantId, out int row) => _participantIndex.TryGetValue(participantId, out row);

    public bool TryGetStatement(long statementId, out int column) => _statementIndex.TryGetValue(statementId, out column);

    public int AddStatement(long statementId)
    {
        if (_statementIndex.TryGetValue(statementId, out var column))
        {
            return column;
        }

        column = _statementIds.Count;
        _statementIndex.Add(statementId, column);
        _statementIds.Add(statementId);
        _tallies.Add(default);
        _moderatedOut.Add(false);
        return column;
    }

    public int AddParticipant(long participantId)
    {
        if (_participantIndex.TryGetValue(participantId, out var row))
        {
            return row;
        }

        row = _participantIds.Count;
        _participantIndex.Add(participantId, row);
        _participantIds.Add(participantId);
        _rows.Add(new VoteRow());
        return row;
    }

    public void SetModeratedOut(long statementId, bool moderatedOut) => _moderatedOut[AddStatement(statementId)] = moderatedOut;

    /// <summary>Records the participant's latest vote; returns the vote it replaced, if any.</summary>
    public (int Row, int Column, sbyte? Previous) Apply(long participantId, long statementId, sbyte value)
    {
        if (value is < -1 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A vote is -1 (disagree), 0 (pass) or +1 (agree).");
        }

        var row = AddParticipant(participantId);
        var column = AddStatement(statementId);
        var previous = _rows[row].Set(column, value);
        var tally = _tallies[column];
        if (previous is { } p)
        {
            tally = tally.Without(p);
        }

        _tallies[column] = tally.With(value);
        return (row, column, previous);
    }
}

/// <summary>Vote counts for one statement (all voters, or one group's members).</summary>
public readonly record struct StatementTally(int Agrees, int Disagrees, int Passes)
{
    public int Seen => Agrees + Disagrees + Passes;

    /// <summary>Sum of vote values, for the statement mean used to centre the PCA.</summary>
    public int Sum => Agrees - Disagrees;

    public StatementTally With(sbyte vote) => vote switch
    {
        1 => this with { Agrees = Agrees + 1 },
        -1 => this with { Disagrees = Disagrees + 1 },
        _ => this with { Passes = Passes + 1 },
    };

    public StatementTally Without(sbyte vote) => vote switch
    {
        1 => this with { Agrees = Agrees - 1 },
        -1 => this with { Disagrees = Disagrees - 1 },
        _ => this with { Passes = Passes - 1 },
    };
}
