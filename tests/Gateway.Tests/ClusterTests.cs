using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Tests;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// Cluster mode on PostgreSQL with real processes: a standalone silo, a gateway co-hosting a second
/// silo, and a gateway that is only an Orleans client. They find each other through the ADO.NET
/// membership table and serve one consultation together.
/// </summary>
[Trait("Category", "cluster")]
public sealed class ClusterTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServerProcess> _processes = [];

    [Fact]
    public async Task Two_silo_processes_join_through_the_membership_table_and_serve_one_consultation_to_both_gateways()
    {
        // The client-only gateway starts with the silo, before any silo is active: it waits for one.
        var siloPort = Ports.Free();
        var silo = Start(ServerProcess.Silo(Environment(siloPort, Ports.Free())));
        var clientOnly = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var clientGateway = Start(ServerProcess.Gateway(new(Environment(Ports.Free(), Ports.Free()))
        {
            ["ASPNETCORE_URLS"] = clientOnly.ToString(),
            ["Dialogue__CoHostSilo"] = "false",
        }));
        await silo.WaitUntilAsync(() => IsActive(siloPort), 60, "join the cluster");
        await clientGateway.WaitHealthyAsync(clientOnly);

        // Started after the first gateway wrote the shared signing key (GatewayKeys creates it once).
        var coHostedPort = Ports.Free();
        var withSilo = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var gatewayWithSilo = Start(ServerProcess.Gateway(new(Environment(coHostedPort, Ports.Free())) { ["ASPNETCORE_URLS"] = withSilo.ToString() }));
        await gatewayWithSilo.WaitHealthyAsync(withSilo);
        Assert.True(await IsActive(siloPort));
        Assert.True(await IsActive(coHostedPort));
        Assert.Equal(2, await ActiveSilos());

        using var admin = new HttpClient { BaseAddress = withSilo };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", await StaffTokens.FromKeyAsync(admin, GatewayHost.AdminKey, "admin", "Admin"));
        using var created = await admin.PostAsJsonAsync("/api/consultations", new { title = "Klaster", mode = "qa", moderation = "post" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // Citizens on both gateways at once; their citizen grains land on either silo.
        var acks = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var http = new HttpClient { BaseAddress = i % 2 == 0 ? withSilo : clientOnly };
            http.DefaultRequestHeaders.Authorization = new("Bearer", (await StaffTokens.ParticipantAsync(http)).Token);
            using var submit = await http.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"k{i}", text = $"Pertanyaan {i}" });
            submit.EnsureSuccessStatusCode();
            return (await submit.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!;
        }));

        // One activation serialised them: 30 distinct, gapless sequence numbers across both gateways.
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), acks.Select(a => a.Seq).Order());
        foreach (var gateway in new[] { withSilo, clientOnly })
        {
            using var http = new HttpClient { BaseAddress = gateway };
            var page = await http.GetFromJsonAsync<RestApiTests.ItemPageDto>($"/api/consultations/{id}/items?after=0&limit=100", GatewayHost.Json);
            Assert.Equal(acks.Select(a => a.Id).Order(), page!.Items.Select(i => i.Id).Order());
            Assert.Equal(30, page.LastSeq);
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        try
        {
            Directory.Delete(_keys, recursive: true);
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

    /// <summary>
    /// Every process on the same database and cluster; the gateways share a data directory only
    /// for the admin and token-signing keys, so a token from one gateway works on the other.
    /// </summary>
    private Dictionary<string, string> Environment(int siloPort, int gatewayPort) => new()
    {
        ["Dialogue__Storage"] = "postgres",
        ["ConnectionStrings__Dialogue"] = database.ConnectionString,
        ["Dialogue__DataDirectory"] = _keys,
        ["Dialogue__AdminKey"] = GatewayHost.AdminKey,
        ["Dialogue__SubmissionsPerMinute"] = "100",
        ["Dialogue__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
        ["Dialogue__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
    };

    private async Task<bool> IsActive(int siloPort) => await Membership.ActiveAt(database.ConnectionString, siloPort) == 1;

    private Task<long> ActiveSilos() => Membership.ActiveSilos(database.ConnectionString);
}
