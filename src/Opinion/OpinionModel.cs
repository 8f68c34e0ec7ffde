namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// Opinion groups of one deliberation, kept live. <see cref="ApplyVote"/> is the cheap per-vote
/// path: it records the vote, re-projects that one participant on the current map, re-attaches them
/// to the nearest base cluster and updates their group's tallies. <see cref="Recompute"/> is the
/// full Pol.is pipeline (PCA, base clusters, group count by silhouette, stable ids), meant to run
/// periodically in the background. Not thread-safe: one owner (a grain) calls it.
/// </summary>
public sealed class OpinionModel(OpinionOptions? options = null)
{
    private readonly OpinionOptions _options = options ?? new OpinionOptions();
    private readonly VoteMatrix _matrix = new();
    private readonly List<bool> _inAnalysis = [];
    private readonly List<Point2> _positions = [];
    private readonly List<int> _baseOf = [];
    private readonly List<int> _groupOf = [];
    private readonly Dictionary<int, List<StatementTally>> _groupTallies = [];
    private readonly Dictionary<int, Dictionary<int, int>> _groupingsByK = [];
    private readonly Dictionary<int, int> _groupOfBase = [];
    private List<ClusterCentre> _baseClusters = [];
    private List<ClusterCentre> _groups = [];
    private PcaBasis _basis = PcaBasis.Empty;
    private GroupCountSmoother _smoother = GroupCountSmoother.Initial;
    private int _nextGroupId;
    private long _version;
    private OpinionSnapshot? _snapshot;

    public OpinionOptions Options => _options;

    public VoteMatrix Matrix => _matrix;

    public PcaBasis Basis => _basis;

    public GroupCountSmoother Smoother => _smoother;

    public long Version => _version;

    /// <summary>Silhouette of each group count tried at the last recomputation.</summary>
    public IReadOnlyDictionary<int, double> Silhouettes { get; private set; } = new Dictionary<int, double>();

    /// <summary>Hides a statement from the analysis (or brings it back); takes effect at the next recomputation.</summary>
    public void SetModeratedOut(long statementId, bool moderatedOut)
    {
        _matrix.SetModeratedOut(statementId, moderatedOut);
        Touch();
    }

    /// <summary>Records a vote (+1 agree, -1 disagree, 0 pass); a repeat replaces the earlier vote.</summary>
    public void ApplyVote(long participantId, long statementId, sbyte value)
    {
        var (row, column, previous) = _matrix.Apply(participantId, statementId, value);
        EnsureRow(row);
        var group = _groupOf[row];
        if (group >= 0)
        {
            var tallies = TalliesOf(group, column);
            if (previous is { } p)
            {
                tallies[column] = tallies[column].Without(p);
            }

            tallies[column] = tallies[column].With(value);
        }

        if (!_inAnalysis[row] && _matrix.Row(row).Count >= Math.Min(_options.MinVotes, CountedColumns()))
        {
            _inAnalysis[row] = true;
        }

        if (_basis.Active.Length > 0)
        {
            _positions[row] = _basis.Project(_matrix.Row(row));
            if (_inAnalysis[row] && _baseClusters.Count > 0)
            {
                var nearest = _baseClusters[WeightedKMeans.Nearest(_positions[row], _baseClusters)].Id;
                _baseOf[row] = nearest;
                MoveToGroup(row, _groupOfBase.GetValueOrDefault(nearest, -1));
            }
        }

        Touch();
    }

    /// <summary>
    /// Lets a participant into the analysis regardless of their vote count. Pol.is never lets anyone
    /// out once in, so a conversation imported from it keeps the set its history produced (which
    /// cannot be re-derived from the final votes: its rules changed over the years).
    /// </summary>
    public void AdmitToAnalysis(long participantId)
    {
        var row = _matrix.AddParticipant(participantId);
        EnsureRow(row);
        _inAnalysis[row] = true;
        Touch();
    }

