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
}

/// <summary>
/// One citizen: pseudonyms, rate limit, sanctions, notifications and the list of consultations
/// they wrote in. State is written on the first visit, the first submission to a consultation, a
/// sanction and a notification — never per submission.
/// </summary>
public sealed class CitizenGrain(
    [PersistentState("citizen", StorageNames.Grains)] IPersistentState<CitizenState> state,
    TimeProvider clock,
    IOptions<DialogueOptions> options) : Grain, ICitizenGrain
{
    public const int MaxNotifications = 200;

    private TokenBucket? _bucket;

    public async Task<string> GetPseudonym(string consultationId) =>
        Pseudonyms.For(await Salt(), consultationId);

    public async Task<SubmitResult> Submit(string consultationId, string clientId, string text)
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
            EnsureSalt();
            state.State.Consultations.Add(consultationId);
            await state.WriteStateAsync();
        }

        var pseudonym = Pseudonyms.For(state.State.Salt, consultationId);
        return await consultation.Submit(new SubmitItem(citizenId, pseudonym, clientId, text));
    }

    public Task<VoteResult> Vote(string consultationId, string itemId, int value)
    {
        EnsureAllowed(consultationId, SanctionKind.Ban);
        return GrainFactory.GetGrain<IConsultationGrain>(consultationId)
            .Vote(new CastVote(this.GetPrimaryKeyString(), itemId, value));
    }

    public async Task<IReadOnlyList<ItemView>> GetOwnItems(string consultationId)
    {
        if (!state.State.Consultations.Contains(consultationId))
        {
            return [];
        }

        return await GrainFactory.GetGrain<IConsultationGrain>(consultationId).GetItemsBy(this.GetPrimaryKeyString());
    }

    public async Task ApplySanction(string consultationId, Sanction sanction)
    {
        state.State.Sanctions[consultationId] = sanction;
        await state.WriteStateAsync();
    }

    public async Task Notify(Notification notification)
    {
        var list = state.State.Notifications;
        list.Add(notification);
        if (list.Count > MaxNotifications)
        {
            list.RemoveRange(0, list.Count - MaxNotifications);
        }

        await state.WriteStateAsync();
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
            await state.WriteStateAsync();
        }
    }

    /// <summary>A mute stops submissions; a ban stops submissions and votes.</summary>
    private void EnsureAllowed(string consultationId, SanctionKind stoppedBy)
    {
        if (state.State.Sanctions.TryGetValue(consultationId, out var sanction)
            && (sanction.Until is null || sanction.Until > clock.GetUtcNow())
            && (sanction.Kind == SanctionKind.Ban || sanction.Kind == stoppedBy))
        {
            var until = sanction.Until is { } u ? $" until {u:u}" : string.Empty;
            throw new DialogueException(ErrorCodes.Sanctioned, $"You are {(sanction.Kind == SanctionKind.Ban ? "banned" : "muted")} in this consultation{until} (reason: {sanction.Reason}).");
        }
    }

    private async ValueTask<byte[]> Salt()
    {
        if (EnsureSalt())
        {
            await state.WriteStateAsync();
        }

        return state.State.Salt;
    }

    /// <returns>True when a salt was made now and still has to be written.</returns>
    private bool EnsureSalt()
    {
        if (state.State.Salt.Length > 0)
        {
            return false;
        }

        state.State.Salt = RandomNumberGenerator.GetBytes(32);
        return true;
    }
}
