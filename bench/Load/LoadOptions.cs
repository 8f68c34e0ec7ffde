using System.Globalization;

namespace OpenGov.Dialogue.Load;

/// <summary><c>--name value</c> options of the load tool.</summary>
public sealed class LoadOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            options._values[args[i][2..]] = args[i + 1];
        }

        return options;
    }

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string? String(string name) => _values.GetValueOrDefault(name);

    /// <summary>--protocol json|messagepack: what every connection of the run picks in the SignalR handshake; JSON by default.</summary>
    public WireProtocol Protocol() => String("protocol") switch
    {
        null or "json" => WireProtocol.Json,
        "messagepack" => WireProtocol.MessagePack,
        var other => throw new ArgumentException($"--protocol is json or messagepack, not '{other}'"),
    };

    /// <summary>The server to load: --target, or a fresh embedded server started here.</summary>
    public async Task<(DialogueApi Api, LoadServer? Server)> Server(Dictionary<string, string>? settings = null)
    {
        if (String("target") is { } target)
        {
            return (new DialogueApi(new Uri(target), String("admin-key") ?? throw new ArgumentException("--admin-key is needed with --target")), null);
        }

        var server = await LoadServer.StartAsync(settings);
        return (new DialogueApi(server.Address, LoadServer.AdminKey), server);
    }
}

public static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
