using System.Diagnostics;
using System.Globalization;
using Npgsql;
using OpenGov.Dialogue.Tests;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The topology of docker/compose.yaml as plain processes on 127.0.0.1: a fresh PostgreSQL database, the one-shot
/// <c>dialogue migrate</c>, two silos, two client-only gateways and a real nginx running docker/nginx.conf. Each
/// process gets the environment compose gives its service (and the ENV of its Dockerfile stage); only what a machine
/// without containers must change is replaced: host names, ports, folders and the secrets compose asks for.
/// </summary>
public sealed class ProcessTopology : IAsyncLifetime
{
    /// <summary>A test value, base64 of 48 bytes (what <c>openssl rand -base64 48</c> prints); never a real deployment's key.</summary>
    public const string SigningKey = "q0jV3C2yMZ1lq3oLQb8m1yXgR0k8l6rFv3cA5sT9wXe2hN7pU4dK1zB6jY0fH2gE";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dialogue-tests", "topology-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _databaseName = "dialogue_test_topology_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<ServerProcess> _processes = [];

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>What `dialogue migrate` printed.</summary>
    public string MigrateOutput { get; private set; } = string.Empty;

    /// <summary>Per compose service: the process, its Dockerfile stage and the ports the process listens on.</summary>
    public Dictionary<string, (ServerProcess Process, string Target, Dictionary<string, int> Ports)> Services { get; } = new(StringComparer.Ordinal);

    public NginxProcess Nginx { get; private set; } = null!;

    public Uri Proxy => Nginx.Address;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var compose = ComposeFile.Load();
        var dockerfile = Dockerfile.Load();
        ConnectionString = await PostgresDatabase.CreateEmptyAsync(_databaseName);

        // The one-shot step: the silos start only after it succeeded (service_completed_successfully).
        var migrate = compose.BuiltServices().Single(s => s.Target == "cli");
        var (exit, output) = await RunCli(compose.Strings(migrate.Name, "command"), Local(compose, dockerfile, migrate.Name, migrate.Target, []));
        MigrateOutput = output;
        if (exit != 0)
        {
            throw new InvalidOperationException($"dialogue migrate exited with {exit}:\n{output}");
        }

        foreach (var (name, _) in compose.BuiltServices().Where(s => s.Target == "silo"))
        {
            var ports = new Dictionary<string, int>
            {
                ["Dialogue__SiloPort"] = Ports.Free(),
                ["Dialogue__GatewayPort"] = Ports.Free(),
                ["Dialogue__SiloHttpPort"] = Ports.Free(),
            };
            Start(name, "silo", ServerProcess.Silo(Local(compose, dockerfile, name, "silo", ports)), ports);
        }

        var silos = Services.Values.Where(s => s.Target == "silo").ToList();
        await silos[0].Process.WaitUntilAsync(async () => await ActiveSilos() == silos.Count, 90, "join the cluster with the other silo");