    /// <summary>The full pipeline over every vote so far.</summary>
    public void Recompute()
    {
        UpdateInAnalysis();
        _basis = SparsePca.Compute(_matrix, _basis.Active.Length > 0 ? _basis : null, _options.PcaIterations);
        for (var row = 0; row < _matrix.ParticipantCount; row++)
        {
            _positions[row] = _basis.Project(_matrix.Row(row));
        }

        ClusterBase();
        var chosen = ChooseGroups();
        AssignStableIds(chosen);
        RebuildGroupTallies();
        Touch();
    }

    public OpinionSnapshot Snapshot() => _snapshot ??= BuildSnapshot();

    /// <summary>
    /// A statement the participant has not voted on, drawn by priority; null when they have seen all.
    /// </summary>
    public long? NextStatement(long participantId, Random random)
    {
        var seen = new bool[_matrix.StatementCount];
        if (_matrix.TryGetParticipant(participantId, out var row))
        {
            foreach (var (column, _) in _matrix.Row(row))
            {
                seen[column] = true;
            }
        }

        var candidates = new List<(long, double)>();
        for (var column = 0; column < _matrix.StatementCount; column++)
        {
            if (_matrix.IsModeratedOut(column) || seen[column])
            {
                continue;
            }

            candidates.Add((_matrix.StatementId(column), StatementPicker.Priority(_matrix.Tally(column), _basis.Extremity(column))));
        }

        return StatementPicker.Pick(candidates, random);
    }

    /// <summary>A copy of the model's state as plain data, for a grain to persist.</summary>
    public OpinionModelState ExportState()
    {
        var votes = new List<VoteRecord>();
        var inAnalysis = new List<long>();
        var baseMembership = new List<Membership>();
        for (var row = 0; row < _matrix.ParticipantCount; row++)
        {
            var participant = _matrix.ParticipantId(row);
            foreach (var (column, vote) in _matrix.Row(row))
            {
                votes.Add(new VoteRecord(participant, _matrix.StatementId(column), vote));
            }

            if (row < _inAnalysis.Count && _inAnalysis[row])
            {
                inAnalysis.Add(participant);
            }

            if (row < _baseOf.Count && _baseOf[row] >= 0)
            {
                baseMembership.Add(new Membership(participant, _baseOf[row]));
            }
        }

        var statements = Enumerable.Range(0, _matrix.StatementCount).Select(_matrix.StatementId).ToList();
        var moderatedOut = Enumerable.Range(0, _matrix.StatementCount).Where(_matrix.IsModeratedOut).Select(_matrix.StatementId).ToList();
        return new OpinionModelState(
            Enumerable.Range(0, _matrix.ParticipantCount).Select(_matrix.ParticipantId).ToList(),
            statements,
            moderatedOut,
            votes,
            inAnalysis,
            _basis,
            [.. _baseClusters],
            baseMembership,
            [.. _groupingsByK.OrderBy(g => g.Key).Select(g => new GroupingForK(g.Key, [.. g.Value.Select(m => new Membership(m.Key, m.Value))]))],
            [.. _groups],
            [.. _groupOfBase.Select(g => new Membership(g.Key, g.Value))],
            _smoother,
            _nextGroupId,
            _version);
    }

