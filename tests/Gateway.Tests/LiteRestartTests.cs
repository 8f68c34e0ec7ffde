using System.Net.Http.Json;
using System.Text.Json;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The real server process restarted on its data folder, with a new, empty home (as a container without a
/// persistent home has): a form drawn before the restart still posts after it, as the same citizen.
/// </summary>
[Trait("Category", "cluster")]
public sealed class LiteRestartTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lite-restart-").FullName;
    private readonly Uri _baseAddress = new($"http://127.0.0.1:{Ports.Free()}");
    private readonly int _siloPort = Ports.Free();
    private readonly int _gatewayPort = Ports.Free();
    private ServerProcess? _server;

    [Fact]
    public async Task Lite_form_and_identity_survive_a_gateway_restart()
    {
        await Start("home-1");
        string id;
        using (var http = new HttpClient { BaseAddress = _baseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", await StaffTokens.FromKeyAsync(http, GatewayHost.AdminKey, "admin", "Test admin"));
            using var created = await http.PostAsJsonAsync("/api/consultations", new { title = "Balai warga", description = "", mode = "qa", moderation = "post" });
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        using var citizen = new LiteSession(_baseAddress);
        using (var joined = await citizen.Submit($"/lite?c={id}", $"/lite/join?c={id}"))
        {
            Assert.Equal(System.Net.HttpStatusCode.SeeOther, joined.StatusCode);
        }

        await citizen.Get($"/lite?c={id}");
        await _server!.KillAsync();
        await Start("home-2");

        using var posted = await citizen.Post($"/lite/post?c={id}", true, ("text", "Ditulis sebelum server dimulai ulang"));
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, posted.StatusCode);
        var (_, html, _) = await citizen.Get($"/lite?c={id}");
        Assert.Contains("Ditulis sebelum server dimulai ulang Tampil", LiteSession.Visible(html));
    }

    private async Task Start(string home)
    {
        _server?.Dispose();
        Directory.CreateDirectory(Path.Combine(_root, home));
        _server = ServerProcess.Gateway(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = _baseAddress.ToString(),
            ["HOME"] = Path.Combine(_root, home),
            ["Dialogue__DataDirectory"] = Path.Combine(_root, "data"),
            ["Dialogue__AdminKey"] = GatewayHost.AdminKey,
            ["Dialogue__SiloPort"] = _siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dialogue__GatewayPort"] = _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _server.Start();
        await _server.WaitHealthyAsync(_baseAddress);
    }

    public void Dispose()
    {
        _server?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
