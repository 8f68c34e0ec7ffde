using System.Diagnostics;
using System.Globalization;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// A PostgreSQL server of one test's own (as tests/postgres-server.sh makes the shared one: a throw-away cluster
/// in /tmp on 127.0.0.1, fsync off), so the test can stop and restart the whole server without touching the
/// server the other tests use. Runs the server as the postgres user when the tests run as root.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dialogue-pg-private-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _bin = FindBin();

    public int Port { get; } = Ports.Free();

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    private static bool IsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _dir]);
        }

        await RunAsPostgresAsync(Path.Combine(_bin, "initdb"), ["-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        await StartAsync();
    }

    public Task StartAsync() => RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"),
    [
        "-D", Data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "start",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port.ToString(CultureInfo.InvariantCulture)} -k {_dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
    ]);

    /// <summary>Stops the server as an operator's restart does: open connections are ended, new ones refused.</summary>
    public Task StopAsync() => RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "fast", "-w", "-t", "60", "stop"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "-t", "60", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Data => Path.Combine(_dir, "data");

    private static string FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault() ?? throw NotInstalled()
            : throw NotInstalled();

    private static InvalidOperationException NotInstalled() =>
        new("PostgreSQL's server programs are not installed (/usr/lib/postgresql/*/bin): ./test.sh installs them.");

    private Task RunAsPostgresAsync(string program, string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}{await stderr}");
        }
    }
}
