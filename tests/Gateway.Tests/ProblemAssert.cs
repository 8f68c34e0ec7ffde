using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>Checks that a refusal is a problem+json with the stable type of its error code and no stack trace.</summary>
public static class ProblemAssert
{
    public static async Task Is(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"urn:opengov-dialogue:problem:{code}", body.GetProperty("type").GetString());
        Assert.DoesNotContain("   at ", body.ToString(), StringComparison.Ordinal);
    }
}
