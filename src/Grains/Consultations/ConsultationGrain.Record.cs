using System.Globalization;
using System.Text;
using OpenGov.Dialogue.Citizens;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Consultations;

/// <summary>
/// The public record and citizens' data rights: lifecycle, open-data export, import of earlier
/// conversations, a citizen's own data, erasure and the retention job (docs/data-rights.md).
/// </summary>
public sealed partial class ConsultationGrain
{
    /// <summary>Log actions of the record itself (not about one item).</summary>
    public const string StatusAction = "status";
    public const string SettingsAction = "settings";
    public const string ErasureAction = "erasure";
    public const string RetentionAction = "retention";

    private const int MaxImportEvents = 10_000;

    public async Task<ConsultationInfo> Update(UpdateConsultation command)
    {
        EnsureExists();
        if (command.Actor.Role != ViewerRole.Admin)
        {
            throw new DialogueException(ErrorCodes.Forbidden, "Only admins change a consultation's settings.");
        }

        await _decisions.WaitAsync();
        try
        {
            var s = state.State;
            var status = command.Status ?? s.Status;
            if (s.Status == ConsultationStatus.Archived)
            {
                throw new DialogueException(ErrorCodes.InvalidTransition, "An archived consultation is the public record and cannot be changed.");
            }

            if (status != s.Status && !ConsultationLifecycle.CanMove(s.Status, status))
            {
                throw new DialogueException(ErrorCodes.InvalidTransition, $"A consultation cannot go from {Name(s.Status)} to {Name(status)} (draft → open → closed → archived; closed → open).");
            }

            if (command.RetentionDays is < 1 or > 3650)
            {
                throw new DialogueException(ErrorCodes.InvalidConsultation, "retentionDays must be 1–3650.");
            }

            var closedAt = status == s.Status ? s.ClosedAt
                : status == ConsultationStatus.Closed ? clock.GetUtcNow()
                : status == ConsultationStatus.Open ? null
                : s.ClosedAt;
            var settings = new ConsultationSettings(
                command.Title ?? s.Title,
                command.Description ?? s.Description,
                status,
                command.Visibility ?? s.Visibility,
                command.PublishRejected ?? s.PublishRejected,
                command.ClearRetention ? null : command.RetentionDays ?? s.RetentionDays,
                closedAt,
                command.Admission ?? s.Admission,
                command.JoinCodeMinutes is { } minutes ? AdmissionRules.CheckJoinCodeMinutes(minutes) : s.JoinCodeMinutes);
            if (settings == CurrentSettings())
            {
                // Nothing changes: nothing is written, logged or pushed.
                return Info();
            }

            var statusChanged = status != s.Status;
            await Commit((seq, at) => new Moderated(
                RecordEntry(seq, at, statusChanged ? StatusAction : SettingsAction, statusChanged ? Name(status) : null, command.Actor.Name, command.Actor.AccountId),
                Settings: settings));

            // The journal has it already (replay restores it); the state row keeps activation and the directory cheap.
            await state.WriteStateAsync();
            await RegisterInDirectory();
            return Info();
        }
        finally
        {
            _decisions.Release();
        }
    }

