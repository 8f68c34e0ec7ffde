namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// A rule said no. <see cref="Code"/> is stable (it becomes the problem+json <c>type</c> and the
/// HubException text) and the message is safe to show to the user.
/// </summary>
[GenerateSerializer, Alias("dialogue.error")]
public sealed class DialogueException : Exception
{
    public DialogueException(string code, string message, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        RetryAfterSeconds = retryAfterSeconds;
    }

    [Id(0)]
    public string Code { get; }

    [Id(1)]
    public int? RetryAfterSeconds { get; }
}

/// <summary>The stable error codes.</summary>
public static class ErrorCodes
{
    public const string InvalidText = "invalid-text";
    public const string InvalidVote = "invalid-vote";
    public const string InvalidClientId = "invalid-client-id";
    public const string InvalidConsultation = "invalid-consultation";
    public const string NotFound = "not-found";
    public const string Closed = "consultation-closed";
    public const string RateLimited = "rate-limited";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";
    public const string Claimed = "claimed";
    public const string InvalidAction = "invalid-action";
    public const string InvalidReason = "invalid-reason";
    public const string Sanctioned = "sanctioned";
    public const string AlreadyAppealed = "already-appealed";
    public const string InvalidTransition = "invalid-transition";

    /// <summary>The item was decided already (a group decision leaves it as it is).</summary>
    public const string NotPending = "not-pending";

    /// <summary>Login and passphrase do not match an enabled account (the same answer for an unknown login or a disabled account).</summary>
    public const string InvalidCredentials = "invalid-credentials";

    /// <summary>The invitation code is unknown, already used or expired.</summary>
    public const string InvalidInvitation = "invalid-invitation";

    public const string WeakPassphrase = "weak-passphrase";
    public const string InvalidAccount = "invalid-account";
    public const string LoginTaken = "login-taken";

    /// <summary>The admin key only bootstraps: once staff accounts exist it gives no moderator or official token.</summary>
    public const string BootstrapOnly = "bootstrap-only";

    /// <summary>The consultation admits by join code or invitation and the token was not admitted to it.</summary>
    public const string AdmissionRequired = "admission-required";

    /// <summary>Segment questions or answers that break the rules (unknown question or option, too many, …).</summary>
    public const string InvalidSegments = "invalid-segments";

    /// <summary>Storage is unreachable (a database restart, a network cut): nothing was acknowledged; retry later.</summary>
    public const string Unavailable = "unavailable";
}
