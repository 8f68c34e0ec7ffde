using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenGov.Dialogue.Storage.Postgres;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace OpenGov.Dialogue.Tests;

/// <summary>The project's own PostgreSQL schema: migrations, and the Orleans membership contract on it.</summary>
[Trait("Category", "postgres")]
public sealed class PostgresSchemaTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Migrations_applied_twice_change_nothing_the_second_time()
    {
        var connection = await PostgresDatabase.CreateEmptyAsync("dialogue_test_m" + Guid.NewGuid().ToString("N")[..12]);

        var first = await PostgresMigrations.ApplyAsync(connection);
        var tables = await Tables(connection);
        var second = await PostgresMigrations.ApplyAsync(connection);

        Assert.Equal((0, PostgresMigrations.LatestVersion), (first.VersionBefore, first.VersionAfter));
        Assert.Equal(PostgresMigrations.All.Select(m => m.Name), first.Applied);
        Assert.Empty(second.Applied);
        Assert.Equal(tables, await Tables(connection));
        Assert.Contains("orleansquery", tables);
    }

    [Fact]
    public async Task Migrations_run_at_once_from_several_sessions_apply_each_step_once()
    {
        var connection = await PostgresDatabase.CreateEmptyAsync("dialogue_test_c" + Guid.NewGuid().ToString("N")[..12]);

        var reports = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresMigrations.ApplyAsync(connection))));

        Assert.Single(reports, r => r.Applied.Count == PostgresMigrations.All.Count);
        Assert.Equal(5, reports.Count(r => r.Applied.Count == 0));
        Assert.Equal(PostgresMigrations.LatestVersion, await PostgresMigrations.CurrentVersionAsync(connection));
    }

    [Fact]
    public async Task A_silo_refuses_an_unmigrated_database_and_names_the_fix()
    {
        var connection = await PostgresDatabase.CreateEmptyAsync("dialogue_test_u" + Guid.NewGuid().ToString("N")[..12]);
        var silo = new TestSilo(settings: new() { ["Dialogue:Storage"] = "postgres", ["ConnectionStrings:Dialogue"] = connection });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(silo.StartHostAsync);
        Assert.Contains("dialogue migrate", error.Message, StringComparison.Ordinal);
        Assert.Contains("MigrateOnStart", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Membership_table_versions_changes_and_refuses_stale_ones()
    {
        await using var silo = await TestSilo.StartAsync(database.Settings);
        var self = Assert.Single((await silo.Services.GetRequiredService<IMembershipTable>().ReadAllAsync()).Members).Item1;

        // The provider on a cluster of its own in the same tables, so the running silo never
        // probes or votes on the rows this test writes.
        var table = (IMembershipTable)ActivatorUtilities.CreateInstance(
            silo.Services,
            typeof(AdoNetClusteringSiloOptions).Assembly.GetType("Orleans.Runtime.MembershipService.AdoNetClusteringTable", throwOnError: true)!,
            Options.Create(new ClusterOptions { ClusterId = "probe-" + Guid.NewGuid().ToString("N"), ServiceId = "probe" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = database.ConnectionString }));
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var version = (await table.ReadAllAsync()).Version;
        Assert.Equal(0, version.Version);

        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 40001, 7),
            SiloName = "probe",
            HostName = "probe-host",
            Status = SiloStatus.Joining,
            ProxyPort = 0,
            StartTime = DateTime.UtcNow,
            IAmAliveTime = DateTime.UtcNow,
        };
        var stale = new TableVersion(version.Version + 1, "41");
        Assert.False(await table.InsertRowAsync(entry, stale));
        Assert.True(await table.InsertRowAsync(entry, version.Next()));
        Assert.False(await table.InsertRowAsync(entry, version.Next()));

        var row = await table.ReadRowAsync(entry.SiloAddress);
        var (stored, etag) = Assert.Single(row.Members);
        Assert.Equal(("probe", "probe-host", 0), (stored.SiloName, stored.HostName, stored.ProxyPort));
        Assert.Equal(version.Version + 1, row.Version.Version);

        // The heartbeat changes the time only, never the version.
        entry.IAmAliveTime = DateTime.UtcNow.AddSeconds(5);
        await table.UpdateIAmAliveAsync(entry);
        Assert.Equal(row.Version.Version, (await table.ReadAllAsync()).Version.Version);

        entry.Status = SiloStatus.Dead;
        entry.SuspectTimes = [new(self.SiloAddress, DateTime.UtcNow)];
        Assert.True(await table.UpdateRowAsync(entry, etag, row.Version.Next()));
        Assert.False(await table.UpdateRowAsync(entry, etag, row.Version.Next()));

        var after = await table.ReadRowAsync(entry.SiloAddress);
        var dead = Assert.Single(after.Members).Item1;
        Assert.Equal(SiloStatus.Dead, dead.Status);
        Assert.Single(dead.SuspectTimes!);
        Assert.Equal(entry.IAmAliveTime, dead.IAmAliveTime, TimeSpan.FromMilliseconds(1));

        // Cleanup takes dead silos older than the cutoff, and leaves the live one.
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        var remaining = await table.ReadAllAsync();
        Assert.DoesNotContain(remaining.Members, m => m.Item1.SiloAddress.Equals(entry.SiloAddress));
        Assert.Equal(after.Version.Version, remaining.Version.Version);

        // The running silo's own cluster kept its live member.
        var live = await silo.Services.GetRequiredService<IMembershipTable>().ReadAllAsync();
        Assert.Contains(live.Members, m => m.Item1.SiloAddress.Equals(self.SiloAddress) && m.Item1.Status == SiloStatus.Active);
    }

    private static async Task<List<string>> Tables(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