    /// <summary>Rebuilds a model from <see cref="ExportState"/>; its snapshot matches the one exported.</summary>
    public static OpinionModel FromState(OpinionModelState state, OpinionOptions? options = null)
    {
        var model = new OpinionModel(options);
        foreach (var participant in state.Participants)
        {
            model.EnsureRow(model._matrix.AddParticipant(participant));
        }

        foreach (var statement in state.Statements)
        {
            model._matrix.AddStatement(statement);
        }

        foreach (var statement in state.ModeratedOut)
        {
            model._matrix.SetModeratedOut(statement, moderatedOut: true);
        }

        foreach (var vote in state.Votes)
        {
            model.EnsureRow(model._matrix.Apply(vote.ParticipantId, vote.StatementId, vote.Value).Row);
        }

        foreach (var participant in state.InAnalysis)
        {
            model._inAnalysis[model._matrix.AddParticipant(participant)] = true;
        }

        model._basis = state.Basis;
        for (var row = 0; row < model._matrix.ParticipantCount; row++)
        {
            model._positions[row] = model._basis.Project(model._matrix.Row(row));
        }

        model._baseClusters = [.. state.BaseClusters];
        foreach (var membership in state.BaseMembership)
        {
            model._baseOf[model._matrix.AddParticipant(membership.Member)] = membership.ClusterId;
        }

        foreach (var grouping in state.GroupingsByK)
        {
            model._groupingsByK[grouping.K] = grouping.Memberships.ToDictionary(m => (int)m.Member, m => m.ClusterId);
        }

        model._groups = [.. state.Groups];
        foreach (var membership in state.GroupOfBase)
        {
            model._groupOfBase[(int)membership.Member] = membership.ClusterId;
        }

        for (var row = 0; row < model._matrix.ParticipantCount; row++)
        {
            model._groupOf[row] = model._inAnalysis[row] ? model._groupOfBase.GetValueOrDefault(model._baseOf[row], -1) : -1;
        }

        model.RebuildGroupTallies();
        model._smoother = state.Smoother;
        model._nextGroupId = state.NextGroupId;
        model._version = state.Version;
        return model;
    }

    private void Touch()
    {
        _version++;
        _snapshot = null;
    }

    private void EnsureRow(int row)
    {
        while (_inAnalysis.Count <= row)
        {
            _inAnalysis.Add(false);
            _positions.Add(default);
            _baseOf.Add(-1);
            _groupOf.Add(-1);
        }
    }

    private int CountedColumns()
    {
        var counted = 0;
        for (var c = 0; c < _matrix.StatementCount; c++)
        {
            if (_matrix.Tally(c).Seen > 0)
            {
                counted++;
            }
        }

        return counted;
    }

    private List<StatementTally> TalliesOf(int group, int column)
    {
        if (!_groupTallies.TryGetValue(group, out var tallies))
        {
            _groupTallies[group] = tallies = [];
        }

        while (tallies.Count <= column)
        {
            tallies.Add(default);
        }

        return tallies;
    }

    private void MoveToGroup(int row, int group)
    {
        var old = _groupOf[row];
        if (old == group)
        {
            return;
        }

        foreach (var (column, vote) in _matrix.Row(row))
        {
            if (old >= 0)
            {
                var tallies = TalliesOf(old, column);
                tallies[column] = tallies[column].Without(vote);
            }

            if (group >= 0)
            {
                var tallies = TalliesOf(group, column);
                tallies[column] = tallies[column].With(vote);
            }
        }

        _groupOf[row] = group;
    }

    /// <summary>
    /// Participants enter once they have voted on min(MinVotes, statements) statements and never
    /// leave; while fewer than GreedyParticipants qualify, the most active voters are let in.
    /// </summary>
    private void UpdateInAnalysis()
    {
        EnsureRow(_matrix.ParticipantCount - 1);
        var threshold = Math.Min(_options.MinVotes, CountedColumns());
        var count = 0;
        for (var row = 0; row < _matrix.ParticipantCount; row++)
        {
            if (!_inAnalysis[row] && _matrix.Row(row).Count >= threshold)
            {
                _inAnalysis[row] = true;
            }

            count += _inAnalysis[row] ? 1 : 0;
        }

        if (count >= _options.GreedyParticipants)
        {
            return;
        }

        var extra = Enumerable.Range(0, _matrix.ParticipantCount)
            .Where(r => !_inAnalysis[r] && _matrix.Row(r).Count > 0)
            .OrderByDescending(r => _matrix.Row(r).Count)
            .ThenBy(r => r)
            .Take(_options.GreedyParticipants - count);
        foreach (var row in extra)
        {
            _inAnalysis[row] = true;
        }
    }

