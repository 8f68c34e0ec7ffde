using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenGov.Dialogue.Testing;

/// <summary>
/// A real server process (the Gateway, the standalone Silo, or another built assembly) started with <c>dotnet</c>
/// and its configuration in environment variables, as an operator would start it. Keeps its last output lines
/// for error messages, and optionally all of it (<see cref="AllOutput"/>) or echoes its error lines.
/// </summary>
public sealed class ServerProcess(string name, string assemblyPath, Dictionary<string, string> environment) : IDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly StringBuilder _all = new();
    private Process? _process;

    /// <summary>The project's build output under src/ (<see cref="Repository.Built"/>), in the tests' configuration.</summary>
    public ServerProcess(string project, Dictionary<string, string> environment)
        : this(project, Repository.Built(project, $"OpenGov.Dialogue.{project}.dll"), environment)
    {
    }

    /// <summary>Keep every line written (for checks on what reaches the logs); off for long benchmark runs.</summary>
    public bool KeepAllOutput { get; init; } = true;

    /// <summary>Called with each line the process writes to standard error (the load tool echoes them).</summary>
    public Action<string>? OnError { get; init; }

    public bool HasExited => _process?.HasExited ?? true;

    public int? Pid => _process?.Id;

    public static ServerProcess Gateway(Dictionary<string, string> environment) => new("Gateway", environment);

    public static ServerProcess Silo(Dictionary<string, string> environment) => new("Silo", environment);

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet", [assemblyPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"The {name} did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data is not null)
            {
                OnError?.Invoke(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Polls <c>/health</c> until it answers 200.</summary>
    public Task WaitHealthyAsync(Uri baseAddress, int seconds = 60) =>
        Health.WaitHealthyAsync(baseAddress, TimeSpan.FromSeconds(seconds), Exited, () => $"The {name} did not become healthy within {seconds} s:\n{Output()}");

    public Task WaitUntilAsync(Func<Task<bool>> ready, int seconds, string what) =>
        Health.WaitUntilAsync(ready, TimeSpan.FromSeconds(seconds), Exited, () => $"The {name} did not {what} within {seconds} s:\n{Output()}");

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
            throw new TimeoutException($"The {name} did not exit within {timeout.TotalSeconds} s:\n{Output()}");
        }
    }

    /// <summary>Resident memory of the process, in MiB.</summary>
    public double RssMiB()
    {
        _process!.Refresh();
        return _process.WorkingSet64 / 1024.0 / 1024.0;
    }

    public TimeSpan CpuTime()
    {
        _process!.Refresh();
        return _process.TotalProcessorTime;
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

    /// <summary>Every line the process wrote so far (kept whole, for checks on what reaches the logs).</summary>
    public string AllOutput()
    {
        lock (_all)
        {
            return _all.ToString();
        }
    }

    private string? Exited() =>
        _process is null ? $"The {name} was not started." :
        _process.HasExited ? $"The {name} exited with code {_process.ExitCode}:\n{Output()}" : null;

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (KeepAllOutput)
        {
            lock (_all)
            {
                _all.AppendLine(line);
            }
        }

        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private string Output() => string.Join('\n', _output.TakeLast(40));
}
