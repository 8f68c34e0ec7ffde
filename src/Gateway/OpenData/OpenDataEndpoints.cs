using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;
using OpenGov.Dialogue.OpenData;

namespace OpenGov.Dialogue.Gateway.OpenData;

/// <summary>The open record: exports of a consultation (Pol.is open-data layout or one JSON document) and imports of earlier conversations.</summary>
public static class OpenDataEndpoints
{
    /// <summary>Largest import upload; the reader also bounds every file while decompressing.</summary>
    public const long MaxImportBytes = 64L * 1024 * 1024;

    private const int ImportChunk = 5_000;

    public static void MapOpenData(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations").WithTags("Open data");

        group.MapGet("/{id}/export", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string id, string? format, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IMemoryCache cache, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) =>
        {
            format ??= "json";
            if (format is not ("json" or "polis"))
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "invalid-format", "format must be 'polis' or 'json'.");
            }

            var info = await ConsultationAccess.RecordOf(grains, id, user);

            // An export reads the whole journal: anonymous readers asking again get the same bytes until
            // something changes (or half a minute passes, for the groups recomputed in the background).
            var key = $"export:{id}:{format}:{info.LastSeq}:{info.AnonymisedAt?.UtcTicks}";
            var bytes = await cache.GetOrCreateAsync(key, async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
                var export = await ConsultationAccess.Grain(grains, id).Export();
                var built = format == "json"
                    ? JsonSerializer.SerializeToUtf8Bytes(await ExportDocument.Build(export, grains), json.Value.SerializerOptions)
                    : PolisMapping.Zip(export, $"{request.Scheme}://{request.Host}/?c={id}");
                entry.Size = built.Length;
                return built;
            });
            return format == "json"
                ? TypedResults.File(bytes!, "application/json")
                : TypedResults.File(bytes!, "application/zip", $"{id}-polis.zip");
        })
        .RequireRateLimiting(AuthSetup.AnonymousReadLimit)
        .WithName("ExportConsultation")
        .WithSummary("The consultation's public record: format=polis (zip in the Pol.is open-data layout with datapackage.json) or format=json.");

        group.MapPost("/import", Import)
            .RequireAuthorization(Roles.Admin)
            .DisableAntiforgery()
            .WithName("ImportConsultation")
            .WithSummary("Creates a consultation from a Pol.is open-data zip (multipart part 'file'); Accept: application/x-ndjson streams progress.");
    }

    /// <summary>
    /// Reads and checks the whole upload before anything is created (a malformed file changes nothing),
    /// then creates a draft, writes the history in chunks, and closes it with the chosen visibility.
    /// </summary>
    private static async Task Import(HttpContext http, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxImportBytes;
        }

        if (!http.Request.HasFormContentType)
        {
            throw new DialogueException(ErrorCodes.InvalidConsultation, "Send multipart/form-data with the zip in a part named 'file'.");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException and not BadHttpRequestException && !http.RequestAborted.IsCancellationRequested)
        {
            // A multipart body that does not parse (no closing boundary, a bad header): the client's mistake.
            throw new DialogueException(ErrorCodes.InvalidConsultation, $"The multipart body cannot be read: {ex.Message}");
        }

        var file = form.Files.GetFile("file") ?? throw new DialogueException(ErrorCodes.InvalidConsultation, "The zip must be in a part named 'file'.");
        if (file.Length > MaxImportBytes)
        {
            throw new DialogueException(ErrorCodes.InvalidConsultation, $"The zip is larger than {MaxImportBytes / (1024 * 1024)} MiB.");
        }

        PolisConversation conversation;
        // In memory (the size is bounded above), so the zip reader seeks a plain buffer, not the form's file view.
        using var upload = new MemoryStream((int)file.Length);
        await file.CopyToAsync(upload, http.RequestAborted);
        upload.Position = 0;
        {
            try
            {
                conversation = PolisReader.ReadZip(upload);
            }
            catch (PolisFormatException ex)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    type: ProblemTypes.For("invalid-polis"),
                    title: "Bad request",
                    detail: ex.Message,
                    extensions: new Dictionary<string, object?> { ["file"] = ex.File, ["line"] = ex.Line, ["column"] = ex.Column })
                    .ExecuteAsync(http);
                return;
            }
        }

        var visibility = form["visibility"].FirstOrDefault() ?? "public";
        var publishRejected = form["publishRejected"].FirstOrDefault() is not { } published || !string.Equals(published, "false", StringComparison.OrdinalIgnoreCase);
        var actor = Roles.ActorOf(user);
        var create = ConsultationRequests.Parse(
            new CreateConsultationRequest(Title(conversation.Summary.Topic), Trim(conversation.Summary.Description, 10_000), "deliberation", "post", "draft")
            {
                Visibility = visibility,
                PublishRejected = publishRejected,
            },
            actor.Name);
        var events = PolisMapping.ToEvents(conversation);
        var id = ConsultationIds.New();
        var consultation = grains.GetGrain<IConsultationGrain>(id);
        await consultation.Create(create);

        var streaming = http.Request.Headers.Accept.Any(a => a?.Contains("application/x-ndjson", StringComparison.OrdinalIgnoreCase) == true);
        if (streaming)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/x-ndjson";
        }

        var items = conversation.Comments.Count;
        var votes = events.Count - items;
        var done = 0;
        foreach (var chunk in events.Chunk(ImportChunk))
        {
            await consultation.Import(chunk, actor);
            done += chunk.Length;
            if (streaming)
            {
                const string phase = "events";
                await WriteLine(http, new { phase, done, total = events.Count });
            }
        }

        // The lifecycle goes through "open" for an instant; nobody has the code yet.
        await consultation.Update(new UpdateConsultation(null, null, ConsultationStatus.Open, null, null, null, actor));
        await consultation.Update(new UpdateConsultation(null, null, ConsultationStatus.Closed, null, null, null, actor));
        var result = new { consultation = id, items, votes };
        if (streaming)
        {
            await WriteLine(http, result);
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status201Created;
            http.Response.Headers.Location = $"/api/consultations/{id}";
            await http.Response.WriteAsJsonAsync(result);
        }
    }

    private static async Task WriteLine(HttpContext http, object line)
    {
        await http.Response.WriteAsync(JsonSerializer.Serialize(line, JsonSerializerOptions.Web) + "\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    private static string Title(string topic)
    {
        var title = new string(topic.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return title.Length == 0 ? "Imported Pol.is conversation" : Trim(title, 200);
    }

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..max];
}
