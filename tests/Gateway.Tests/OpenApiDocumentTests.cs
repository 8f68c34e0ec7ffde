using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The OpenAPI document a client generator reads: every REST operation has a unique name and a summary, and
/// declares the problem responses the gateway really gives (checked against live answers for a few).
/// </summary>
[Trait("Category", "http")]
public sealed class OpenApiDocumentTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    private const string ProblemJson = "application/problem+json";

    private async Task<List<(string Path, string Method, JsonElement Operation)>> Operations()
    {
        var document = await host.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        return [.. document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject()
                .Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(o => (p.Name, o.Name, o.Value)))];
    }

    private static IReadOnlyList<string> ProblemStatuses(JsonElement operation) =>
        [.. operation.GetProperty("responses").EnumerateObject()
            .Where(r => r.Value.TryGetProperty("content", out var content) && content.TryGetProperty(ProblemJson, out _))
            .Select(r => r.Name)];

    [Fact]
    public async Task Every_operation_has_a_unique_name_a_summary_and_its_problem_responses()
    {
        var operations = await Operations();
        Assert.True(operations.Count >= 50, $"Only {operations.Count} REST operations in the document.");

        var unnamed = operations.Where(o => !o.Operation.TryGetProperty("operationId", out var id) || string.IsNullOrWhiteSpace(id.GetString())).Select(o => $"{o.Method} {o.Path}").ToList();
        Assert.True(unnamed.Count == 0, $"Operations without a name: {string.Join(", ", unnamed)}");
        var names = operations.Select(o => o.Operation.GetProperty("operationId").GetString()!).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());

        var unsummarised = operations.Where(o => !o.Operation.TryGetProperty("summary", out var s) || string.IsNullOrWhiteSpace(s.GetString())).Select(o => $"{o.Method} {o.Path}").ToList();
        Assert.True(unsummarised.Count == 0, $"Operations without a summary: {string.Join(", ", unsummarised)}");

        foreach (var (path, method, operation) in operations)
        {
            var problems = ProblemStatuses(operation);
            Assert.True(problems.Contains("400") && problems.Contains("503"), $"{method} {path} declares {string.Join(", ", problems)}");
            if (path.Contains("{id}", StringComparison.Ordinal))
            {
                Assert.True(problems.Contains("404"), $"{method} {path} names a consultation but declares no 404.");
            }
        }
    }

    [Theory]
    [InlineData("Moderate", "401,403,404,409")]
    [InlineData("SubmitItem", "401,403,404,409,429")]
    [InlineData("Vote", "401,403,404,409,429")]
    [InlineData("CreateConsultation", "401,403")]
    [InlineData("ExportConsultation", "404,429")]
    [InlineData("StaffLogin", "429")]
    public async Task Protected_rate_limited_and_writing_operations_declare_their_problems(string name, string expected)
    {
        var operation = (await Operations()).Single(o => o.Operation.GetProperty("operationId").GetString() == name).Operation;
        var problems = ProblemStatuses(operation);
        Assert.All(expected.Split(','), status => Assert.Contains(status, problems));
    }

    [Theory]
    [InlineData("ListConsultations")]
    [InlineData("GetConsultation")]
    [InlineData("Ranking")]
    [InlineData("ModerationLog")]
    public async Task Anonymous_reads_declare_no_401(string name)
    {
        var operation = (await Operations()).Single(o => o.Operation.GetProperty("operationId").GetString() == name).Operation;
        Assert.DoesNotContain("401", ProblemStatuses(operation));
    }

    [Fact]
    public async Task The_declared_problems_are_the_answers_given()
    {
        var id = await host.CreateConsultation();
        using var anonymous = host.Client();

        // 401: no token for a participant's write; 404: an unknown consultation; 400: a malformed body.
        using var unauthorised = await anonymous.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Kapan jalan diperbaiki?" });
        using var missing = await anonymous.GetAsync("/api/consultations/zzzzzzzz/ranking");
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        using var malformed = await participant.PostAsync($"/api/consultations/{id}/items", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        using var forbidden = await participant.PostAsJsonAsync("/api/consultations", new { title = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.All([unauthorised, missing, malformed, forbidden], r => Assert.Equal(ProblemJson, r.Content.Headers.ContentType?.MediaType));
    }
}
