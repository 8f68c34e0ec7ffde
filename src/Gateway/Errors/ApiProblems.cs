using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Errors;

/// <summary>
/// The problem responses each REST endpoint declares in the OpenAPI document. Handlers report a broken rule
/// by throwing <see cref="OpenGov.Dialogue.Contracts.DialogueException"/>, and <see cref="DialogueExceptionHandler"/>
/// turns it into problem+json with the status of <see cref="Problems.StatusOf"/>; the statuses declared here
/// follow from the same facts about the endpoint, read from its metadata once every convention has run:
/// <list type="bullet">
/// <item>every endpoint: 400 (a malformed request or a broken rule) and 503 (storage or cluster unreachable);</item>
/// <item>an endpoint that requires a token: 401 (none or invalid) and 403 (a role or scope that may not; a sanction);</item>
/// <item>a route that names something (a consultation, item, account, notification, cluster): 404 (unknown, or not readable by the caller);</item>
/// <item>a write to a consultation: 409 (closed, claimed by another moderator, changed elsewhere);</item>
/// <item>a rate-limited endpoint, and a participant's write (the citizen's own limits): 429.</item>
/// </list>
/// </summary>
public static class ApiProblems
{
    private const string ProblemJson = "application/problem+json";

    public static void Declare(EndpointBuilder endpoint)
    {
        if (endpoint is not RouteEndpointBuilder { RoutePattern: { RawText: { } route } pattern } || !route.StartsWith("/api/", StringComparison.Ordinal))
        {
            return;
        }

        var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var writes = methods.Overlaps(["POST", "PUT", "PATCH", "DELETE"]);
        var policies = endpoint.Metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToList();
        var statuses = new SortedSet<int> { StatusCodes.Status400BadRequest, StatusCodes.Status503ServiceUnavailable };
        if (policies.Count > 0)
        {
            statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        }

        if (pattern.Parameters.Count > 0)
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if (writes && route.StartsWith("/api/consultations/{id}", StringComparison.Ordinal))
        {
            statuses.Add(StatusCodes.Status409Conflict);
        }

        if (endpoint.Metadata.OfType<EnableRateLimitingAttribute>().Any() || (writes && policies.Contains(Roles.Participant)))
        {
            statuses.Add(StatusCodes.Status429TooManyRequests);
        }

        foreach (var status in statuses)
        {
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ProblemJson]));
        }
    }
}
