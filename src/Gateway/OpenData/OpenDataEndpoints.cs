using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;

namespace OpenGov.Dialogue.Gateway.OpenData;

/// <summary>The open record: exports of a consultation (Pol.is open-data layout or one JSON document) and imports of earlier conversations.</summary>
public static class OpenDataEndpoints
{
    public static void MapOpenData(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations").WithTags("Open data");

        group.MapGet("/{id}/export", async Task<Results<FileContentHttpResult, JsonHttpResult<ExportDocument>, ProblemHttpResult>> (string id, string? format, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.RecordOf(grains, id, user);
            var export = await grains.GetGrain<IConsultationGrain>(id).Export();
            switch (format ?? "json")
            {
                case "json":
                    var document = await ExportDocument.Build(export, grains);
                    return TypedResults.Json(document, contentType: "application/json");
                default:
                    return Problems.Create(StatusCodes.Status400BadRequest, "invalid-format", "format must be 'polis' or 'json'.");
            }
        })
        .WithName("ExportConsultation")
        .WithSummary("The consultation's public record: format=polis (zip in the Pol.is open-data layout with datapackage.json) or format=json.");
    }
}
