using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Moderation;

/// <summary>
/// What a moderation request may do, decided from the request and the item alone: the consultation grain
/// asks these before it writes anything, so a refused request changes nothing. Each rule throws a
/// <see cref="DialogueException"/> with the code the caller gets.
/// </summary>
public static class ModerationRules
{
    /// <summary>Items one bulk action may name.</summary>
    public const int MaxBulk = 50;

    public const int MaxTags = 10;

    /// <summary>Longest sanction: a year, in minutes.</summary>
    public const int MaxSanctionMinutes = 525_600;

    /// <summary>A known action the actor's role may take, on 1–<see cref="MaxBulk"/> distinct items; returns them.</summary>
    public static string[] Bulk(ModerationCommand command)
    {
        if (!ModerationActions.Bulk.Contains(command.Action))
        {
            throw new DialogueException(ErrorCodes.InvalidAction, $"Unknown action '{command.Action}'.");
        }

        ModerationPolicy.Demand(command.Actor, command.Action);
        var ids = command.ItemIds.Distinct(StringComparer.Ordinal).ToArray();
        return ids.Length is 0 or > MaxBulk
            ? throw new DialogueException(ErrorCodes.InvalidAction, $"Name 1–{MaxBulk} items.")
            : ids;
    }

    /// <summary>A rejection needs one of the published reasons.</summary>
    public static void Reason(string action, string? reason)
    {
        if (action == ModerationActions.Reject && (reason is null || !RejectionReasons.All.Contains(reason)))
        {
            throw InvalidReason();
        }
    }

    /// <summary>
    /// One decision on one item: not while another moderator holds it, never on a merged item, a merge only
    /// into another live item, and nothing that would bring an unpublished text to the public screen.
    /// </summary>
    public static void Decision(ConsultationLedger.Entry item, string action, string actorKey, ConsultationLedger.Entry? target, DateTimeOffset now)
    {
        if (item.ClaimedByOtherThan(actorKey, now))
        {
            throw new DialogueException(ErrorCodes.Claimed, $"Item '{item.Id}' is claimed by another moderator.");
        }

        if (item.Status == ItemStatus.Merged)
        {
            throw new DialogueException(ErrorCodes.InvalidAction, $"Item '{item.Id}' was merged; act on the item it was merged into.");
        }

        switch (action)
        {
            case ModerationActions.Merge when target is null || target.Id == item.Id || target.Status is ItemStatus.Merged or ItemStatus.Rejected:
                throw new DialogueException(ErrorCodes.InvalidAction, "targetId must name another item that is not merged or rejected.");
            case ModerationActions.Highlight when !ConsultationLedger.IsPublic(item.Status):
                throw new DialogueException(ErrorCodes.InvalidAction, "Only published items can be highlighted.");
            case ModerationActions.MarkAnswered when !ConsultationLedger.IsPublic(item.Status):
                // Marking answered publishes: it must never bring a rejected or unreviewed text to the public.
                throw new DialogueException(ErrorCodes.InvalidAction, "Only published items can be marked answered.");
        }
    }

    /// <summary>An official answers published items only: an answer would show the question it answers.</summary>
    public static void Answerable(ConsultationLedger.Entry item)
    {
        if (!ConsultationLedger.IsPublic(item.Status))
        {
            throw new DialogueException(ErrorCodes.InvalidAction, "Only published items can be answered.");
        }
    }

    /// <summary>A sanction names a published reason and lasts 1 minute to a year, or has no end.</summary>
    public static void Sanction(string reason, int? minutes)
    {
        if (!RejectionReasons.All.Contains(reason))
        {
            throw InvalidReason();
        }

        if (minutes is < 1 or > MaxSanctionMinutes)
        {
            throw new DialogueException(ErrorCodes.InvalidAction, $"minutes must be 1–{MaxSanctionMinutes}, or absent for a permanent sanction.");
        }
    }

    /// <summary>Only the author, only a rejected item, only once; to anyone else the item does not exist.</summary>
    public static ConsultationLedger.Entry Appeal(ConsultationLedger.Entry? item, string citizenId, string itemId)
    {
        if (item is null || item.CitizenId != citizenId)
        {
            throw new DialogueException(ErrorCodes.NotFound, $"You have no item '{itemId}' here.");
        }

        if (item.Status != ItemStatus.Rejected)
        {
            throw new DialogueException(ErrorCodes.InvalidAction, "Only a rejected item can be appealed.");
        }

        return item.Appealed
            ? throw new DialogueException(ErrorCodes.AlreadyAppealed, "This item was appealed already; an item can be appealed once.")
            : item;
    }

    /// <summary>Tags trimmed, lower-cased and without repeats: at most <see cref="MaxTags"/> of 1–40 printable characters.</summary>
    public static List<string> Tags(IReadOnlyList<string>? tags)
    {
        var cleaned = (tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (cleaned.Count > MaxTags || cleaned.Any(t => t.Length > 40 || t.Any(char.IsControl)))
        {
            throw new DialogueException(ErrorCodes.InvalidAction, $"At most {MaxTags} tags of 1–40 printable characters.");
        }

        return cleaned;
    }

    private static DialogueException InvalidReason() =>
        new(ErrorCodes.InvalidReason, $"reason must be one of: {string.Join(", ", RejectionReasons.All)}.");
}
