using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Staff;

/// <summary>What a staff account may look like: login, display name, role and scope.</summary>
public static class StaffAccountRules
{
    public const int MaxConsultations = 500;

    /// <summary>Logins compare in lower case: "Ana" and "ana" are one login.</summary>
    public static string NormalizeLogin(string? login) => (login ?? string.Empty).Trim().ToLowerInvariant();

    public static string CheckedLogin(string? login)
    {
        var normalized = NormalizeLogin(login);
        if (normalized.Length is < 3 or > 64 || normalized.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789._-@") >= 0)
        {
            throw new DialogueException(ErrorCodes.InvalidAccount, "login must be 3–64 characters: letters, digits, '.', '_', '-' or '@'.");
        }

        return normalized;
    }

    public static string CheckedDisplayName(string? name)
    {
        var trimmed = (name ?? string.Empty).Trim();
        if (trimmed.Length is 0 or > 100 || trimmed.Any(char.IsControl))
        {
            throw new DialogueException(ErrorCodes.InvalidAccount, "displayName must be 1–100 characters.");
        }

        return trimmed;
    }

    public static ViewerRole CheckedRole(ViewerRole role) =>
        role is ViewerRole.Admin or ViewerRole.Moderator or ViewerRole.Official
            ? role
            : throw new DialogueException(ErrorCodes.InvalidAccount, "role must be admin, moderator or official.");

    /// <summary>Null (all consultations) stays null; a list must name at least one valid consultation id.</summary>
    public static IReadOnlyList<string>? CheckedScope(IReadOnlyList<string>? consultations)
    {
        if (consultations is null)
        {
            return null;
        }

        var ids = consultations.Select(c => (c ?? string.Empty).Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count is 0 or > MaxConsultations || !ids.All(ConsultationIds.IsValid))
        {
            throw new DialogueException(ErrorCodes.InvalidAccount, $"consultations must list 1–{MaxConsultations} consultation ids, or be absent for all consultations.");
        }

        return ids;
    }
}
