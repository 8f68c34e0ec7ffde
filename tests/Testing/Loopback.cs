using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace OpenGov.Dialogue.Testing;

/// <summary>Small web apps on 127.0.0.1 (fake providers, a test issuer, the gateway itself) on a port the system picks.</summary>
public static class Loopback
{
    /// <summary>Kestrel on 127.0.0.1 with a free port; only warnings are logged.</summary>
    public static void Listen(WebApplicationBuilder builder)
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
    }

    /// <summary>A slim app builder (<see cref="WebApplication.CreateSlimBuilder()"/>) set up by <see cref="Listen"/>.</summary>
    public static WebApplicationBuilder SlimBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        Listen(builder);
        return builder;
    }

    /// <summary>The address a started app listens on, as Kestrel reports it ("http://127.0.0.1:PORT").</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
}
