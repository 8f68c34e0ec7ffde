using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Storage;
using OpenGov.Dialogue.Storage.Postgres;
using OpenGov.Dialogue.Storage.Sqlite;
using Orleans.Configuration;
using Polly.Contrib.WaitAndRetry;

namespace OpenGov.Dialogue.Silo;

public static class DialogueSiloHosting
{
    /// <summary>The ADO.NET providers pick the driver by this name (Npgsql's own factory).</summary>
    private const string PostgresInvariant = "Npgsql";

    private const int ClientConnectAttempts = 40;

    private static readonly TimeSpan MaxConnectDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads and validates the <c>Dialogue</c> options, prepares storage and adds an Orleans silo
    /// with its grain storage and journal. Used by the silo host and by the Gateway's embedded mode.
    /// </summary>
    public static DialogueHostOptions AddDialogueSilo(this IHostApplicationBuilder builder)
    {
        var (_, host) = builder.AddDialogueOptions();
        AddSilo(builder, host);
        return host;
    }

    /// <summary>
    /// What a Gateway runs on: a co-hosted silo (<c>Dialogue:CoHostSilo</c>, the default), or in a
    /// PostgreSQL cluster an Orleans client that finds the silos in the membership table.
    /// </summary>
    public static (DialogueOptions Options, DialogueHostOptions Host) AddDialogueBackend(this IHostApplicationBuilder builder)
    {
        var (options, host) = builder.AddDialogueOptions();
        if (host.CoHostSilo)
        {
            AddSilo(builder, host);
        }
        else
        {
            AddClient(builder, host);
        }

        return (options, host);
    }