    private void ClusterBase()
    {
        var rows = new List<int>();
        var points = new List<Point2>();
        var previous = new Dictionary<int, int>();
        for (var row = 0; row < _matrix.ParticipantCount; row++)
        {
            if (!_inAnalysis[row])
            {
                continue;
            }

            rows.Add(row);
            points.Add(_positions[row]);
            if (_baseOf[row] >= 0)
            {
                previous[row] = _baseOf[row];
            }
        }

        var clustering = WeightedKMeans.Run(points, rows, null, _options.BaseClusters, previous, _options.BaseClusterIterations);
        _baseClusters = [.. clustering.Clusters.OrderBy(c => c.Id)];
        for (var i = 0; i < rows.Count; i++)
        {
            _baseOf[rows[i]] = clustering.Clusters[clustering.Assignment[i]].Id;
        }
    }

    /// <summary>Groups the base clusters for every k allowed, keeps each k's grouping for the next warm start, and picks k.</summary>
    private Clustering ChooseGroups()
    {
        var points = _baseClusters.Select(c => c.Centre).ToList();
        var keys = _baseClusters.Select(c => c.Id).ToList();
        var weights = _baseClusters.Select(c => c.Weight).ToList();
        var maxK = Math.Min(_options.MaxGroups, 2 + (_baseClusters.Count / 12));
        var distinct = points.Distinct().Count();
        var byK = new Dictionary<int, (Clustering Clustering, double Silhouette)>();
        for (var k = 2; k <= Math.Min(maxK, distinct); k++)
        {
            var clustering = WeightedKMeans.RunWithRestarts(points, keys, weights, k, _groupingsByK.GetValueOrDefault(k), _options.GroupClusterIterations, _options.GroupRestarts);
            _groupingsByK[k] = clustering.ToMembership(keys);
            byK[k] = (clustering, Silhouette.Score(points, clustering.Assignment, clustering.Clusters.Count));
        }

        if (byK.Count == 0)
        {
            return Clustering.Empty;
        }

        Silhouettes = byK.ToDictionary(kv => kv.Key, kv => kv.Value.Silhouette);
        // A larger k must beat every smaller one by a margin: silhouettes a hair apart are noise, and fewer groups read better.
        var best = byK.Keys.Min();
        foreach (var (k, scored) in byK.OrderBy(kv => kv.Key))
        {
            if (scored.Silhouette > byK[best].Silhouette + _options.GroupCountMargin)
            {
                best = k;
            }
        }

        _smoother = _smoother.Next(best, _options.GroupCountBuffer);
        return byK.TryGetValue(_smoother.SmoothedK, out var chosen) ? chosen.Clustering : byK[best].Clustering;
    }

    /// <summary>
    /// Gives each new group the id of the old group it shares most participants with, so a group
    /// keeps its id (and colour on screen) across recomputations; groups with no match get a fresh id.
    /// </summary>
    private void AssignStableIds(Clustering chosen)
    {
        var baseIds = _baseClusters.Select(c => c.Id).ToList();
        var clusterOfBase = new Dictionary<int, int>();
        for (var i = 0; i < baseIds.Count && i < chosen.Assignment.Length; i++)
        {
            clusterOfBase[baseIds[i]] = chosen.Assignment[i];
        }

        var overlap = new Dictionary<(int Cluster, int OldGroup), int>();
        for (var row = 0; row < _matrix.ParticipantCount; row++)
        {
            if (_inAnalysis[row] && _groupOf[row] >= 0 && clusterOfBase.TryGetValue(_baseOf[row], out var cluster))
            {
                var key = (cluster, _groupOf[row]);
                overlap[key] = overlap.GetValueOrDefault(key) + 1;
            }
        }

        var idOfCluster = new Dictionary<int, int>();
        var usedOld = new HashSet<int>();
        foreach (var ((cluster, old), _) in overlap.OrderByDescending(o => o.Value).ThenBy(o => o.Key.Cluster).ThenBy(o => o.Key.OldGroup))
        {
            if (!idOfCluster.ContainsKey(cluster) && usedOld.Add(old))
            {
                idOfCluster[cluster] = old;
            }
        }

        for (var cluster = 0; cluster < chosen.Clusters.Count; cluster++)
        {
            if (!idOfCluster.ContainsKey(cluster))
            {
                idOfCluster[cluster] = _nextGroupId++;
            }
        }

        _nextGroupId = Math.Max(_nextGroupId, idOfCluster.Values.DefaultIfEmpty(-1).Max() + 1);
        _groups = [.. chosen.Clusters.Select((c, i) => c with { Id = idOfCluster[i] }).OrderBy(c => c.Id)];
        _groupOfBase.Clear();
        foreach (var (baseId, cluster) in clusterOfBase)
        {
            _groupOfBase[baseId] = idOfCluster[cluster];
        }

        for (var row = 0; row < _matrix.ParticipantCount; row++)
        {
            _groupOf[row] = _inAnalysis[row] ? _groupOfBase.GetValueOrDefault(_baseOf[row], -1) : -1;
        }
    }

