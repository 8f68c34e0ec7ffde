using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Tests;

namespace OpenGov.Dialogue.Gateway.Tests.Cluster;

/// <summary>
/// A cluster as an operator runs it: standalone silo processes and gateway processes that are pure
/// Orleans clients (<c>Dialogue:CoHostSilo=false</c>), all on one fresh PostgreSQL database, each
/// configured only through environment variables, with fixed ports so a node restarts where it was.
/// </summary>
public sealed class ClusterRig : IAsyncDisposable
{
    private readonly PostgresDatabase _database = new();
    private PrivatePostgres? _server;
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));

    private ClusterRig()
    {
    }

    public List<Node> Silos { get; } = [];

    public List<Node> Gateways { get; } = [];

    public string ConnectionString => _server?.ConnectionString ?? _database.ConnectionString;

    /// <summary>The cluster's own PostgreSQL server, when it was started with one (to restart it).</summary>
    public PrivatePostgres? Server => _server;

    /// <param name="ownServer">A PostgreSQL server of this cluster's own, which the test may stop and start; else a fresh database on the shared test server.</param>
    /// <param name="separateHomes">Each node gets a home folder of its own (HOME), as containers have, instead of the user's.</param>
    public static async Task<ClusterRig> StartAsync(int silos, int gateways, Dictionary<string, string>? extra = null, bool ownServer = false, bool separateHomes = false)
    {
        var rig = new ClusterRig();
        try
        {
            if (ownServer)
            {
                rig._server = new PrivatePostgres();
                await rig._server.InitializeAsync();
                await OpenGov.Dialogue.Storage.Postgres.PostgresMigrations.ApplyAsync(rig._server.ConnectionString);
            }
            else
            {
                await rig._database.InitializeAsync();
            }
            for (var i = 0; i < silos; i++)
            {
                rig.Silos.Add(new Node(rig, $"silo{i + 1}", isGateway: false, extra, separateHomes));
            }

            foreach (var silo in rig.Silos)
            {
                silo.Start();
            }

            foreach (var silo in rig.Silos)
            {
                await silo.WaitReadyAsync();
            }

            // One after the other: the first gateway writes the shared token-signing key the others read.
            for (var i = 0; i < gateways; i++)
            {
                var gateway = new Node(rig, $"gateway{i + 1}", isGateway: true, extra, separateHomes);
                rig.Gateways.Add(gateway);
                gateway.Start();
                await gateway.WaitReadyAsync();
            }

            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>An admin token from the bootstrap key (no staff account exists in these clusters).</summary>
    public async Task<string> AdminToken()
    {
        using var http = new HttpClient { BaseAddress = Gateways.First(g => g.IsRunning).Http };
        return await StaffTokens.FromKeyAsync(http, GatewayHost.AdminKey, "admin", "Admin");
    }

    public async Task<string> ParticipantToken(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        return (await StaffTokens.ParticipantAsync(http)).Token;
    }

    public async Task<string> CreateConsultation(string admin, string title)
    {
        using var http = new HttpClient { BaseAddress = Gateways.First(g => g.IsRunning).Http };
        http.DefaultRequestHeaders.Authorization = new("Bearer", admin);
        using var created = await http.PostAsJsonAsync("/api/consultations", new { title, mode = "qa", moderation = "post" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Membership status of the silo on this Orleans port (3 = active, 6 = dead), or null when it has no row.</summary>
    public Task<int?> MembershipStatus(int siloPort) => Membership.LatestStatus(ConnectionString, siloPort);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Gateways.Concat(Silos))
        {
            node.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        else
        {
            await _database.DisposeAsync();
        }
        try
        {
            Directory.Delete(_keys, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>One silo or gateway process; restarting it starts a new process on the same ports.</summary>
    public sealed class Node : IDisposable
    {
        private const int SigTerm = 15;
        private const int SigCont = 18;
        private const int SigStop = 19;

        private readonly ClusterRig _rig;
        private readonly Dictionary<string, string> _environment;
        private ServerProcess? _process;

        internal Node(ClusterRig rig, string name, bool isGateway, Dictionary<string, string>? extra, bool separateHome = false)
        {
            _rig = rig;
            Name = name;
            IsGateway = isGateway;
            SiloPort = Ports.Free();
            GatewayPort = Ports.Free();
            Http = isGateway ? new Uri($"http://127.0.0.1:{Ports.Free()}") : null;
            _environment = new()
            {
                ["Dialogue__Storage"] = "postgres",
                ["ConnectionStrings__Dialogue"] = rig.ConnectionString,
                ["Dialogue__DataDirectory"] = rig._keys,
                ["Dialogue__AdminKey"] = GatewayHost.AdminKey,
                ["Dialogue__SubmissionsPerMinute"] = "1000",
                ["Dialogue__VotesPerMinute"] = "100000",
                ["Dialogue__ParticipantProofBits"] = "0",
                ["Dialogue__ParticipantTokensPerAddress"] = "1000000",
                ["Dialogue__AnonymousReadsPerMinute"] = "1000000",
                ["Dialogue__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture),
                ["Dialogue__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
            };
            if (isGateway)
            {
                _environment["Dialogue__CoHostSilo"] = "false";
                _environment["ASPNETCORE_URLS"] = Http!.ToString();
            }

            foreach (var (key, value) in extra ?? [])
            {
                _environment[key] = value;
            }

            if (separateHome)
            {
                Home = Path.Combine(rig._keys, "home-" + name);
                Directory.CreateDirectory(Home);
                _environment["HOME"] = Home;
            }
        }

        /// <summary>The node's own home folder, when it has one (<c>separateHomes</c>).</summary>
        public string? Home { get; }

        /// <summary>Empties the home folder, as a replaced container starts with a new one (the node must be stopped).</summary>
        public void ClearHome()
        {
            if (Home is not null)
            {
                Directory.Delete(Home, recursive: true);
                Directory.CreateDirectory(Home);
            }
        }

        public string Name { get; }

        public bool IsGateway { get; }

        /// <summary>Orleans silo-to-silo port (silos only).</summary>
        public int SiloPort { get; }

        /// <summary>Orleans client gateway port (silos only).</summary>
        public int GatewayPort { get; }

        /// <summary>HTTP address (gateways only).</summary>
        public Uri? Http { get; }

        public bool IsRunning => _process is { HasExited: false };

        public int? Pid => _process?.Pid;

        public string Output() => _process?.AllOutput() ?? string.Empty;

        public void Start()
        {
            _process?.Dispose();
            _process = IsGateway ? ServerProcess.Gateway(new(_environment)) : ServerProcess.Silo(new(_environment));
            _process.Start();
        }

        /// <summary>A gateway answers its health check; a silo is active in the membership table.</summary>
        public Task WaitReadyAsync(int seconds = 60) =>
            IsGateway
                ? _process!.WaitHealthyAsync(Http!, seconds)
                : _process!.WaitUntilAsync(async () => await _rig.MembershipStatus(SiloPort) == Membership.Active, seconds, "become active in the cluster");

        /// <summary>SIGKILL: no shutdown code runs.</summary>
        public Task KillAsync() => _process!.KillAsync();

        /// <summary>SIGTERM, as an orchestrator stops a container, then waits for the process to end by itself.</summary>
        public async Task<TimeSpan> StopGracefullyAsync(int seconds = 60)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            Signal(SigTerm);
            await _process!.WaitForExitAsync(TimeSpan.FromSeconds(seconds));
            return started.Elapsed;
        }

        /// <summary>SIGSTOP: the process stops answering without closing a socket, as in a network partition.</summary>
        public void Pause() => Signal(SigStop);

        public void Resume() => Signal(SigCont);

        public Task WaitForExitAsync(int seconds) => _process!.WaitForExitAsync(TimeSpan.FromSeconds(seconds));

        public void Dispose()
        {
            _process?.Dispose();
        }

        private void Signal(int signal)
        {
            if (_process?.Pid is { } pid && kill(pid, signal) != 0)
            {
                throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }
}
