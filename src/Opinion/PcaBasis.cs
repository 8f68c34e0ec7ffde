namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// The 2-D projection found by the last full recomputation. Per statement column: whether it took
/// part (<see cref="Active"/>: had votes and was not moderated out), its mean vote (the centre) and
/// its weight on the two principal components. Columns added since the recomputation are ignored
/// until the next one.
/// </summary>
/// <param name="CountedColumns">Statements that had votes, moderated or not: the numerator of the sparsity scaling.</param>
/// <param name="ModeratedOutColumns">
/// Moderated-out statements that had votes. Pol.is zeroes these columns for every participant, so
/// they count as "voted" for everyone in the scaling; kept for fidelity with its groups.
/// </param>
public sealed record PcaBasis(
    bool[] Active,
    double[] Center,
    double[] Component1,
    double[] Component2,
    int CountedColumns,
    int ModeratedOutColumns)
{
    public static PcaBasis Empty { get; } = new([], [], [], [], 0, 0);

    /// <summary>
    /// Projects one participant the way Pol.is does: only the statements they voted on contribute, and
    /// the result is scaled by sqrt(statements / votes) so that someone who saw few statements is not
    /// pulled towards the centre merely for lack of data.
    /// </summary>
    public Point2 Project(VoteRow row)
    {
        double x = 0, y = 0;
        var votes = ModeratedOutColumns;
        foreach (var (column, vote) in row)
        {
            if (column >= Active.Length || !Active[column])
            {
                continue;
            }

            var centred = vote - Center[column];
            x += centred * Component1[column];
            y += centred * Component2[column];
            votes++;
        }

        var scale = Math.Sqrt(CountedColumns / (double)Math.Max(votes, 1));
        return new Point2(x * scale, y * scale);
    }

    /// <summary>
    /// How far a lone agree on this statement would sit from the centre: statements that split the
    /// room sit far out, statements everyone treats alike sit near the middle.
    /// </summary>
    public double Extremity(int column)
    {
        if (column >= Active.Length || !Active[column])
        {
            return 0;
        }

        var centred = 1 - Center[column];
        var scale = Math.Sqrt(CountedColumns / (double)Math.Max(1 + ModeratedOutColumns, 1));
        return Math.Abs(centred) * scale * Math.Sqrt((Component1[column] * Component1[column]) + (Component2[column] * Component2[column]));
    }
}
