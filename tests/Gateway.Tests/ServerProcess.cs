using System.Diagnostics;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// A real server process (the Gateway or the standalone Silo, from this build's output) with its
/// configuration in environment variables, as an operator would start it.
/// </summary>
public sealed class ServerProcess(string project, Dictionary<string, string> environment) : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private readonly System.Text.StringBuilder _all = new();
    private Process? _process;

    public bool HasExited => _process?.HasExited ?? true;

    public int? Pid => _process?.Id;

    public static ServerProcess Gateway(Dictionary<string, string> environment) => new("Gateway", environment);

    public static ServerProcess Silo(Dictionary<string, string> environment) => new("Silo", environment);

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet", [Assembly(project)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Polls <c>/health</c> until it answers 200.</summary>
    public async Task WaitHealthyAsync(Uri baseAddress, int seconds = 60)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await WaitUntilAsync(() => AnswersHealthAsync(http), seconds, "become healthy");
    }

    /// <summary>One probe of <c>/health</c>: true on a success status, false on an error status or no answer.</summary>
    public static async Task<bool> AnswersHealthAsync(HttpClient http)
    {
        try
        {
            using var health = await http.GetAsync("/health");
            return health.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async Task WaitUntilAsync(Func<Task<bool>> ready, int seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The {project} exited with code {_process.ExitCode}:\n{Output()}");
            }

            if (await ready())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The {project} did not {what} within {seconds} s:\n{Output()}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or a power cut of the process.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Waits for the process to end by itself; a timeout is an error with its last output.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process!.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The {project} did not exit within {timeout.TotalSeconds} s:\n{Output()}");
        }
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        lock (_all)
        {
            _all.AppendLine(line);
        }

        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private string Output() => string.Join('\n', _output.TakeLast(40));

    /// <summary>Every line the process wrote so far (kept whole, for checks on what reaches the logs).</summary>
    public string AllOutput()
    {
        lock (_all)
        {
            return _all.ToString();
        }
    }

    /// <summary>The project's own build output, in the same configuration as these tests.</summary>
    private static string Assembly(string project)
    {
        var here = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dir = new DirectoryInfo(here);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGov.Dialogue.sln")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(
            dir?.FullName ?? throw new DirectoryNotFoundException("Repository root not found."),
            "src", project, "bin", configuration, "net10.0", $"OpenGov.Dialogue.{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the {project} first.", path);
    }
}
