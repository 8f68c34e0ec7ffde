using System.Text;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

/// <summary>What a submitted text must be before anything is stored.</summary>
public static class TextRules
{
    /// <summary>Returns the text as stored (trimmed, NFC) or throws with a message fit for the author.</summary>
    public static string Clean(string? text, int maxLength)
    {
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw new DialogueException(ErrorCodes.InvalidText, "Text is empty.");
        }

        var normalized = trimmed.IsNormalized(NormalizationForm.FormC) ? trimmed : trimmed.Normalize(NormalizationForm.FormC);
        if (normalized.Length > maxLength)
        {
            throw new DialogueException(ErrorCodes.InvalidText, $"Text is longer than {maxLength} characters.");
        }

        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.IsControl(rune) && rune.Value is not ('\n' or '\r' or '\t'))
            {
                throw new DialogueException(ErrorCodes.InvalidText, $"Text contains a control character (U+{rune.Value:X4}).");
            }
        }

        return normalized;
    }

    /// <summary>Client ids are the client's own retry keys: short, printable, no spaces.</summary>
    public static string ClientId(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId) || clientId.Length > 100 || clientId.Any(c => c <= ' ' || c == 0x7f))
        {
            throw new DialogueException(ErrorCodes.InvalidClientId, "clientId must be 1–100 printable characters without spaces.");
        }

        return clientId;
    }
}

/// <summary>Which vote values a consultation accepts.</summary>
public static class VoteRules
{
    public static void Check(ConsultationMode mode, int value)
    {
        var ok = mode switch
        {
            ConsultationMode.Qa => value is 0 or 1,
            _ => value is -1 or 0 or 1,
        };
        if (!ok)
        {
            throw new DialogueException(
                ErrorCodes.InvalidVote,
                mode == ConsultationMode.Qa
                    ? "In Q&A a vote is 1 (upvote) or 0 (withdraw)."
                    : "In deliberation a vote is 1 (agree), -1 (disagree) or 0 (pass).");
        }
    }
}
