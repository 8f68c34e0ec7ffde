using System.Net;
using System.Net.Sockets;

namespace OpenGov.Dialogue.Testing;

/// <summary>Loopback ports for servers started by tests and benchmarks.</summary>
public static class Ports
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now (the system picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><see cref="Free"/> as configuration text.</summary>
    public static string FreeText() => Free().ToString(CultureInfo.InvariantCulture);
}
