using System.Net.Http.Json;
using System.Text.Json;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// What a scripted client (the load tool, the tests) does to get an anonymous participant token: fetch a
/// challenge, solve it, post the solution. The web page does the same in TypeScript.
/// </summary>
public static class ParticipantProofClient
{
    /// <summary>Solves a fresh challenge; returns the JSON body for <c>POST /api/auth/participant</c> or <c>/join</c>.</summary>
    public static async Task<(string Challenge, string Nonce)> SolveAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("/api/auth/challenge", cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var challenge = body.GetProperty("challenge").GetString()!;
        var bits = body.GetProperty("bits").GetInt32();
        return (challenge, bits == 0 ? "0" : ParticipantProof.Solve(challenge, bits, cancellationToken));
    }

    /// <summary>Posts a solved challenge to <c>POST /api/auth/participant</c>; the response is the caller's to read.</summary>
    public static async Task<HttpResponseMessage> MintAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        var (challenge, nonce) = await SolveAsync(http, cancellationToken);
        return await http.PostAsJsonAsync("/api/auth/participant", new { challenge, nonce }, cancellationToken);
    }
}