    public async Task<ConsultationExport> Export()
    {
        EnsureExists();
        var s = state.State;
        var upTo = _ledger.LastSeq;
        var items = _ledger.Items
            .OrderBy(i => ItemNumber(i.Id))
            .Select(i => new ExportItem(
                ItemNumber(i.Id),
                _ledger.NumberOf(i.CitizenId) ?? -1,
                i.Pseudonym,
                ExportText(i, s.PublishRejected),
                i.Status,
                !i.NeedsReview,
                i.Tally,
                i.CreatedAt,
                i.Tags,
                i.MergedInto,
                i.Answer,
                i.Erased,
                i.Status == ItemStatus.Rejected ? i.Reason : null))
            .ToList();
        var matrix = _ledger.AllVotes()
            .Select(v => new ExportCell(v.Citizen, ItemNumber(v.Item.Id), v.Value))
            .OrderBy(c => c.Participant).ThenBy(c => c.Item)
            .ToList();

        // Vote events as they happened come from the journal; erased citizens' votes were withdrawn and stay out.
        var votes = new List<ExportVote>();
        await foreach (var record in journal.ReadAsync(Id, 0))
        {
            if (record.Seq > upTo)
            {
                break;
            }

            if (record.Kind == "vote-cast" && ConsultationEventCodec.Decode(record) is VoteCast v
                && !_ledger.IsErased(v.CitizenId) && _ledger.NumberOf(v.CitizenId) is { } participant)
            {
                votes.Add(new ExportVote(record.At, ItemNumber(v.ItemId), participant, v.Value));
            }
        }

        var groups = new Dictionary<int, int>();
        if (_ledger.Mode == ConsultationMode.Deliberation)
        {
            foreach (var (citizen, group) in await GrainFactory.GetGrain<IOpinionGrain>(Id).GroupsOf())
            {
                if (_ledger.NumberOf(citizen) is { } participant)
                {
                    groups[participant] = group;
                }
            }
        }

        return new ConsultationExport(
            Info(),
            items,
            votes,
            matrix,
            groups,
            new Dictionary<string, int>(_ledger.LogCounts),
            _ledger.Log.Count,
            _ledger.LastLogHash,
            clock.GetUtcNow());
    }

    /// <summary>
    /// Imported history, in the order given: each item is stored with its own time, then its moderation
    /// (accepted or rejected, logged by the importing admin); votes are pipelined. Only a draft takes
    /// imports, so nobody takes part while the history is written.
    /// </summary>
    public async Task<int> Import(IReadOnlyList<ImportedEvent> events, Actor actor)
    {
        EnsureExists();
        if (actor.Role != ViewerRole.Admin)
        {
            throw new DialogueException(ErrorCodes.Forbidden, "Only admins import.");
        }

        if (state.State.Status != ConsultationStatus.Draft)
        {
            throw new DialogueException(ErrorCodes.InvalidTransition, "Imports go into a draft consultation only.");
        }

        if (events.Count > MaxImportEvents)
        {
            throw new DialogueException(ErrorCodes.InvalidConsultation, $"At most {MaxImportEvents} events per call.");
        }

        await _decisions.WaitAsync();
        try
        {
            var writes = new List<Task>();
            foreach (var e in events)
            {
                if (e.Text is { } text)
                {
                    if (_ledger.Find(e.ItemId) is not null || !e.ItemId.StartsWith('i') || ItemNumber(e.ItemId) < 1 || text.Length > 20_000)
                    {
                        throw new DialogueException(ErrorCodes.InvalidConsultation, $"Item '{e.ItemId}' cannot be imported (exists already, bad id or text too long).");
                    }

                    // The pseudonym is keyed by the import's fresh citizen id, which nobody holds: stable per imported participant, linkable to no one.
                    var pseudonym = Pseudonyms.For(Encoding.UTF8.GetBytes(e.CitizenId), Id);
                    var status = e.Moderated == 0 ? ItemStatus.Published : ItemStatus.Pending;
                    var submitted = Commit((_, _) => new ItemSubmitted(e.ItemId, e.CitizenId, pseudonym, $"import:{e.ItemId}", text, status), at: e.At);
                    _nextItemNumber = Math.Max(_nextItemNumber, ItemNumber(e.ItemId) + 1);
                    if (e.Moderated == 0)
                    {
                        writes.Add(submitted);
                        continue;
                    }

                    // Each log entry links to the one before: written one at a time, after the item it names.
                    await submitted;
                    var item = RequireItem(e.ItemId);
                    var action = e.Moderated > 0 ? ModerationActions.Approve : ModerationActions.Reject;
                    await Commit((seq, at) => new Moderated(LogEntry(seq, at, action, item, actor, reason: e.Moderated > 0 ? null : "other")), at: e.At);
                }
                else
                {
                    if (e.Vote is < -1 or > 1)
                    {
                        throw new DialogueException(ErrorCodes.InvalidVote, "A vote is -1, 0 or 1.");
                    }

                    writes.Add(Commit((_, _) => new VoteCast(e.ItemId, e.CitizenId, e.Vote, Imported: true), at: e.At));
                }
            }

            await Task.WhenAll(writes);
            return events.Count;
        }
        finally
        {
            _decisions.Release();
        }
    }