    private void RebuildGroupTallies()
    {
        _groupTallies.Clear();
        foreach (var group in _groups)
        {
            _groupTallies[group.Id] = [.. new StatementTally[_matrix.StatementCount]];
        }

        for (var row = 0; row < _matrix.ParticipantCount; row++)
        {
            var group = _groupOf[row];
            if (group < 0)
            {
                continue;
            }

            var tallies = _groupTallies[group];
            foreach (var (column, vote) in _matrix.Row(row))
            {
                tallies[column] = tallies[column].With(vote);
            }
        }
    }

    private OpinionSnapshot BuildSnapshot()
    {
        var groupIds = _groups.Select(g => g.Id).ToList();
        var members = new Dictionary<int, int>();
        var participants = new List<ParticipantPosition>(_matrix.ParticipantCount);
        for (var row = 0; row < _matrix.ParticipantCount; row++)
        {
            var group = _groupOf[row];
            if (group >= 0)
            {
                members[group] = members.GetValueOrDefault(group) + 1;
            }

            int? closest = _groups.Count > 0 ? _groups[WeightedKMeans.Nearest(_positions[row], _groups)].Id : null;
            participants.Add(new ParticipantPosition(
                _matrix.ParticipantId(row), _positions[row], _inAnalysis[row], group >= 0 ? group : null, group >= 0 ? group : closest));
        }

        var consensus = new List<StatementConsensus>();
        var perGroupScores = groupIds.ToDictionary(g => g, _ => new List<RepresentativeStatement>());
        for (var column = 0; column < _matrix.StatementCount; column++)
        {
            if (_matrix.IsModeratedOut(column))
            {
                continue;
            }

            var tallies = groupIds.Select(g => TalliesOf(g, column)[column]).ToList();
            consensus.Add(new StatementConsensus(_matrix.StatementId(column), GroupInformedConsensus.Score(tallies), _matrix.Tally(column)));
            var total = tallies.Aggregate(default(StatementTally), (sum, t) => new StatementTally(sum.Agrees + t.Agrees, sum.Disagrees + t.Disagrees, sum.Passes + t.Passes));
            for (var g = 0; g < groupIds.Count; g++)
            {
                var rest = new StatementTally(total.Agrees - tallies[g].Agrees, total.Disagrees - tallies[g].Disagrees, total.Passes - tallies[g].Passes);
                perGroupScores[groupIds[g]].Add(Representativeness.Score(_matrix.StatementId(column), tallies[g], rest));
            }
        }

        var groups = _groups
            .Select(g => new OpinionGroup(g.Id, g.Centre, members.GetValueOrDefault(g.Id), Representativeness.Select(perGroupScores[g.Id], _options.RepresentativeStatements)))
            .ToList();
        var commonGround = CommonGround.Select(consensus.Select(c => (c.StatementId, c.Votes)), _options.RepresentativeStatements);
        return new OpinionSnapshot(_version, _inAnalysis.Count(x => x), groups, participants, consensus, commonGround);
    }
}
