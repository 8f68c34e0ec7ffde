using System.Text.Json.Serialization;

namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// How participants get into a consultation. <see cref="Open"/>: anyone with an anonymous token (paid for
/// with a small proof of work). <see cref="Code"/>: a join code shown in the hall, rotating every few
/// minutes. <see cref="Invite"/>: one-time codes handed out on cards or by message, one citizen each.
/// Code and invite tokens are bound to the consultation they were admitted to.
/// </summary>
public enum AdmissionMode
{
    Open = 0,
    Code = 1,
    Invite = 2,
}

/// <summary>How the acting citizen was admitted, read from their token: the mode and the consultation it binds to (null for open tokens).</summary>
[GenerateSerializer, Immutable, Alias("dialogue.admission")]
public sealed record Admission(
    [property: Id(0)] AdmissionMode Mode,
    [property: Id(1)] string? ConsultationId)
{
    public static Admission Open { get; } = new(AdmissionMode.Open, null);
}

/// <summary>Counts by admission mode: who took part and how the votes on each item were admitted.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.admission-count")]
public sealed record AdmissionCount(
    [property: Id(0)] int Open,
    [property: Id(1)] int Code,
    [property: Id(2)] int Invite)
{
    public static AdmissionCount Zero { get; } = new(0, 0, 0);

    public AdmissionCount Add(AdmissionMode mode, int n = 1) => mode switch
    {
        AdmissionMode.Code => this with { Code = Code + n },
        AdmissionMode.Invite => this with { Invite = Invite + n },
        _ => this with { Open = Open + n },
    };
}

[GenerateSerializer, Immutable, Alias("dialogue.item-admission")]
public sealed record ItemAdmission(
    [property: Id(0)] string ItemId,
    [property: Id(1)] VoteTally Votes,
    [property: Id(2)] AdmissionCount Voters);

/// <summary>What officials weigh votes by: participants and each public item's current voters, by how they were admitted.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.admission-tallies")]
public sealed record AdmissionTallies(
    [property: Id(0)] AdmissionMode Mode,
    [property: Id(1)] AdmissionCount Participants,
    [property: Id(2)] IReadOnlyList<ItemAdmission> Items);

/// <summary>
/// Moderator-only flag on an item: many identities that first appeared here only minutes before voted
/// it the same way within a short window (a scripted campaign, or a hall that just arrived).
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.vote-burst")]
public sealed record VoteBurst(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] int Value,
    [property: Id(2)] int NewIdentities,
    [property: Id(3)] int WindowVotes,
    [property: Id(4)] long Seq);

/// <summary>One shard of a consultation's one-time invitation codes (key "consultation/shard"); holds only hashes.</summary>
[Alias("dialogue.invites")]
public interface IInviteGrain : IGrainWithStringKey
{
    /// <returns>How many of the hashes were new.</returns>
    [Alias("add")]
    Task<int> Add(IReadOnlyList<string> hashes);

    /// <summary>Spends a code; false when it was never issued or is spent already.</summary>
    [Alias("redeem")]
    Task<bool> Redeem(string hash);

    [Alias("count")]
    Task<InviteCount> Count();
}

[GenerateSerializer, Immutable, Alias("dialogue.invite-count")]
public sealed record InviteCount(
    [property: Id(0)] int Issued,
    [property: Id(1)] int Redeemed)
{
    [JsonIgnore]
    public int Unused => Issued - Redeemed;
}
