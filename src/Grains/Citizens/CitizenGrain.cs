using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Citizens;

[GenerateSerializer, Alias("dialogue.citizen-state")]
public sealed class CitizenState
{
    /// <summary>Secret per citizen; pseudonyms are derived from it, so it never leaves the grain.</summary>
    [Id(0)] public byte[] Salt { get; set; } = [];

    /// <summary>Consultations the citizen has written in (their own items are read from those).</summary>
    [Id(1)] public List<string> Consultations { get; set; } = [];

    /// <summary>Mutes and bans per consultation id.</summary>
    [Id(2)] public Dictionary<string, Sanction> Sanctions { get; set; } = [];

    /// <summary>Kept until read, newest last, at most <see cref="CitizenGrain.MaxNotifications"/>.</summary>
    [Id(3)] public List<Notification> Notifications { get; set; } = [];

    /// <summary>
    /// One secret per consultation, so the retention job of one consultation can destroy the key of
    /// the citizen's pseudonym there without touching the others. <see cref="Salt"/> stays only for
    /// consultations written in before per-consultation salts existed.
    /// </summary>
    [Id(4)] public Dictionary<string, byte[]> Salts { get; set; } = [];

    /// <summary>Consultations the citizen voted in (their data-access request reads the votes from those).</summary>
    [Id(5)] public List<string> Voted { get; set; } = [];

    /// <summary>Consultations where the citizen answered segment questions (their data request and erasure reach those answers).</summary>
    [Id(6)] public List<string> Described { get; set; } = [];

    /// <summary>The messaging channel (WhatsApp, SMS) the citizen takes part through; its conversation grain gets their notifications too.</summary>
    [Id(7)] public string? Channel { get; set; }
}