    public Task<CitizenContributions> GetContributions(string citizenId)
    {
        var items = _ledger.ItemsBy(citizenId).OrderBy(i => i.SubmitSeq).ToList();
        var ids = items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(new CitizenContributions(
            Id,
            items.FirstOrDefault()?.Pseudonym,
            [.. items.Select(i => i.OwnView())],
            [.. _ledger.Log.Where(e => e.ItemId is not null && ids.Contains(e.ItemId))],
            [.. _ledger.VotesBy(citizenId).OrderBy(v => ItemNumber(v.Item.Id)).Select(v => new OwnVote(v.Item.Id, v.Value))]));
    }

    public async Task<ErasureResult> EraseCitizen(string citizenId)
    {
        EnsureExists();
        await _decisions.WaitAsync();
        try
        {
            var itemIds = _ledger.ItemsBy(citizenId).Select(i => i.Id).ToArray();
            var votes = _ledger.VotesBy(citizenId).Count();
            if (_ledger.NumberOf(citizenId) is null)
            {
                return new ErasureResult(Id, 0, 0, 0);
            }

            var erasedAs = $"{ConsultationLedger.ErasedPrefix}{Guid.NewGuid():N}";
            var detail = string.Create(CultureInfo.InvariantCulture, $"items:{itemIds.Length},votes:{votes}");
            ContributionsErased? e = null;
            var seq = await Commit((seq, at) => e = new ContributionsErased(erasedAs, itemIds, citizenId, RecordEntry(seq, at, ErasureAction, detail, "author")));
            await FinishRewrite(e!, seq);
            return new ErasureResult(Id, itemIds.Length, votes, seq);
        }
        finally
        {
            _decisions.Release();
        }
    }

    public async Task<bool> ApplyRetention()
    {
        EnsureExists();
        var s = state.State;
        if (!RetentionRule.IsOver(s.Status, s.RetentionDays, s.ClosedAt, clock.GetUtcNow()) || !_ledger.HasIdentities)
        {
            return false;
        }

        var days = s.RetentionDays!.Value;

        await _decisions.WaitAsync();
        try
        {
            var e = new IdentitiesAnonymised(Pending: true);
            var seq = await Commit((_, _) => e);
            await FinishRewrite(e, seq);
            await Commit((seq, at) => new Moderated(RecordEntry(seq, at, RetentionAction, string.Create(CultureInfo.InvariantCulture, $"days:{days}"), "retention")));
            await state.WriteStateAsync();
            return true;
        }
        finally
        {
            _decisions.Release();
        }
    }

    /// <summary>On activation: an erasure or anonymisation whose rewrite did not finish, at the seq it was stored.</summary>
    private Task FinishRewrite(ConsultationEvent e, long seq, CancellationToken cancellationToken) =>
        e switch
        {
            ContributionsErased erased => FinishRewrite(erased, seq, cancellationToken),
            IdentitiesAnonymised anonymised => FinishRewrite(anonymised, seq, cancellationToken),
            _ => Task.CompletedTask,
        };

