namespace OpenGov.Dialogue.Consultations.Moderation;

/// <summary>How urgently a moderator should look (the probability they reject it), why, and which earlier item it repeats.</summary>
public sealed record TriageResult(double Score, string Reason, string? DuplicateOf)
{
    public static TriageResult None { get; } = new(0, "none", null);
}