/// <summary>
/// One citizen: pseudonyms, rate limit, sanctions, notifications and the list of consultations
/// they wrote in. State is written on the first visit, the first submission to a consultation, a
/// sanction and a notification — never per submission.
/// </summary>
public sealed class CitizenGrain(
    [PersistentState("citizen", StorageNames.Grains)] IPersistentState<CitizenState> state,
    TimeProvider clock,
    IOptions<DialogueOptions> options,
    Journal.IStorageScrubber scrubber) : Grain, ICitizenGrain
{
    public const int MaxNotifications = 200;

    /// <summary>Changes to one's segment answers a minute: each rewrites the consultation's answers.</summary>
    public const int SegmentChangesPerMinute = 6;

    private TokenBucket? _bucket;
    private TokenBucket? _votes;
    private TokenBucket? _segments;

    public async Task<string> GetPseudonym(string consultationId) =>
        Pseudonyms.For(await Salt(consultationId), consultationId);

    public async Task<SubmitResult> Submit(string consultationId, string clientId, string text, Admission? admission = null)
    {
        clientId = Consultations.TextRules.ClientId(clientId);
        EnsureAllowed(consultationId, SanctionKind.Mute);
        var consultation = GrainFactory.GetGrain<IConsultationGrain>(consultationId);
        var citizenId = this.GetPrimaryKeyString();
        var perMinute = options.Value.SubmissionsPerMinute;
        _bucket ??= new TokenBucket(perMinute, perMinute, clock.GetUtcNow());
        if (!_bucket.TryTake(clock.GetUtcNow(), out var retryAfter))
        {
            // A retry of something already stored is answered even when the bucket is empty.
            return await consultation.FindSubmission(citizenId, clientId)
                ?? throw new DialogueException(
                    ErrorCodes.RateLimited,
                    $"Too many submissions: at most {perMinute} a minute.",
                    (int)Math.Ceiling(retryAfter.TotalSeconds));
        }

        // One state write on a citizen's first submission to a consultation (salt and list together),
        // before the item exists, so the pseudonym it is stored under can never change afterwards.
        if (!state.State.Consultations.Contains(consultationId))
        {
            EnsureSalt(consultationId);
            state.State.Consultations.Add(consultationId);
            await Save();
        }

        var pseudonym = Pseudonyms.For(SaltOf(consultationId), consultationId);
        return await consultation.Submit(new SubmitItem(citizenId, pseudonym, clientId, text) { Admission = admission });
    }

    public async Task<VoteResult> Vote(string consultationId, string itemId, int value, Admission? admission = null)
    {
        EnsureAllowed(consultationId, SanctionKind.Ban);
        var perMinute = options.Value.VotesPerMinute;
        _votes ??= new TokenBucket(perMinute, perMinute, clock.GetUtcNow());
        if (!_votes.TryTake(clock.GetUtcNow(), out var retryAfter))
        {
            throw new DialogueException(
                ErrorCodes.RateLimited,
                $"Too many votes: at most {perMinute} a minute.",
                (int)Math.Ceiling(retryAfter.TotalSeconds));
        }

        var vote = GrainFactory.GetGrain<IConsultationGrain>(consultationId)
            .Vote(new CastVote(this.GetPrimaryKeyString(), itemId, value) { Admission = admission });
        if (state.State.Voted.Contains(consultationId))
        {
            return await vote;
        }

        // Remembered once per consultation, written while the vote is cast (not before it: a town hall's
        // first votes would wait for a state write each) and acknowledged only when both are stored, so a
        // data request finds every acknowledged vote. A vote whose record could not be written is answered
        // with an error; the client's retry of the same vote changes no tally and writes the record.
        state.State.Voted.Add(consultationId);
        var recorded = Save();
        try
        {
            var result = await vote;
            await recorded;
            return result;
        }
        catch
        {
            await recorded.ContinueWith(static _ => { }, TaskScheduler.Current);
            throw;
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> Describe(string consultationId, IReadOnlyDictionary<string, string?> answers, Admission? admission = null)
    {
        var segments = GrainFactory.GetGrain<ISegmentsGrain>(consultationId);
        _segments ??= new TokenBucket(SegmentChangesPerMinute, SegmentChangesPerMinute, clock.GetUtcNow());
        if (!_segments.TryTake(clock.GetUtcNow(), out var retryAfter))
        {
            throw new DialogueException(
                ErrorCodes.RateLimited,
                $"Too many changes: at most {SegmentChangesPerMinute} a minute.",
                (int)Math.Ceiling(retryAfter.TotalSeconds));
        }

        // Remembered before the answer is stored, so a data request or an erasure always finds it.
        if (!state.State.Described.Contains(consultationId))
        {
            state.State.Described.Add(consultationId);
            await Save();
        }

        return await segments.Answer(this.GetPrimaryKeyString(), answers, admission);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetDescription(string consultationId) =>
        state.State.Described.Contains(consultationId)
            ? await GrainFactory.GetGrain<ISegmentsGrain>(consultationId).GetAnswers(this.GetPrimaryKeyString())
            : new Dictionary<string, string>();

    public async Task<CitizenData> GetData(string? consultationId)
    {
        var citizenId = this.GetPrimaryKeyString();
        var consultations = TookPartIn().Where(c => consultationId is null || c == consultationId).ToList();
        var contributions = new List<CitizenContributions>();
        foreach (var id in consultations)
        {
            contributions.Add(await GrainFactory.GetGrain<IConsultationParticipation>(id).GetContributions(citizenId));
        }

        var sanctions = state.State.Sanctions.Where(s => consultationId is null || s.Key == consultationId).ToDictionary();
        var notifications = state.State.Notifications.Where(n => consultationId is null || n.ConsultationId == consultationId).ToList();
        var segments = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var id in state.State.Described.Where(c => consultationId is null || c == consultationId))
        {
            if (await GrainFactory.GetGrain<ISegmentsGrain>(id).GetAnswers(citizenId) is { Count: > 0 } answers)
            {
                segments[id] = answers;
            }
        }

        return new CitizenData(contributions, notifications, sanctions, clock.GetUtcNow()) { Segments = segments };
    }

    public async Task<IReadOnlyList<ErasureResult>> Erase()
    {
        var citizenId = this.GetPrimaryKeyString();
        if (!state.RecordExists && !TookPartIn().Any() && state.State.Described.Count == 0)
        {
            // Nothing was ever stored for this citizen: nothing to erase, and no scrub of the store to ask for.
            return [];
        }

        var results = new List<ErasureResult>();
        foreach (var id in TookPartIn().ToList())
        {
            results.Add(await GrainFactory.GetGrain<IConsultationParticipation>(id).EraseCitizen(citizenId));
        }

        foreach (var id in state.State.Described)
        {
            await GrainFactory.GetGrain<ISegmentsGrain>(id).Forget(citizenId);
        }

        // Only after every consultation confirmed: a failure above leaves the request repeatable.
        // Sanctions stay in force (erasing must not lift a ban); with none, nothing about the citizen is kept.
        var sanctions = state.State.Sanctions;
        if (sanctions.Count == 0)
        {
            await state.ClearStateAsync();
        }
        else
        {
            state.State = new CitizenState { Sanctions = sanctions };
            await Save();
        }

        await scrubber.ScrubGrainStateAsync();
        return results;
    }

    public async Task Forget(string consultationId)
    {
        var s = state.State;
        var changed = s.Salts.Remove(consultationId) | s.Consultations.Remove(consultationId) | s.Voted.Remove(consultationId) | s.Described.Remove(consultationId);
        var before = s.Notifications.Count;
        s.Notifications.RemoveAll(n => n.ConsultationId == consultationId);
        if (changed || before != s.Notifications.Count)
        {
            await Save();
        }
    }

    private IEnumerable<string> TookPartIn() => state.State.Consultations.Union(state.State.Voted, StringComparer.Ordinal);

    public async Task<IReadOnlyList<ItemView>> GetOwnItems(string consultationId)
    {
        if (!state.State.Consultations.Contains(consultationId))
        {
            return [];
        }

        return await GrainFactory.GetGrain<IConsultationParticipation>(consultationId).GetItemsBy(this.GetPrimaryKeyString());
    }

    public async Task ApplySanction(string consultationId, Sanction sanction)
    {
        state.State.Sanctions[consultationId] = sanction;
        await Save();
    }

    public async Task Notify(Notification notification)
    {
        var list = state.State.Notifications;
        list.Add(notification);
        if (list.Count > MaxNotifications)
        {
            list.RemoveRange(0, list.Count - MaxNotifications);
        }

        await Save();

        // The conversation grain is the one sender for this citizen's phone, whichever gateway or silo is
        // asked: one-way, so a conversation waiting on this grain (a submission) never waits on itself.
        if (state.State.Channel is not null)
        {
            GrainFactory.GetGrain<IChannelConversationGrain>(this.GetPrimaryKeyString()).Notify(notification).Ignore();
        }
    }

    public async Task LinkChannel(string? channel)
    {
        if (state.State.Channel != channel)
        {
            state.State.Channel = channel;
            await Save();
        }
    }

    public Task<IReadOnlyList<Notification>> GetNotifications() =>
        Task.FromResult<IReadOnlyList<Notification>>([.. state.State.Notifications]);

    public async Task MarkRead(string notificationId)
    {
        var list = state.State.Notifications;
        var index = list.FindIndex(n => n.Id == notificationId);
        if (index < 0)
        {
            throw new DialogueException(ErrorCodes.NotFound, $"Notification '{notificationId}' does not exist.");
        }

        if (!list[index].Read)
        {
            list[index] = list[index] with { Read = true };
            await Save();
        }
    }

    /// <summary>
    /// Writes the state; when the write fails, the in-memory change is rolled back by reading the stored
    /// state again (or, if that fails too, by dropping this activation), so memory never holds what storage does not.
    /// </summary>
    private async Task Save()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            try
            {
                await state.ReadStateAsync();
            }
            catch
            {
                DeactivateOnIdle();
            }

            throw;
        }
    }

    /// <summary>A mute stops submissions; a ban stops submissions and votes.</summary>
    private void EnsureAllowed(string consultationId, SanctionKind stoppedBy) =>
        Consultations.Moderation.SanctionRules.Enforce(state.State.Sanctions.GetValueOrDefault(consultationId), stoppedBy, clock.GetUtcNow());

    private async ValueTask<byte[]> Salt(string consultationId)
    {
        if (EnsureSalt(consultationId))
        {
            await Save();
        }

        return SaltOf(consultationId);
    }

    /// <summary>The consultation's own salt, or the old shared one for consultations written in before (their pseudonyms must not change).</summary>
    private byte[] SaltOf(string consultationId) =>
        state.State.Salts.TryGetValue(consultationId, out var salt) ? salt
        : state.State.Salt.Length > 0 && state.State.Consultations.Contains(consultationId) ? state.State.Salt
        : [];

    /// <returns>True when a salt was made now and still has to be written.</returns>
    private bool EnsureSalt(string consultationId)
    {
        if (SaltOf(consultationId).Length > 0)
        {
            return false;
        }

        state.State.Salts[consultationId] = RandomNumberGenerator.GetBytes(32);
        return true;
    }
}
