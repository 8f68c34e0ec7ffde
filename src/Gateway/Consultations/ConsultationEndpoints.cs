using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Consultations;

public sealed record CreateConsultationRequest(string? Title, string? Description, string? Mode, string? Moderation, string? Status)
{
    public string? Visibility { get; init; }

    public bool? PublishRejected { get; init; }

    public int? RetentionDays { get; init; }

    /// <summary><c>open</c> (default), <c>code</c> or <c>invite</c>.</summary>
    public string? Admission { get; init; }

    public int? JoinCodeMinutes { get; init; }
}

/// <summary>An admin's change; absent fields stay. <c>retentionDays</c> 0 removes the retention period.</summary>
public sealed record UpdateConsultationRequest(string? Title, string? Description, string? Status, string? Visibility, bool? PublishRejected, int? RetentionDays)
{
    public string? Admission { get; init; }

    public int? JoinCodeMinutes { get; init; }
}

public sealed record SubmitItemRequest(string? ClientId, string? Text);

public sealed record SubmitItemResponse(string Id, long Seq, ItemStatus Status);

public sealed record VoteRequest(int? Value);

public sealed record ItemsResponse(IReadOnlyList<ItemView> Items, long LastSeq, bool HasMore);

public static class ConsultationEndpoints
{
    public static void MapConsultations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations").WithTags("Consultations");

        group.MapPost("/", async Task<Created<ConsultationInfo>> (CreateConsultationRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var command = ConsultationRequests.Parse(request, Roles.ActorOf(user).Name);
            var info = await grains.GetGrain<IConsultationGrain>(ConsultationIds.New()).Create(command);
            return TypedResults.Created($"/api/consultations/{info.Id}", info);
        })
        .RequireAuthorization(Roles.Admin)
        .WithName("CreateConsultation")
        .WithSummary("Creates a consultation (Q&A or deliberation) with its moderation mode, visibility, admission and retention (admins).");

        group.MapPatch("/{id}", async (string id, UpdateConsultationRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var command = ConsultationRequests.Parse(request, Roles.ActorOf(user));
            await ConsultationAccess.Existing(grains, id);
            return TypedResults.Ok(await ConsultationAccess.Grain(grains, id).Update(command));
        })
        .RequireAuthorization(Roles.Admin)
        .WithName("UpdateConsultation")
        .WithSummary("Changes status (draft → open → closed → archived), title, visibility, admission or retention; logged publicly (admins).");

        // Drafts, unlisted and private consultations are listed to staff only.
        group.MapGet("/", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok((await grains.GetGrain<IConsultationDirectoryGrain>(0).List()).Where(c => ConsultationAccess.IsListed(c, user)).ToList()))
            .WithName("ListConsultations")
            .WithSummary("Public consultations to anyone; staff also see drafts, unlisted and private ones in their scope.");

        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await ConsultationAccess.Readable(grains, id, user)))
            .WithName("GetConsultation")
            .WithSummary("The consultation's settings and counts, to anyone who may read it.");

        group.MapGet("/{id}/items", async (string id, long? after, int? limit, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            var page = await ConsultationAccess.Grain(grains, id).GetItems(Roles.ViewerOf(user), after ?? 0, limit ?? 500);
            return TypedResults.Ok(new ItemsResponse(page.Items, page.LastSeq, page.HasMore));
        })
        .WithName("ListItems")
        .WithSummary("Items changed after a sequence number, oldest change first, as the caller may see them (page with lastSeq and hasMore).");

        group.MapPost("/{id}/items", async Task<Results<Created<SubmitItemResponse>, Ok<SubmitItemResponse>>> (string id, SubmitItemRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var citizen = grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user));
            var result = await citizen.Submit(ConsultationAccess.CheckedId(id), request.ClientId ?? string.Empty, request.Text ?? string.Empty, Roles.AdmissionOf(user));
            var body = new SubmitItemResponse(result.ItemId, result.Seq, result.Status);
            return result.Outcome == SubmitOutcome.Repeat
                ? TypedResults.Ok(body)
                : TypedResults.Created($"/api/consultations/{id}/items/{result.ItemId}", body);
        })
        .RequireAuthorization(Roles.Participant)
        .WithName("SubmitItem")
        .WithSummary("Posts a question or comment; 201 once stored, 200 with the same item when the client id was sent before.");

        group.MapPost("/{id}/items/{itemId}/votes", async (string id, string itemId, VoteRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (request.Value is not { } value)
            {
                throw new DialogueException(ErrorCodes.InvalidVote, "value is required.");
            }

            var citizen = grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user));
            return TypedResults.Ok(await citizen.Vote(ConsultationAccess.CheckedId(id), itemId, value, Roles.AdmissionOf(user)));
        })
        .RequireAuthorization(Roles.Participant)
        .WithName("Vote")
        .WithSummary("Upvotes (Q&A) or agrees, disagrees or passes (deliberation); 0 withdraws; the same vote again writes nothing.");

        group.MapGet("/{id}/my-items", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).GetOwnItems(ConsultationAccess.CheckedId(id))))
            .RequireAuthorization(Roles.Participant)
            .WithName("MyItems")
            .WithSummary("The caller's own items here, whatever their status.");
    }
}