    /// <summary>Binds the options once, validates them now (so a bad setting stops the start) and registers them.</summary>
    public static (DialogueOptions Options, DialogueHostOptions Host) AddDialogueOptions(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DialogueOptions.Section);
        var options = Validated(section.Get<DialogueOptions>() ?? new DialogueOptions());
        var host = section.Get<DialogueHostOptions>() ?? new DialogueHostOptions();
        host.ConnectionString ??= builder.Configuration.GetConnectionString("Dialogue");
        Validated(host);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(Options.Create(host));
        return (options, host);
    }

    private static T Validated<T>(T options)
        where T : class
    {
        var errors = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true)
            ? options
            : throw new OptionsValidationException(DialogueOptions.Section, typeof(T), errors.Select(e => $"Dialogue: {e.ErrorMessage}"));
    }

    private static void AddSilo(IHostApplicationBuilder builder, DialogueHostOptions options)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        var database = new SqliteDatabase(options.DataDirectory);
        builder.Services.AddHostedService(_ => new StorageSchema(options, database));
        builder.Services.AddSingleton<Consultations.RetentionJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Consultations.RetentionJob>());
        Channels.ChannelSending.AddChannelTransports(builder);
        if (options.Storage == "postgres")
        {
            AddPostgresJournal(builder, options);
        }
        else
        {
            builder.Services.AddSingleton(database);
            builder.Services.AddSingleton<IDialogueJournal>(sp =>
                new SqliteJournal(database, StorageRetry.Create(), sp.GetRequiredService<ILogger<SqliteJournal>>()));
            builder.Services.AddSingleton<IStorageScrubber>(_ => Coalesced(new SqliteScrubber(database), options));
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = options.ServiceId;
                o.ClusterId = options.ClusterId;
            });
            silo.AddIncomingGrainCallFilter<StorageFaultFilter>();
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(options.MembershipProbeSeconds);
                o.NumMissedProbesLimit = options.MembershipMissedProbes;
            });
            if (options.Storage == "postgres")
            {
                var advertised = ResolveAdvertisedAddress(options.AdvertisedHost);
                silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresInvariant;
                    o.ConnectionString = options.ConnectionString;
                });
                silo.AddAdoNetGrainStorage(StorageNames.Grains, o =>
                {
                    o.Invariant = PostgresInvariant;
                    o.ConnectionString = options.ConnectionString;
                    o.GrainStorageSerializer = new JsonGrainStorageSerializer();
                });
            }

            if (ClusterTls.Certificate(options) is { } certificate)
            {
                silo.UseTls(certificate, tls => ClusterTls.Configure(tls, certificate));
            }

            if (options.Storage != "postgres")
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddAdoNetGrainStorage(StorageNames.Grains, o =>
                {
                    // This invariant loads Microsoft.Data.Sqlite in Orleans 10.4 (docs/architecture.md, Orleans storage schemas).
                    o.Invariant = "System.Data.SQLite";
                    o.ConnectionString = database.GrainsConnectionString;
                    o.GrainStorageSerializer = new JsonGrainStorageSerializer();
                });
            }
        });
    }

    private static void AddClient(IHostApplicationBuilder builder, DialogueHostOptions options)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService(_ => new StorageSchema(options, sqlite: null));

        // The gateway reads the journal only for /health; the silos write it.
        AddPostgresJournal(builder, options);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = options.ServiceId;
                o.ClusterId = options.ClusterId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresInvariant;
                o.ConnectionString = options.ConnectionString;
            });

            // Read the membership table every few seconds (Orleans' default is a minute), so requests stop
            // going to a silo soon after the cluster declares it dead instead of waiting out their timeout.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(options.MembershipProbeSeconds / 2.0));
            if (ClusterTls.Certificate(options) is { } certificate)
            {
                client.UseTls(certificate, tls => ClusterTls.Configure(tls, certificate));
            }

            // Gateways and silos may start together, and a gateway may come up while the silos restart:
            // wait for a silo with jittered exponential backoff (Polly's decorrelated jitter, median first
            // delay 0.5 s, each at most 5 s, for about two minutes) so many gateways do not retry in step.
            var delays = Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromMilliseconds(500), ClientConnectAttempts)
                .Select(d => d < MaxConnectDelay ? d : MaxConnectDelay)
                .GetEnumerator();
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                if (!delays.MoveNext())
                {
                    return false;
                }

                await Task.Delay(delays.Current, cancellationToken);
                return true;
            });
        });
    }

    private static void AddPostgresJournal(IHostApplicationBuilder builder, DialogueHostOptions options)
    {
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(options.ConnectionString!));
        builder.Services.AddSingleton<IDialogueJournal>(sp => new PostgresJournal(
            sp.GetRequiredService<NpgsqlDataSource>(), StorageRetry.Create(PostgresJournal.IsTransient), sp.GetRequiredService<ILogger<PostgresJournal>>()));
        builder.Services.AddSingleton<IStorageScrubber>(sp => Coalesced(new PostgresScrubber(sp.GetRequiredService<NpgsqlDataSource>()), options));
    }

    /// <summary>The gap is about the machine's load, so it runs on the real clock whatever clock the grains are given.</summary>
    private static ScrubCoalescer Coalesced(IStorageScrubber scrubber, DialogueHostOptions options) =>
        new(scrubber, TimeSpan.FromSeconds(options.ScrubMinimumGapSeconds), TimeProvider.System);

    /// <summary>
    /// Where a monitoring port (<see cref="DialogueHostOptions.SiloHttpPort"/>, <see cref="DialogueHostOptions.MetricsPort"/>)
    /// listens: by the rule of the Orleans ports, loopback when the advertised address is loopback (the default),
    /// every IPv4 interface otherwise.
    /// </summary>
    public static IPEndPoint MonitoringEndpoint(DialogueHostOptions options, int port)
    {
        var advertised = ResolveAdvertisedAddress(options.AdvertisedHost);
        return new IPEndPoint(IPAddress.IsLoopback(advertised) ? advertised : IPAddress.Any, port);
    }

    private static IPAddress ResolveAdvertisedAddress(string host) =>
        IPAddress.TryParse(host, out var address)
            ? address
            : Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
              ?? throw new InvalidOperationException($"Dialogue:AdvertisedHost '{host}' has no IPv4 address.");
}
