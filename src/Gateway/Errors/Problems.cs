using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Errors;

/// <summary>Stable problem+json <c>type</c> values: one per error code.</summary>
public static class ProblemTypes
{
    public static string For(string code) => $"urn:opengov-dialogue:problem:{code}";
}

public static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: ProblemTypes.For(code), title: Title(status));

    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Closed or ErrorCodes.InvalidTransition or ErrorCodes.Conflict or ErrorCodes.Claimed or ErrorCodes.AlreadyAppealed => StatusCodes.Status409Conflict,
        ErrorCodes.Sanctioned or ErrorCodes.AdmissionRequired => StatusCodes.Status403Forbidden,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.BootstrapOnly => StatusCodes.Status403Forbidden,
        ErrorCodes.InvalidCredentials => StatusCodes.Status401Unauthorized,
        ErrorCodes.LoginTaken => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Error",
    };

    public static void AddDialogueErrors(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DialogueExceptionHandler>();
    }
}

/// <summary>
/// Rule violations become problem+json with their stable code; malformed requests become 400;
/// anything else is logged and answered without internals.
/// </summary>
public sealed class DialogueExceptionHandler(IProblemDetailsService problems, ILogger<DialogueExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            DialogueException d => (Problems.StatusOf(d.Code), d.Code, d.Message),
            BadHttpRequestException b => (b.StatusCode, "bad-request", "The request body or parameters are not valid."),
            // Storage down or the cluster unreachable: the client may retry; nothing was acknowledged.
            TimeoutException or OrleansException or System.Data.Common.DbException =>
                (StatusCodes.Status503ServiceUnavailable, "unavailable", "The service is busy or its storage is unreachable; please retry."),
            _ => (StatusCodes.Status500InternalServerError, "internal", "Something went wrong on our side."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", http.Request.Method, http.Request.Path);
        }

        if (exception is DialogueException { RetryAfterSeconds: { } retry })
        {
            http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = "5";
        }

        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Type = ProblemTypes.For(code), Title = "Request failed", Detail = detail },
        });
    }
}