/// <summary>Checks a create request field by field, with messages that say what is wrong.</summary>
public static class ConsultationRequests
{
    public static CreateConsultation Parse(CreateConsultationRequest request, string createdBy)
    {
        var title = (request.Title ?? string.Empty).Trim();
        if (title.Length is 0 or > 200)
        {
            throw Invalid("title must be 1–200 characters.");
        }

        var description = (request.Description ?? string.Empty).Trim();
        if (description.Length > 10_000)
        {
            throw Invalid("description must be at most 10,000 characters.");
        }

        if (title.Any(char.IsControl) || description.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw Invalid("title and description must not contain control characters.");
        }

        var mode = (request.Mode ?? "qa") switch
        {
            "qa" => ConsultationMode.Qa,
            "deliberation" => ConsultationMode.Deliberation,
            _ => throw Invalid("mode must be 'qa' or 'deliberation'."),
        };
        var moderation = (request.Moderation ?? "post") switch
        {
            "pre" => ModerationMode.Pre,
            "post" => ModerationMode.Post,
            _ => throw Invalid("moderation must be 'pre' or 'post'."),
        };
        var status = (request.Status ?? "open") switch
        {
            "draft" => ConsultationStatus.Draft,
            "open" => ConsultationStatus.Open,
            "closed" => ConsultationStatus.Closed,
            _ => throw Invalid("status must be 'draft', 'open' or 'closed'."),
        };
        if (request.RetentionDays is < 1 or > 3650)
        {
            throw Invalid("retentionDays must be 1–3650 (days after closing until identity links are destroyed).");
        }

        return new CreateConsultation(title, description, mode, moderation, status, createdBy)
        {
            Visibility = request.Visibility is null ? ConsultationVisibility.Public : ParseVisibility(request.Visibility),
            PublishRejected = request.PublishRejected ?? false,
            RetentionDays = request.RetentionDays,
            Admission = request.Admission is null ? AdmissionMode.Open : ParseAdmission(request.Admission),
            JoinCodeMinutes = CheckJoinCodeMinutes(request.JoinCodeMinutes) ?? ConsultationDefaults.JoinCodeMinutes,
        };
    }

    public static UpdateConsultation Parse(UpdateConsultationRequest request, Actor actor)
    {
        var title = request.Title?.Trim();
        if (title is not null && (title.Length is 0 or > 200 || title.Any(char.IsControl)))
        {
            throw Invalid("title must be 1–200 characters without control characters.");
        }

        var description = request.Description?.Trim();
        if (description is not null && (description.Length > 10_000 || description.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
        {
            throw Invalid("description must be at most 10,000 characters without control characters.");
        }

        var status = request.Status switch
        {
            null => (ConsultationStatus?)null,
            "draft" => ConsultationStatus.Draft,
            "open" => ConsultationStatus.Open,
            "closed" => ConsultationStatus.Closed,
            "archived" => ConsultationStatus.Archived,
            _ => throw Invalid("status must be 'draft', 'open', 'closed' or 'archived'."),
        };
        if (request.RetentionDays is < 0 or > 3650)
        {
            throw Invalid("retentionDays must be 1–3650, or 0 to keep identity links while the consultation exists.");
        }

        return new UpdateConsultation(
            title,
            description,
            status,
            request.Visibility is null ? null : ParseVisibility(request.Visibility),
            request.PublishRejected,
            request.RetentionDays is 0 ? null : request.RetentionDays,
            actor)
        {
            ClearRetention = request.RetentionDays is 0,
            Admission = request.Admission is null ? null : ParseAdmission(request.Admission),
            JoinCodeMinutes = CheckJoinCodeMinutes(request.JoinCodeMinutes),
        };
    }

    private static AdmissionMode ParseAdmission(string admission) => admission switch
    {
        "open" => AdmissionMode.Open,
        "code" => AdmissionMode.Code,
        "invite" => AdmissionMode.Invite,
        _ => throw Invalid("admission must be 'open', 'code' or 'invite'."),
    };

    private static int? CheckJoinCodeMinutes(int? minutes) =>
        minutes is null or (>= 1 and <= 1440) ? minutes : throw Invalid("joinCodeMinutes must be 1–1440.");

    private static ConsultationVisibility ParseVisibility(string visibility) => visibility switch
    {
        "public" => ConsultationVisibility.Public,
        "unlisted" => ConsultationVisibility.Unlisted,
        "private" => ConsultationVisibility.Private,
        _ => throw Invalid("visibility must be 'public', 'unlisted' or 'private'."),
    };

    private static DialogueException Invalid(string message) => new(ErrorCodes.InvalidConsultation, message);
}
