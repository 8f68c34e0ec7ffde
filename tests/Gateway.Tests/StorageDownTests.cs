using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>PostgreSQL goes away under a running gateway: clients get 503 with Retry-After, never 500, and nothing half-written.</summary>
[Trait("Category", "postgres")]
public sealed class StorageDownTests(PostgresGatewayHost host) : IClassFixture<PostgresGatewayHost>
{
    [Fact]
    public async Task Storage_down_answers_503_problem_with_Retry_After_and_service_resumes_when_it_is_back()
    {
        var id = await host.CreateConsultation();
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        (await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "before", text = "Sebelum putus" })).EnsureSuccessStatusCode();

        await SetConnections(allowed: false);
        try
        {
            using var during = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "during", text = "Saat putus" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
            Assert.True(during.Headers.RetryAfter is not null);
            var body = await during.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Equal("urn:opengov-dialogue:problem:unavailable", body.GetProperty("type").GetString());
        }
        finally
        {
            await SetConnections(allowed: true);
        }

        // The same client id again once storage is back: stored once.
        using var retried = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "during", text = "Saat putus" });
        Assert.True(retried.IsSuccessStatusCode, await retried.Content.ReadAsStringAsync());
        using var staff = host.Client(await host.StaffToken("moderator"));
        var page = await staff.GetFromJsonAsync<RestApiTests.ItemPageDto>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.Equal(1, page!.Items.Count(i => i.Text == "Saat putus"));
    }

    /// <summary>Refuses new connections to the test database and ends the open ones, as a database restart does.</summary>
    private async Task SetConnections(bool allowed)
    {
        await using var server = new NpgsqlConnection(OpenGov.Dialogue.Tests.PostgresDatabase.ServerConnectionString);
        await server.OpenAsync();
        var name = host.Database.Name;
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE {name} ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", server))
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (!allowed)
        {
            await using var kill = new NpgsqlCommand($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()", server);
            await kill.ExecuteNonQueryAsync();
        }
    }
}
