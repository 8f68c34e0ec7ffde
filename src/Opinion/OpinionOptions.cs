namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// Tuning of the opinion-group pipeline. Defaults follow Pol.is's own math service so that groups
/// found here can be compared with groups found there.
/// </summary>
public sealed record OpinionOptions
{
    /// <summary>Votes a participant needs before entering the analysis (capped at the number of statements).</summary>
    public int MinVotes { get; init; } = 7;

    /// <summary>When fewer participants qualify, the most active voters are taken up to this many.</summary>
    public int GreedyParticipants { get; init; } = 15;

    /// <summary>Fine-grained clusters that participants fall into before being grouped.</summary>
    public int BaseClusters { get; init; } = 100;

    public int MaxGroups { get; init; } = 5;

    /// <summary>A new group count is adopted only after winning this many recomputations in a row.</summary>
    public int GroupCountBuffer { get; init; } = 4;

    public int PcaIterations { get; init; } = 100;

    public int BaseClusterIterations { get; init; } = 100;

    public int GroupClusterIterations { get; init; } = 20;

    /// <summary>Extra seeded starts for the group k-means, to avoid a poor local optimum from one start.</summary>
    public int GroupRestarts { get; init; } = 10;

    /// <summary>How much higher a larger group count's silhouette must be to win over a smaller one.</summary>
    public double GroupCountMargin { get; init; } = 0.02;

    public int RepresentativeStatements { get; init; } = 5;
}