    /// <summary>
    /// Rewrites every stored row up to the erasure that names the citizen: their id becomes the
    /// replacement, their texts the marker (in submissions, edits and appeals, and moderators' notes on
    /// their items); the erasure row itself loses the citizen id last, which marks the work done.
    /// Then the in-memory indexes that held the texts are rebuilt, and the opinion analysis too.
    /// </summary>
    private async Task FinishRewrite(ContributionsErased erased, long erasureSeq, CancellationToken cancellationToken = default)
    {
        var citizenId = erased.CitizenId;
        var items = erased.ItemIds.ToHashSet(StringComparer.Ordinal);
        var rows = new List<JournalRecord>();
        await foreach (var record in journal.ReadAsync(Id, 0, cancellationToken))
        {
            if (record.Seq > erasureSeq)
            {
                break;
            }

            var e = ConsultationEventCodec.Decode(record);
            var (rewritten, clientKey) = e switch
            {
                ItemSubmitted s when s.CitizenId == citizenId => ((ConsultationEvent?)(s with { CitizenId = erased.ErasedAs, Text = ConsultationLedger.ErasedText }), (string?)null),
                VoteCast v when v.CitizenId == citizenId => (v with { CitizenId = erased.ErasedAs }, record.ClientKey),
                Moderated m when m.CitizenId == citizenId || (m.Log.ItemId is { } id && items.Contains(id) && (m.Text is not null || m.Note is not null)) =>
                    (m with
                    {
                        CitizenId = m.CitizenId == citizenId ? erased.ErasedAs : m.CitizenId,
                        Text = m.Text is null ? null : ConsultationLedger.ErasedText,
                        Note = null,
                    }, record.ClientKey),
                ContributionsErased c when record.Seq == erasureSeq => (c with { CitizenId = null }, record.ClientKey),
                _ => (null, null),
            };
            if (rewritten is not null)
            {
                rows.Add(ConsultationEventCodec.Rewrite(record, rewritten, clientKey));
            }
        }

        var written = await journal.RewriteAsync(rows, cancellationToken);
        if (written != rows.Count)
        {
            // A row that did not match by seq and event id would keep the citizen's data: never report such an erasure as done.
            throw new InvalidOperationException($"Erasure in {Id} rewrote {written} of {rows.Count} rows.");
        }

        RebuildTextIndexes();
        await GrainFactory.GetGrain<IOpinionGrain>(Id).Rebuild();
    }

    /// <summary>Every real citizen id up to the anonymisation becomes "anon-n", n its number here (the order of first appearance).</summary>
    private async Task FinishRewrite(IdentitiesAnonymised anonymised, long anonymisationSeq, CancellationToken cancellationToken = default)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        string Anonymous(string citizenId)
        {
            if (!numbers.TryGetValue(citizenId, out var n))
            {
                n = numbers.Count;
                numbers[citizenId] = n;
            }

            return ConsultationLedger.IsReplacement(citizenId) ? citizenId : $"{ConsultationLedger.AnonymousPrefix}{n}";
        }

        var rows = new List<JournalRecord>();
        await foreach (var record in journal.ReadAsync(Id, 0, cancellationToken))
        {
            if (record.Seq > anonymisationSeq)
            {
                break;
            }

            // Numbers follow first appearance in submissions and votes, as the ledger gives them.
            var e = ConsultationEventCodec.Decode(record);
            ConsultationEvent? rewritten = e switch
            {
                ItemSubmitted s when !ConsultationLedger.IsReplacement(s.CitizenId) => s with { CitizenId = Anonymous(s.CitizenId) },
                VoteCast v when !ConsultationLedger.IsReplacement(v.CitizenId) => v with { CitizenId = Anonymous(v.CitizenId) },
                Moderated { CitizenId: { } c } m when !ConsultationLedger.IsReplacement(c) => m with { CitizenId = numbers.ContainsKey(c) ? Anonymous(c) : null },
                IdentitiesAnonymised when record.Seq == anonymisationSeq => anonymised with { Pending = false },
                _ => null,
            };
            if (e is ItemSubmitted { CitizenId: var author } && ConsultationLedger.IsReplacement(author))
            {
                Anonymous(author);
            }
            else if (e is VoteCast { CitizenId: var voter } && ConsultationLedger.IsReplacement(voter))
            {
                Anonymous(voter);
            }

            if (rewritten is not null)
            {
                rows.Add(ConsultationEventCodec.Rewrite(record, rewritten, rewritten is ItemSubmitted ? null : record.ClientKey));
            }
        }

