using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Consultations;

/// <summary>The moderators' and officials' side of a consultation.</summary>
public sealed partial class ConsultationGrain
{
    public Task<IReadOnlyList<ItemView>> GetQueue(int limit)
    {
        EnsureExists();
        var now = clock.GetUtcNow();
        return Task.FromResult<IReadOnlyList<ItemView>>([.. _ledger.Queue().Take(Math.Clamp(limit, 1, 1000)).Select(i => i.StaffView(now))]);
    }

    public async Task<ModerationResult> Moderate(ModerationCommand command)
    {
        EnsureExists();
        var ids = ModerationRules.Bulk(command);
        return command.Action switch
        {
            ModerationActions.Claim => await UnderDecisionLock(() => Claim(ids, command)),
            ModerationActions.Release => await UnderDecisionLock(() => Release(ids, command.Actor.Key)),
            _ => await Decide(ids, command),
        };
    }

    public async Task<ItemView> Answer(AnswerCommand command)
    {
        EnsureExists();
        ModerationPolicy.Demand(command.Actor, ModerationActions.Answer);
        var text = TextRules.Clean(command.Text, options.Value.MaxTextLength * 2);
        var owner = command.Owner is null ? null : TextRules.Clean(command.Owner, 200);
        await _decisions.WaitAsync();
        try
        {
            var item = RequireItem(command.ItemId);
            ModerationRules.Answerable(item);

            var answer = new OfficialAnswer(text, command.Status, owner, command.Due, command.Actor.Name, clock.GetUtcNow()) { ByAccount = command.Actor.AccountId };
            await Commit((seq, at) => new Moderated(LogEntry(seq, at, ModerationActions.Answer, item, command.Actor), Answer: answer));
            var recipients = _ledger.VotersOf(item).Concat(item.Followers).Append(item.CitizenId);
            Tell(recipients, item, "answered", Truncate(text));
            return item.PublicView()!;
        }
        finally
        {
            _decisions.Release();
        }
    }

    public async Task<Sanction> Sanction(SanctionCommand command)
    {
        EnsureExists();
        ModerationPolicy.Demand(command.Actor, ModerationActions.Sanction);
        ModerationRules.Sanction(command.Reason, command.Minutes);

        await _decisions.WaitAsync();
        try
        {
            var item = RequireItem(command.ItemId);
            var sanction = new Sanction(command.Kind, command.Reason, command.Minutes is { } m ? clock.GetUtcNow().AddMinutes(m) : null);

            // One durable step: the logged event is the sanction (this grain enforces it from its journal);
            // the citizen grain's copy only answers early, so failing to update it changes nothing.
            var action = $"{ModerationActions.Sanction}:{command.Kind.ToString().ToLowerInvariant()}";
            await Commit((seq, at) => new Moderated(
                LogEntry(seq, at, action, item, command.Actor, reason: command.Reason),
                CitizenId: item.CitizenId,
                Sanction: sanction));
            try
            {
                await GrainFactory.GetGrain<ICitizenGrain>(item.CitizenId).ApplySanction(Id, sanction);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The citizen's copy of a sanction in {Consultation} was not stored; the consultation enforces it anyway", Id);
            }

            return sanction;
        }
        finally
        {
            _decisions.Release();
        }
    }

    public async Task<ItemView> Appeal(string citizenId, string itemId, string? text)
    {
        EnsureExists();
        var appealText = string.IsNullOrWhiteSpace(text) ? null : TextRules.Clean(text, options.Value.MaxTextLength);
        await _decisions.WaitAsync();
        try
        {
            var item = ModerationRules.Appeal(_ledger.Find(itemId), citizenId, itemId);

            await Commit((seq, at) => new Moderated(LogEntry(seq, at, ModerationActions.Appeal, item, Author), Text: appealText));
            return item.OwnView();
        }
        finally
        {
            _decisions.Release();
        }
    }

    public Task<ModerationLogPage> GetModerationLog(long afterSeq, int limit)
    {
        EnsureExists();
        var entries = _ledger.Log.Where(e => e.Seq > afterSeq).Take(Math.Clamp(limit, 1, 1000)).ToArray();
        return Task.FromResult(new ModerationLogPage(entries, new Dictionary<string, int>(_ledger.LogCounts), _ledger.LastSeq));
    }

    public async Task<LogVerification> VerifyModerationLog()
    {
        EnsureExists();
        var upTo = _ledger.LastSeq;
        var result = await ReadAndVerifyLog();
        return result with { UpToSeq = upTo, VerifiedAt = clock.GetUtcNow() };
    }

