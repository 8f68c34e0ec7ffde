using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Silo;

namespace OpenGov.Dialogue.Tests;

/// <summary>
/// A real silo host with the real SQLite storage in its own temporary data directory and its own
/// ports. Restartable on the same directory, to check what survives.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private IHost? _host;

    public TestSilo(string? dataDirectory = null, Dictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        Clock = clock;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));
        Settings = settings ?? [];
    }

    public string DataDirectory { get; }

    /// <summary>When set, grains read time from it (leases, rate limits, sanctions).</summary>
    public TimeProvider? Clock { get; }

    public Dictionary<string, string?> Settings { get; }

    public IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host!.Services;

    public static async Task<TestSilo> StartAsync(Dictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var silo = new TestSilo(settings: settings, clock: clock);
        await silo.StartHostAsync();
        return silo;
    }

    public async Task StartHostAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dialogue:DataDirectory"] = DataDirectory,
            ["Dialogue:SiloPort"] = Ports.FreeText(),
            ["Dialogue:GatewayPort"] = Ports.FreeText(),
        });
        builder.Configuration.AddInMemoryCollection(Settings);
        if (Clock is not null)
        {
            builder.Services.AddSingleton(Clock);
        }

        builder.AddDialogueSilo();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task StopHostAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
