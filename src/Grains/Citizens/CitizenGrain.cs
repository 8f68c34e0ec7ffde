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
}

/// <summary>
/// One citizen: pseudonyms, rate limit and the list of consultations they wrote in. State is
/// written only on the first visit and on the first submission to a consultation.
/// </summary>
public sealed class CitizenGrain(
    [PersistentState("citizen", StorageNames.Grains)] IPersistentState<CitizenState> state,
    TimeProvider clock,
    IOptions<DialogueOptions> options) : Grain, ICitizenGrain
{
    private TokenBucket? _bucket;

    public async Task<string> GetPseudonym(string consultationId) =>
        Pseudonyms.For(await Salt(), consultationId);

    public async Task<SubmitResult> Submit(string consultationId, string clientId, string text)
    {
        clientId = Consultations.TextRules.ClientId(clientId);
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

        var pseudonym = Pseudonyms.For(await Salt(), consultationId);
        var result = await consultation.Submit(new SubmitItem(citizenId, pseudonym, clientId, text));
        if (!state.State.Consultations.Contains(consultationId))
        {
            state.State.Consultations.Add(consultationId);
            await state.WriteStateAsync();
        }

        return result;
    }

    public Task<VoteResult> Vote(string consultationId, string itemId, int value) =>
        GrainFactory.GetGrain<IConsultationGrain>(consultationId)
            .Vote(new CastVote(this.GetPrimaryKeyString(), itemId, value));

    public async Task<IReadOnlyList<ItemView>> GetOwnItems(string consultationId)
    {
        if (!state.State.Consultations.Contains(consultationId))
        {
            return [];
        }

        return await GrainFactory.GetGrain<IConsultationGrain>(consultationId).GetItemsBy(this.GetPrimaryKeyString());
    }

    private async ValueTask<byte[]> Salt()
    {
        if (state.State.Salt.Length == 0)
        {
            state.State.Salt = RandomNumberGenerator.GetBytes(32);
            await state.WriteStateAsync();
        }

        return state.State.Salt;
    }
}