    private async Task<LogVerification> ReadAndVerifyLog()
    {
        var entries = new List<ModerationLogEntry>();
        try
        {
            await foreach (var record in journal.ReadAsync(Id, 0))
            {
                var log = record.Kind switch
                {
                    "moderated" => (ConsultationEventCodec.Decode(record) as Moderated)?.Log,
                    "contributions-erased" => (ConsultationEventCodec.Decode(record) as ContributionsErased)?.Log,
                    _ => null,
                };
                if (log is not null)
                {
                    if (log.Seq != record.Seq)
                    {
                        return new LogVerification(false, entries.Count + 1, record.Seq, "The entry was moved to another position.");
                    }

                    entries.Add(log);
                }
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
        {
            return new LogVerification(false, entries.Count + 1, null, "A stored entry cannot be read.");
        }

        return ModerationLog.Verify(entries);
    }

    private async Task<ModerationResult> Claim(string[] ids, ModerationCommand command)
    {
        var now = clock.GetUtcNow();
        var until = now.AddSeconds(Math.Clamp(command.LeaseSeconds ?? 60, 10, 600));
        var outcomes = new List<ItemOutcome>();
        var claimable = new List<string>();
        foreach (var id in ids)
        {
            var item = _ledger.Find(id);
            var error = item is null ? ErrorCodes.NotFound
                : item.ClaimedByOtherThan(command.Actor.Key, now) ? ErrorCodes.Claimed
                : null;
            if (error is null)
            {
                claimable.Add(id);
            }
            else
            {
                outcomes.Add(new ItemOutcome(id, false, error, 0));
            }
        }

        if (claimable.Count > 0)
        {
            // Claims run under the decision lock and the ledger shows a claim only once it is durable,
            // so the next claimant's check above sees it: two moderators can never both win an item.
            var seq = await Commit((_, _) => new ItemsClaimed(claimable, command.Actor.Key, until, command.Actor.Name));
            outcomes.AddRange(claimable.Select(id => new ItemOutcome(id, true, null, seq)));
        }

        return new ModerationResult(outcomes);
    }

    private async Task<T> UnderDecisionLock<T>(Func<Task<T>> work)
    {
        await _decisions.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            _decisions.Release();
        }
    }

    private async Task<ModerationResult> Release(string[] ids, string moderator)
    {
        var held = ids.Where(id => _ledger.Find(id)?.ClaimedBy == moderator).ToList();
        var seq = held.Count > 0 ? await Commit((_, _) => new ItemsReleased(held, moderator)) : 0;
        return new ModerationResult([.. ids.Select(id => held.Contains(id) ? new ItemOutcome(id, true, null, seq) : new ItemOutcome(id, false, ErrorCodes.NotFound, 0))]);
    }

    /// <summary>Decisions one item at a time, under the decision lock, each one logged and chained.</summary>
    private async Task<ModerationResult> Decide(string[] ids, ModerationCommand command)
    {
        var note = command.Note is null ? null : TextRules.Clean(command.Note, 1000);
        var text = command.Action == ModerationActions.Edit ? TextRules.Clean(command.Text, options.Value.MaxTextLength) : null;
        var tags = command.Action == ModerationActions.Tag ? ModerationRules.Tags(command.Tags) : null;
        ModerationRules.Reason(command.Action, command.Reason);

        var outcomes = new List<ItemOutcome>();
        await _decisions.WaitAsync();
        try
        {
            foreach (var id in ids)
            {
                try
                {
                    outcomes.Add(new ItemOutcome(id, true, null, await DecideOne(id, command, note, text, tags)));
                }
                catch (DialogueException ex)
                {
                    outcomes.Add(new ItemOutcome(id, false, ex.Code, 0));
                }
            }
        }
        finally
        {
            _decisions.Release();
        }

        return new ModerationResult(outcomes);
    }

    /// <param name="campaign">The campaign cluster when this is one item of a group decision on it (kept in the private part of the event).</param>
    private async Task<long> DecideOne(string id, ModerationCommand command, string? note, string? text, IReadOnlyList<string>? tags, string? campaign = null)
    {
        var item = RequireItem(id);
        var by = command.Actor;
        var target = command.Action == ModerationActions.Merge && command.TargetId is not null ? _ledger.Find(command.TargetId) : null;
        ModerationRules.Decision(item, command.Action, by.Key, target, clock.GetUtcNow());

        var entry = (long seq, DateTimeOffset at) => LogEntry(seq, at, command.Action, item, by, command.Reason, command.TargetId);
        switch (command.Action)
        {
            case ModerationActions.Reject:
                var rejected = await Commit((seq, at) => new Moderated(entry(seq, at), Note: note, Campaign: campaign));
                Tell([item.CitizenId], item, "rejected", command.Reason);
                return rejected;
            case ModerationActions.Merge:
                var merged = await Commit((seq, at) => new Moderated(entry(seq, at), Note: note));
                Tell([item.CitizenId], item, "merged", target!.Id);
                return merged;
            case ModerationActions.Edit:
                var edited = await Commit((seq, at) => new Moderated(entry(seq, at), Note: note, Text: text));
                Tell([item.CitizenId], item, "edited", null);
                return edited;
            case ModerationActions.Tag:
                return await Commit((seq, at) => new Moderated(entry(seq, at), Tags: tags));
            case ModerationActions.Highlight:
                var highlighted = await Commit((seq, at) => new Moderated(entry(seq, at), Note: note, Campaign: campaign));
                Tell([item.CitizenId], item, "on-screen", null);
                return highlighted;
            default:
                var seqOf = await Commit((seq, at) => new Moderated(entry(seq, at), Note: note, Campaign: campaign));
                if (command.Action is ModerationActions.Approve or ModerationActions.MarkAnswered)
                {
                    Tell([item.CitizenId], item, command.Action == ModerationActions.Approve ? "approved" : "answered", null);
                }

                return seqOf;
        }
    }

    /// <summary>The citizen who appeals, as the public log names them.</summary>
    private static readonly Actor Author = new("author", ViewerRole.Participant);

    /// <summary>The public entry, sealed onto the chain; every public field must be set before sealing.</summary>
    private ModerationLogEntry LogEntry(long seq, DateTimeOffset at, string action, ConsultationLedger.Entry item, Actor by, string? reason = null, string? target = null) =>
        ModerationLog.Seal(
            new ModerationLogEntry(
                seq,
                at,
                action,
                item.Id,
                item.Pseudonym,
                action is ModerationActions.Reject || action.StartsWith(ModerationActions.Sanction, StringComparison.Ordinal) ? reason : null,
                action == ModerationActions.Merge ? target : null,
                by.Name,
                item.Appealed,
                string.Empty,
                string.Empty) { ByAccount = by.AccountId },
            _ledger.LastLogHash);

    /// <summary>Keeps a notification for each citizen (until read) and sends it to their connections.</summary>
    private void Tell(IEnumerable<string> citizenIds, ConsultationLedger.Entry item, string kind, string? detail)
    {
        var notification = new Notification(Guid.NewGuid().ToString("N"), Id, item.Id, kind, detail, clock.GetUtcNow(), false);
        var recipients = citizenIds.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var citizen in recipients)
        {
            _toKeep.Enqueue((citizen, notification));
        }

        // Live delivery goes at once; keeping a copy for each citizen (one state write each) is paced below.
        _notifications.Add(new NotificationDelivery(recipients, notification));
        Publish(null);
        if (!_keeping && _toKeep.Count > 0)
        {
            _keeping = true;
            _ = KeepNotifications();
        }
    }

