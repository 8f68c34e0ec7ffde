using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The real server process, killed with SIGKILL right after acknowledgements, restarted on the
/// same storage: every acknowledged item and vote must be there. Run once per storage (StorageSpecs.cs).
/// </summary>
public abstract class DurabilityTests : IDisposable
{
    private readonly int _httpPort = Ports.Free();
    private readonly int _siloPort = Ports.Free();
    private readonly int _gatewayPort = Ports.Free();
    private ServerProcess? _server;

    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Environment variables that choose the storage.</summary>
    protected abstract Dictionary<string, string> StorageEnvironment { get; }

    private Uri BaseAddress => new($"http://127.0.0.1:{_httpPort}");
    [Fact]
    public async Task Acknowledged_items_and_votes_survive_sigkill()
    {
        await StartServer();
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var adminToken = await StaffTokens.FromKeyAsync(http, GatewayHost.AdminKey, "admin", "Admin");
        using var admin = new HttpClient { BaseAddress = BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", adminToken);
        var created = await (await admin.PostAsJsonAsync("/api/consultations", new { title = "Durable", mode = "qa", moderation = "post" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<SubmitItemResponse>();
        var votes = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var participant = new HttpClient { BaseAddress = BaseAddress };
            using var tokenResponse = await ParticipantProofClient.MintAsync(participant);
            var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
            participant.DefaultRequestHeaders.Authorization = new("Bearer", token);
            using var submit = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"k{i}", text = $"Pertanyaan nomor {i}" });
            submit.EnsureSuccessStatusCode();
            var ack = (await submit.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!;
            acknowledged.Add(ack);
            using var vote = await participant.PostAsJsonAsync($"/api/consultations/{id}/items/i1/votes", new { value = 1 });
            if (vote.IsSuccessStatusCode)
            {
                votes.Add(ack.Id);
            }
        }));

        await _server!.KillAsync();
        await StartServer();

        var page = await admin.GetFromJsonAsync<RestApiTests.ItemPageDto>($"/api/consultations/{id}/items?after=0", GatewayHost.Json);
        Assert.Equal(40, acknowledged.Count);
        Assert.Equal(acknowledged.Select(a => a.Id).Order(), page!.Items.Select(i => i.Id).Order());
        foreach (var ack in acknowledged)
        {
            Assert.Contains(page.Items, i => i.Id == ack.Id && i.Text.Length > 0);
        }

        Assert.Equal(votes.Count, page.Items.Single(i => i.Id == "i1").Votes.Up);
        Assert.True(votes.Count > 0);
    }

    public void Dispose()
    {
        _server?.Dispose();
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartServer()
    {
        _server?.Dispose();
        var environment = new Dictionary<string, string>(StorageEnvironment)
        {
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["Dialogue__DataDirectory"] = DataDirectory,
            ["Dialogue__AdminKey"] = GatewayHost.AdminKey,
            ["Dialogue__SiloPort"] = _siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dialogue__GatewayPort"] = _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dialogue__SubmissionsPerMinute"] = "100",
        };
        _server = ServerProcess.Gateway(environment);
        _server.Start();
        await _server.WaitHealthyAsync(BaseAddress);
    }
}
