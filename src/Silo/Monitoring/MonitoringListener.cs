using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenGov.Dialogue.Silo.Monitoring;

/// <summary>
/// A small HTTP server of its own for monitoring (the silo's health and metrics, the gateway's unauthenticated
/// metrics port): its own Kestrel and container, so the host's URLs, authentication and middleware never apply to
/// it. It starts before the other hosted services, so <c>/health/live</c> answers while the silo is still joining,
/// and stops after them, so <c>/health/ready</c> can say "shutting down".
/// </summary>
public sealed class MonitoringListener(IPEndPoint endpoint, Action<IEndpointRouteBuilder> map, ILoggerFactory loggers) : IHostedLifecycleService, IAsyncDisposable
{
    private WebApplication? _app;

    public IPEndPoint Endpoint => endpoint;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // The empty builder reads no configuration: ASPNETCORE_URLS and friends belong to the host, not to this port.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(endpoint);
            k.AddServerHeader = false;
        });
        builder.Services.AddRouting();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, HostOwnsLifetime>();
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        _app = app;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Signals (Ctrl+C, SIGTERM) stop the host that owns this listener, not the listener on its own.</summary>
    private sealed class HostOwnsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public static class MonitoringListenerSetup
{
    /// <summary>Adds a <see cref="MonitoringListener"/> on <paramref name="endpoint"/> serving what <paramref name="map"/> maps (given the host's services).</summary>
    public static void AddMonitoringListener(this IServiceCollection services, IPEndPoint endpoint, Action<IEndpointRouteBuilder, IServiceProvider> map) =>
        services.AddHostedService(sp => new MonitoringListener(endpoint, routes => map(routes, sp), sp.GetRequiredService<ILoggerFactory>()));
}
