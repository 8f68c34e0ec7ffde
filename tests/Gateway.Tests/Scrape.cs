using System.Diagnostics;
using System.Globalization;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>A Prometheus text exposition as the tests read it: its samples, and what <c>promtool check metrics</c> says of it.</summary>
public sealed class Scrape(string text)
{
    public string Text => text;

    public static async Task<Scrape> FetchAsync(HttpClient http, string path = "/metrics")
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new Scrape(body);
    }

    /// <summary>Every sample line: metric name, the label text between the braces (empty without labels), value.</summary>
    public IEnumerable<(string Name, string Labels, double Value)> Samples()
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var open = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            string name, labels, rest;
            if (open >= 0 && (space < 0 || open < space))
            {
                var close = line.LastIndexOf('}');
                name = line[..open];
                labels = line[(open + 1)..close];
                rest = line[(close + 1)..];
            }
            else
            {
                name = line[..space];
                labels = string.Empty;
                rest = line[space..];
            }

            yield return (name, labels, ParseValue(rest.Trim().Split(' ')[0]));
        }
    }

    /// <summary>The sum of a metric's samples (over all label sets, or those whose labels contain <paramref name="label"/>); 0 when absent.</summary>
    public double Sum(string name, string? label = null) =>
        Samples().Where(s => s.Name == name && (label is null || s.Labels.Contains(label, StringComparison.Ordinal))).Sum(s => s.Value);

    public bool Has(string name) => Samples().Any(s => s.Name == name);

    public bool HasPrefix(string prefix) => Samples().Any(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Runs <c>promtool check metrics</c> (Debian's prometheus package; ./test.sh installs it) on the text; fails with its output.</summary>
    public async Task AssertPromtoolAcceptsAsync()
    {
        var promtool = FindPromtool()
            ?? throw new InvalidOperationException("promtool is missing: install Debian's prometheus package (apt-get install prometheus; ./test.sh does it when run as root).");
        var start = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var output = (await stdout + await stderr).Trim();
        Assert.True(process.ExitCode == 0 && output.Length == 0, $"promtool check metrics exited with {process.ExitCode}:\n{output}");
    }

    private static string? FindPromtool() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
