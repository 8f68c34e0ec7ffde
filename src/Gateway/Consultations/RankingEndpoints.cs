using System.Security.Claims;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Consultations;

/// <summary>
/// Read views of the published items: the ranking and the "similar questions" lookup. They answer only those who
/// may read the consultation (drafts: staff; private: a token); to anyone else exactly as an unknown code does.
/// </summary>
public static class RankingEndpoints
{
    public static void MapRanking(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations/{id}").WithTags("Consultations");

        group.MapGet("/ranking", async (string id, string? sort, bool? pinnedFirst, int? limit, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await ConsultationAccess.Grain<IConsultationParticipation>(grains, id).GetRanking(ParseSort(sort), pinnedFirst ?? false, limit ?? 50));
        })
        .WithName("Ranking")
        .WithSummary("Published items by popular, recent or trending, pinned first when asked.");

        group.MapGet("/similar", async (string id, string? text, int? top, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await ConsultationAccess.Grain<IConsultationParticipation>(grains, id).FindSimilar(text ?? string.Empty, top ?? 5));
        })
        .WithName("SimilarItems")
        .WithSummary("Published items most like a draft text, so a participant can vote instead of asking again.");
    }

    public static RankingSort ParseSort(string? sort) => sort switch
    {
        null or "" or "popular" => RankingSort.Popular,
        "recent" => RankingSort.Recent,
        "trending" => RankingSort.Trending,
        _ => throw new DialogueException(ErrorCodes.InvalidAction, "sort must be popular, recent or trending."),
    };
}
