using System.Net;
using System.Net.Sockets;

namespace OpenGov.Dialogue.Testing;

/// <summary>Loopback ports for servers started by tests and benchmarks.</summary>
public static class Ports
{
    // Below the kernel's ephemeral range (32768-60999 here): a port the system picked and released could be taken
    // by any outgoing connection (HTTP clients, database connections of tests running beside) before the server
    // binds it. A random port from this range, checked free, handed out once per process, rarely collides.
    private const int First = 10_000;
    private const int Last = 32_000;

    private static readonly HashSet<int> Given = [];

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now and that this process has not handed out before.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            lock (Given)
            {
                if (Given.Contains(port) || !CanListen(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }

    /// <summary><see cref="Free"/> as configuration text.</summary>
    public static string FreeText() => Free().ToString(CultureInfo.InvariantCulture);

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