        foreach (var (name, _) in compose.BuiltServices().Where(s => s.Target == "gateway"))
        {
            var ports = new Dictionary<string, int> { ["ASPNETCORE_HTTP_PORTS"] = Ports.Free(), ["Dialogue__MetricsPort"] = Ports.Free() };
            var environment = Local(compose, dockerfile, name, "gateway", ports);

            // Kestrel on loopback only: URLS wins over the image's HTTP_PORTS, which the healthcheck still reads.
            environment.Remove("ASPNETCORE_HTTP_PORTS");
            environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports["ASPNETCORE_HTTP_PORTS"]}";
            Start(name, "gateway", ServerProcess.Gateway(environment), ports);
        }

        foreach (var (process, _, ports) in Services.Values.Where(s => s.Target == "gateway"))
        {
            await process.WaitHealthyAsync(new Uri($"http://127.0.0.1:{ports["ASPNETCORE_HTTP_PORTS"]}"), 90);
        }

        Nginx = NginxProcess.Start(
            File.ReadAllText(Path.Combine(DockerFiles.DockerDirectory, "nginx.conf")),
            Services.Where(s => s.Value.Target == "gateway").ToDictionary(s => s.Key, s => s.Value.Ports["ASPNETCORE_HTTP_PORTS"]),
            Path.Combine(_folder, "nginx"));
        await Nginx.WaitReadyAsync();
    }

    public async Task DisposeAsync()
    {
        Nginx?.Dispose();
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        if (ConnectionString.Length > 0)
        {
            await using var server = new NpgsqlConnection(PostgresDatabase.ServerConnectionString);
            await server.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public Task<long> ActiveSilos() => Membership.ActiveSilos(ConnectionString);

    private void Start(string name, string target, ServerProcess process, Dictionary<string, int> ports)
    {
        _processes.Add(process);
        Services[name] = (process, target, ports);
        process.Start();
    }

    /// <summary>
    /// The service's environment as compose would give it, made local: its stage's ENV, the service's own settings,
    /// then loopback instead of container names, free ports, a folder of its own, and test values for the secrets.
    /// Every interpolation compose resolves (${...}) must be replaced here, so a new one fails until it is handled.
    /// </summary>
    private Dictionary<string, string> Local(ComposeFile compose, Dockerfile dockerfile, string service, string target, Dictionary<string, int> ports)
    {
        var environment = new Dictionary<string, string>(dockerfile.Stage(target).Environment, StringComparer.Ordinal);
        foreach (var (key, value) in compose.Environment(service))
        {
            environment[key] = value;
        }

        var replaced = new Dictionary<string, string>
        {
            ["ConnectionStrings__Dialogue"] = ConnectionString,
            ["Dialogue__AdminKey"] = GatewayHost.AdminKey,
            ["Dialogue__SigningKey"] = SigningKey,
            ["Dialogue__AdvertisedHost"] = "127.0.0.1",
            ["Dialogue__KnownProxies__0"] = "127.0.0.1",
            ["Dialogue__DataDirectory"] = Path.Combine(_folder, service),
        };
        foreach (var (key, value) in replaced.Where(r => environment.ContainsKey(r.Key)))
        {
            environment[key] = value;
        }

        foreach (var (key, port) in ports)
        {
            environment[key] = port.ToString(CultureInfo.InvariantCulture);
        }

        if (environment.FirstOrDefault(e => e.Value.Contains("${", StringComparison.Ordinal)) is { Key: not null } left)
        {
            throw new InvalidOperationException($"{service}: {left.Key} is interpolated by compose ({left.Value}); give it a local value here.");
        }

        // The tests' own pace: many participants from one address, a cheap proof of work.
        environment["Dialogue__ParticipantProofBits"] = "8";
        environment["Dialogue__SubmissionsPerMinute"] = "1000";
        return environment;
    }

    private static async Task<(int ExitCode, string Output)> RunCli(List<string> args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Built("Cli", "dialogue.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dialogue migrate did not finish within 60 s.");
        }

        return (process.ExitCode, await output + await error);
    }

    private static string Built(string project, string assembly)
    {
        var here = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(DockerFiles.Root, "src", project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the {project} first.", path);
    }
}

/// <summary>
/// Debian's nginx (installed by ./test.sh) running the repository's docker/nginx.conf: a small main config of its own
/// (foreground, files in a temporary folder, an access log that names the upstream of each request) includes a copy
/// of that file in which only the upstream host:port pairs and the listen port are rewritten.
/// </summary>
public sealed class NginxProcess : IDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _folder;

    private NginxProcess(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    public string AccessLogPath => Path.Combine(_folder, "access.log");

    public static NginxProcess Start(string dialogueConfig, Dictionary<string, int> upstreams, string folder)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: ./test.sh installs Debian's nginx (apt-get install -y nginx).");
        }

        Directory.CreateDirectory(folder);
        var port = Ports.Free();
        var rewritten = DockerFiles.UpstreamServer().Replace(dialogueConfig, m =>
            upstreams.TryGetValue(m.Groups[1].Value, out var local)
                ? m.Value.Replace($"{m.Groups[1].Value}:{m.Groups[2].Value}", $"127.0.0.1:{local}", StringComparison.Ordinal)
                : throw new InvalidOperationException($"nginx.conf names the upstream {m.Groups[1].Value}, which is not a gateway of compose.yaml"));
        rewritten = DockerFiles.Listen().Replace(rewritten, $"    listen 127.0.0.1:{port};");
        File.WriteAllText(Path.Combine(folder, "dialogue.conf"), rewritten);

        // As root, nginx would hand the workers to `nobody`, who cannot write into this folder.
        var user = Environment.UserName == "root" ? "user root;" : string.Empty;
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
            {{user}}
            daemon off;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/dialogue.conf;
                log_format upstreams '$request_method $uri $status $upstream_addr key=$dialogue_bearer$arg_access_token';
                access_log {{folder}}/access.log upstreams;
            }
            """);

        var start = new ProcessStartInfo(Binary, ["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NginxProcess(process, folder, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Waits until nginx answers <c>/health</c> from a gateway.</summary>
    public Task WaitReadyAsync(int seconds = 30) => Health.WaitHealthyAsync(
        Address,
        TimeSpan.FromSeconds(seconds),
        () => _process.HasExited ? $"nginx exited with code {_process.ExitCode}:\n{ErrorLog()}" : null,
        () => $"nginx did not answer within {seconds} s:\n{ErrorLog()}");

    /// <summary>The access log's lines: method, path, status, upstream address and the hub's affinity key.</summary>
    public IReadOnlyList<string[]> AccessLog() =>
        File.Exists(AccessLogPath) ? File.ReadAllLines(AccessLogPath).Select(l => l.Split(' ')).ToList() : [];

    public string ErrorLog() => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : string.Empty;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
