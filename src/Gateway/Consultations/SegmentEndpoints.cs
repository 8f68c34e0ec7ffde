using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Consultations;

/// <summary>The admin's segment questions (an empty list removes them).</summary>
public sealed record DefineSegmentsRequest(IReadOnlyList<SegmentQuestion>? Questions);

/// <summary>A participant's answers (question key → option); a question given null or left out is not answered.</summary>
public sealed record SegmentAnswersRequest(IReadOnlyDictionary<string, string?>? Answers);

/// <summary>The consultation's questions and the caller's own answers.</summary>
public sealed record MySegmentsResponse(IReadOnlyList<SegmentQuestion> Questions, IReadOnlyDictionary<string, string> Answers);

/// <summary>
/// Self-described segments: who is being heard. Admins define a few optional questions; participants answer once
/// (skippable, changeable); officials and moderators see the breakdown with small cells withheld. docs/segments.md.
/// </summary>
public static class SegmentEndpoints
{
    public static void MapSegments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations/{id}/segments").WithTags("Segments");

        group.MapGet("/", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await grains.GetGrain<ISegmentsGrain>(id).GetQuestions());
        })
        .WithName("SegmentQuestions")
        .WithSummary("The consultation's optional segment questions (anyone who can read the consultation).");

        group.MapPut("/", async Task<Results<Ok<SegmentQuestions>, ProblemHttpResult>> (string id, DefineSegmentsRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Existing(grains, id);
            return TypedResults.Ok(await grains.GetGrain<ISegmentsGrain>(id).Define(request.Questions!, Roles.ActorOf(user)));
        })
        .RequireAuthorization(Roles.Admin)
        .WithName("DefineSegments")
        .WithSummary("Replaces the segment questions (admins); answers to a removed question or option are dropped.");

        group.MapGet("/me", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            var questions = await grains.GetGrain<ISegmentsGrain>(id).GetQuestions();
            var answers = await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).GetDescription(id);
            return TypedResults.Ok(new MySegmentsResponse(questions.Questions, answers));
        })
        .RequireAuthorization(Roles.Participant)
        .WithName("MySegments")
        .WithSummary("The questions and the caller's own answers.");

        group.MapPut("/me", async Task<Results<Ok<MySegmentsResponse>, ProblemHttpResult>> (string id, SegmentAnswersRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            var answers = await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user))
                .Describe(id, request.Answers ?? throw new DialogueException(ErrorCodes.InvalidSegments, "answers is required ({} answers nothing)."), Roles.AdmissionOf(user));
            var questions = await grains.GetGrain<ISegmentsGrain>(id).GetQuestions();
            return TypedResults.Ok(new MySegmentsResponse(questions.Questions, answers));
        })
        .RequireAuthorization(Roles.Participant)
        .WithName("AnswerSegments")
        .WithSummary("Sets the caller's answers (null or left out: not answered; {} withdraws them all). At most 6 changes a minute.");

        group.MapGet("/breakdown", async (string id, IGrainFactory grains) =>
        {
            await ConsultationAccess.Existing(grains, id);
            return TypedResults.Ok(await grains.GetGrain<ISegmentsGrain>(id).GetBreakdown());
        })
        .RequireAuthorization(Policies.Staff)
        .WithName("SegmentBreakdown")
        .WithSummary("Who is being heard: answers by topic group and opinion group, and who is missing; cells under 5 people withheld.");
    }
}
