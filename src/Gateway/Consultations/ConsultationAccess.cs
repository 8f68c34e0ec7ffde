using System.Security.Claims;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Consultations;

/// <summary>
/// Who may read a consultation: staff read everything; drafts are staff-only; private ones need a
/// token; public and unlisted ones are open to anyone with the code. What may not be read answers
/// exactly as a consultation that does not exist, so codes cannot be probed.
/// </summary>
public static class ConsultationAccess
{
    public static bool IsStaff(ClaimsPrincipal user) => Roles.ViewerOf(user).Role != ViewerRole.Participant;

    public static bool CanRead(ConsultationInfo info, ClaimsPrincipal user) =>
        IsStaff(user)
        || (info.Status != ConsultationStatus.Draft
            && (info.Visibility != ConsultationVisibility.Private || user.Identity?.IsAuthenticated == true));

    /// <summary>Open data (export, public feed, report): public consultations to anyone, the others to staff.</summary>
    public static bool CanTakeRecord(ConsultationInfo info, ClaimsPrincipal user) => CanTakeRecord(info, IsStaff(user));

    public static bool CanTakeRecord(ConsultationInfo info, bool staff) =>
        staff || (info.Status != ConsultationStatus.Draft && info.Visibility == ConsultationVisibility.Public);

    /// <summary>Staff see every consultation in their scope; the others as anyone does.</summary>
    public static bool IsListed(ConsultationSummary summary, ClaimsPrincipal user) =>
        (IsStaff(user) && StaffClaims.MayActOn(user, summary.Id)) || (summary.Status != ConsultationStatus.Draft && summary.Visibility == ConsultationVisibility.Public);

    /// <summary>The consultation's info whoever asks (routes that already require staff); 404 when there is none.</summary>
    public static async Task<ConsultationInfo> Existing(IGrainFactory grains, string id) =>
        await Find(grains, id) ?? throw Missing(id);

    /// <summary>The consultation's info when the caller may read it; otherwise the same 404 as an unknown code.</summary>
    public static async Task<ConsultationInfo> Readable(IGrainFactory grains, string id, ClaimsPrincipal user) =>
        await FindReadable(grains, id, user) ?? throw Missing(id);

    /// <summary>The consultation's info when the caller may read it; null for an unknown id and for one the caller may not read alike.</summary>
    public static async Task<ConsultationInfo?> FindReadable(IGrainFactory grains, string? id, ClaimsPrincipal user) =>
        await Find(grains, id) is { } info && CanRead(info, user) ? info : null;

    public static async Task<ConsultationInfo> RecordOf(IGrainFactory grains, string id, ClaimsPrincipal user) =>
        await Find(grains, id) is { } info && CanTakeRecord(info, user) ? info : throw Missing(id);

    /// <summary>The consultation's grain; an id that cannot be a consultation's is refused (404) before a grain is activated for it.</summary>
    public static IConsultationGrain Grain(IGrainFactory grains, string id) => Grain<IConsultationGrain>(grains, id);

    /// <summary>One role of the consultation's grain (<see cref="IConsultationModeration"/>, …), for callers that need only that.</summary>
    public static TRole Grain<TRole>(IGrainFactory grains, string id)
        where TRole : IGrainWithStringKey => grains.GetGrain<TRole>(CheckedId(id));

    /// <summary>Ids that cannot be consultation ids are refused before a grain is activated for them.</summary>
    public static string CheckedId(string id) => ConsultationIds.IsValid(id) ? id : throw Missing(id);

    /// <summary>The consultation's info, or null for an unknown id or one that cannot be a consultation's (no grain is activated for it).</summary>
    public static async Task<ConsultationInfo?> Find(IGrainFactory grains, string? id) =>
        ConsultationIds.IsValid(id) ? await grains.GetGrain<IConsultationGrain>(id!).GetInfo() : null;

    public static DialogueException Missing(string id) => new(ErrorCodes.NotFound, $"Consultation '{id}' does not exist.");
}
