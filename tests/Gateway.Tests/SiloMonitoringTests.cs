using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.Storage.Postgres;
using OpenGov.Dialogue.Tests;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The standalone silo's monitoring listener (Dialogue:SiloHttpPort), as a real process on PostgreSQL.</summary>
[Trait("Category", "cluster")]
public sealed class SiloMonitoringTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly List<ServerProcess> _processes = [];
    private readonly string _data = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Silo_http_port_answers_live_then_ready_once_active_and_serves_orleans_metrics_that_pass_promtool()
    {
        var siloPort = Ports.Free();
        var httpPort = Ports.Free();
        var silo = Start(ServerProcess.Silo(Environment(database.ConnectionString, siloPort, httpPort)));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };

        await silo.WaitUntilAsync(async () => await StatusOf(http, "/health/live") == HttpStatusCode.OK, 60, "answer /health/live");
        await silo.WaitUntilAsync(async () => await StatusOf(http, "/health/ready") == HttpStatusCode.OK, 60, "answer /health/ready");

        // Ready means active: the membership table says so by the time the silo does.
        Assert.Equal(1L, await Membership.ActiveAt(database.ConnectionString, siloPort));

        using var ready = await http.GetAsync("/health/ready");
        Assert.Equal("ready", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        // No token: the port is for a private network.
        var scrape = await Scrape.FetchAsync(http);
        await scrape.AssertPromtoolAcceptsAsync();
        Assert.True(scrape.HasPrefix("orleans_"), "Orleans metrics in the silo's scrape");
        Assert.Contains("service_name=\"silo\"", scrape.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(http, "/api/consultations"));
    }

    /// <summary>
    /// On a PostgreSQL server of the test's own (the shared one keeps serving the other tests): a silo and a gateway
    /// co-hosting a second silo go not-ready while the server is down, stay live, and come back by themselves.
    /// </summary>
    [Fact]
    public async Task Ready_is_503_while_postgres_is_stopped_live_stays_200_and_ready_returns_by_itself()
    {
        await using var postgres = new PrivatePostgres();
        await postgres.InitializeAsync();
        await PostgresMigrations.ApplyAsync(postgres.ConnectionString);

        var httpPort = Ports.Free();
        var silo = Start(ServerProcess.Silo(Environment(postgres.ConnectionString, Ports.Free(), httpPort)));
        using var siloHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await silo.WaitUntilAsync(async () => await StatusOf(siloHttp, "/health/ready") == HttpStatusCode.OK, 60, "become ready");

        var gatewayAddress = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var gateway = Start(ServerProcess.Gateway(new(Environment(postgres.ConnectionString, Ports.Free(), 0)) { ["ASPNETCORE_URLS"] = gatewayAddress.ToString() }));
        using var gatewayHttp = new HttpClient { BaseAddress = gatewayAddress, Timeout = TimeSpan.FromSeconds(10) };
        await gateway.WaitUntilAsync(async () => await StatusOf(gatewayHttp, "/health/ready") == HttpStatusCode.OK, 60, "become ready");

        await postgres.StopAsync();
        try
        {
            foreach (var (process, http) in new[] { (silo, siloHttp), (gateway, gatewayHttp) })
            {
                await process.WaitUntilAsync(async () => await StatusOf(http, "/health/ready") == HttpStatusCode.ServiceUnavailable, 30, "report not ready with PostgreSQL stopped");
                using var notReady = await http.GetAsync("/health/ready");
                Assert.Equal("application/problem+json", notReady.Content.Headers.ContentType?.MediaType);
                Assert.Equal("urn:opengov-dialogue:problem:not-ready", (await notReady.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
                Assert.Equal(HttpStatusCode.OK, await StatusOf(http, "/health/live"));
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusOf(gatewayHttp, "/health"));
        }
        finally
        {
            await postgres.StartAsync();
        }

        await silo.WaitUntilAsync(async () => await StatusOf(siloHttp, "/health/ready") == HttpStatusCode.OK, 60, "become ready again once PostgreSQL is back");
        await gateway.WaitUntilAsync(async () => await StatusOf(gatewayHttp, "/health/ready") == HttpStatusCode.OK, 60, "become ready again once PostgreSQL is back");
        Assert.Equal(HttpStatusCode.OK, await StatusOf(gatewayHttp, "/health"));
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ServerProcess Start(ServerProcess process)
    {
        _processes.Add(process);
        process.Start();
        return process;
    }

    private Dictionary<string, string> Environment(string connectionString, int siloPort, int siloHttpPort) => new()
    {
        ["Dialogue__Storage"] = "postgres",
        ["ConnectionStrings__Dialogue"] = connectionString,
        ["Dialogue__DataDirectory"] = _data,
        ["Dialogue__AdminKey"] = GatewayHost.AdminKey,
        ["Dialogue__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
        ["Dialogue__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
        ["Dialogue__SiloHttpPort"] = siloHttpPort.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The status a path answers with; 0 when nothing answers (not listening yet, or too slow).</summary>
    private static async Task<HttpStatusCode> StatusOf(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }
}
