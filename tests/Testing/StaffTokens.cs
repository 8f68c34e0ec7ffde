using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Testing;

/// <summary>Tokens minted over the public API, as clients get them.</summary>
public static class StaffTokens
{
    /// <summary>A staff token from the admin (bootstrap) key; the server ignores <paramref name="name"/> but clients send one.</summary>
    public static async Task<string> FromKeyAsync(HttpClient http, string adminKey, string role, string name)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/token", new { key = adminKey, role, name });
        response.EnsureSuccessStatusCode();
        return await TokenOf(response);
    }

    /// <summary>A new participant's token and citizen id, after solving the proof-of-work challenge.</summary>
    public static async Task<(string Token, string CitizenId)> ParticipantAsync(HttpClient http)
    {
        using var response = await ParticipantProofClient.MintAsync(http);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("token").GetString()!, body.GetProperty("citizenId").GetString()!);
    }

    /// <summary>The <c>token</c> property of a response body.</summary>
    public static async Task<string> TokenOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
}