    /// <summary>On deactivation whatever is still waiting goes at once: a notification shown live must also be kept.</summary>
    private void KeepRemainingNotifications()
    {
        while (_toKeep.TryDequeue(out var next))
        {
            GrainFactory.GetGrain<ICitizenGrain>(next.Citizen).Notify(next.Notification).Ignore();
        }
    }

    /// <summary>
    /// Hands notifications to the citizens' grains in batches of <see cref="KeepBatch"/>, one batch per
    /// <see cref="KeepPause"/>: answering a question 5,000 people voted for becomes 5,000 small storage
    /// writes spread over seconds, not one burst that stalls the storage for everyone.
    /// </summary>
    private async Task KeepNotifications()
    {
        try
        {
            while (_toKeep.Count > 0)
            {
                for (var i = 0; i < KeepBatch && _toKeep.TryDequeue(out var next); i++)
                {
                    GrainFactory.GetGrain<ICitizenGrain>(next.Citizen).Notify(next.Notification).Ignore();
                }

                if (_toKeep.Count > 0)
                {
                    await Task.Delay(KeepPause);
                }
            }
        }
        finally
        {
            _keeping = false;
        }
    }

    private ConsultationLedger.Entry RequireItem(string id) =>
        _ledger.Find(id) ?? throw new DialogueException(ErrorCodes.NotFound, $"Item '{id}' does not exist in this consultation.");

    private static string Truncate(string text) => text.Length <= 140 ? text : string.Concat(text.AsSpan(0, 139), "…");
}