        var written = await journal.RewriteAsync(rows, cancellationToken);
        if (written != rows.Count)
        {
            throw new InvalidOperationException($"Anonymisation of {Id} rewrote {written} of {rows.Count} rows.");
        }

        // The citizens forget this consultation's salt, so their pseudonym here can no longer be recomputed from them.
        foreach (var citizen in numbers.Keys.Where(c => !ConsultationLedger.IsReplacement(c)))
        {
            await GrainFactory.GetGrain<ICitizenGrain>(citizen).Forget(Id);
        }

        await ServiceProvider.GetRequiredService<IStorageScrubber>().ScrubGrainStateAsync(cancellationToken);
    }

    private void RebuildTextIndexes()
    {
        _earlier.Dispose();
        _history.Dispose();
        _earlier = new();
        _history = new();
        foreach (var item in _ledger.Items.Where(i => !i.Erased).OrderBy(i => i.SubmitSeq))
        {
            _earlier.Add(item.Id, item.OriginalText ?? item.Text);
            if (!item.NeedsReview && item.Status is ItemStatus.Published or ItemStatus.Answered or ItemStatus.Rejected)
            {
                _history.Record(item.Id, item.Text, item.Status == ItemStatus.Rejected);
            }
        }

        RebuildCampaigns();
    }

    private ConsultationSettings CurrentSettings()
    {
        var s = state.State;
        return new ConsultationSettings(s.Title, s.Description, s.Status, s.Visibility, s.PublishRejected, s.RetentionDays, s.ClosedAt, s.Admission, s.JoinCodeMinutes);
    }

    private Task RegisterInDirectory()
    {
        var s = state.State;
        return GrainFactory.GetGrain<IConsultationDirectoryGrain>(0)
            .Register(new ConsultationSummary(Id, s.Title, s.Mode, s.Status, s.CreatedAt) { Visibility = s.Visibility });
    }

    /// <summary>A log entry about the consultation itself (no item, no pseudonym), sealed onto the chain.</summary>
    private ModerationLogEntry RecordEntry(long seq, DateTimeOffset at, string action, string? detail, string by, string? byAccount = null) =>
        ModerationLog.Seal(new ModerationLogEntry(seq, at, action, null, null, detail, null, by, false, string.Empty, string.Empty) { ByAccount = byAccount }, _ledger.LastLogHash);

    /// <summary>Rejected and never-reviewed texts are published only when the consultation says so.</summary>
    private static string? ExportText(ConsultationLedger.Entry item, bool publishRejected) =>
        item.Erased ? ConsultationLedger.ErasedText
        : item.Status is ItemStatus.Rejected or ItemStatus.Pending ? (publishRejected ? item.Text : null)
        : item.WasPublic || publishRejected ? item.Text
        : null;

    private static int ItemNumber(string itemId) => (int)Opinion.OpinionViews.StatementId(itemId);

    private static string Name(ConsultationStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>Which status changes the lifecycle allows: draft → open → closed → archived, and closed → open.</summary>
public static class ConsultationLifecycle
{
    public static bool CanMove(ConsultationStatus from, ConsultationStatus to) => (from, to) switch
    {
        (ConsultationStatus.Draft, ConsultationStatus.Open) => true,
        (ConsultationStatus.Open, ConsultationStatus.Closed) => true,
        (ConsultationStatus.Closed, ConsultationStatus.Open) => true,
        (ConsultationStatus.Closed, ConsultationStatus.Archived) => true,
        _ => false,
    };
}
