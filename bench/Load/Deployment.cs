using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using OpenGov.Dialogue.Storage.Postgres;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// What a scenario loads: one server process (the embedded default, or <c>--target</c>), or processes on a PostgreSQL
/// database of their own: silos and client-only gateways, or one gateway co-hosting its silo. Clients spread over the
/// gateways; memory and CPU are summed over every process (each one's own figures are kept as well).
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    private readonly List<(string Name, LoadServer Process)> _processes;
    /// <summary>The server and the database this deployment created, dropped at the end.</summary>
    private readonly (string Server, string Name)? _database;

    private Deployment(IReadOnlyList<DialogueApi> gateways, List<(string Name, LoadServer Process)> processes, (string Server, string Name)? database)
    {
        Gateways = gateways;
        _processes = processes;
        _database = database;
    }

    public IReadOnlyList<DialogueApi> Gateways { get; }

    public IReadOnlyList<(string Name, LoadServer Process)> Processes => _processes;

    /// <summary>The gateway client <paramref name="i"/> uses: spread evenly.</summary>
    public DialogueApi Gateway(int i) => Gateways[(int)((uint)i % (uint)Gateways.Count)];

    public double RssMiB() => _processes.Count == 0 ? double.NaN : _processes.Sum(p => p.Process.RssMiB());

    public TimeSpan CpuTime() => _processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Process.CpuTime());

    /// <summary>The embedded default (or --target): one process.</summary>
    public static async Task<Deployment> SingleAsync(LoadOptions options, Dictionary<string, string>? settings = null)
    {
        var (api, server) = await options.Server(settings);
        return new Deployment([api], server is null ? [] : [("gateway", server)], null);
    }

    /// <summary>
    /// A fresh database on <paramref name="server"/> with the schema applied, then <paramref name="silos"/> silos and
    /// <paramref name="gateways"/> client-only gateways; with no silos, the gateways co-host theirs. The gateways share a
    /// signing key made for this run, so a participant's token works on any of them.
    /// </summary>
    public static async Task<Deployment> PostgresAsync(string server, int silos, int gateways, Dictionary<string, string>? extra = null)
    {
        var name = "dialogue_load_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        await PostgresMigrations.ApplyAsync(database);
        var settings = new Dictionary<string, string>(extra ?? [])
        {
            ["Dialogue__Storage"] = "postgres",
            ["ConnectionStrings__Dialogue"] = database,
            ["Dialogue__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
        };

        var processes = new List<(string Name, LoadServer Process)>();
        var deployment = new Deployment([], processes, (server, name));
        try
        {
            for (var i = 1; i <= silos; i++)
            {
                processes.Add(($"silo{i}", await LoadServer.StartSiloAsync(settings)));
            }

            await WaitForSilos(database, silos, processes);
            var apis = new List<DialogueApi>();
            for (var i = 1; i <= gateways; i++)
            {
                var gateway = await LoadServer.StartAsync(new(settings) { ["Dialogue__CoHostSilo"] = silos > 0 ? "false" : "true" });
                processes.Add((silos > 0 ? $"gateway{i}" : "gateway+silo", gateway));
                apis.Add(new DialogueApi(gateway.Address, LoadServer.AdminKey));
            }

            return new Deployment(apis, processes, deployment._database);
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var api in Gateways)
        {
            api.Dispose();
        }

        foreach (var (_, process) in _processes)
        {
            await process.DisposeAsync();
        }

        if (_database is { } database)
        {
            await using var connection = new NpgsqlConnection(database.Server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database.Name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Until every silo is active in the membership table (90 s at most).</summary>
    private static async Task WaitForSilos(string database, int silos, List<(string Name, LoadServer Process)> processes)
    {
        if (silos == 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (processes.FirstOrDefault(p => p.Process.HasExited) is { Name: not null } exited)
            {
                throw new InvalidOperationException($"{exited.Name} exited before it joined the cluster.");
            }

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM orleans_membership WHERE status = 3", connection);
            if ((long)(await count.ExecuteScalarAsync())! == silos)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{silos} silos did not become active within 90 s.");
    }
}
