using OpenGov.Dialogue.Tests;

namespace OpenGov.Dialogue.Gateway.Tests;

// One behavioural suite, two storages: the HTTP, SignalR and SIGKILL specs run on the embedded
// SQLite default and on PostgreSQL (a database of its own per test class).

[Trait("Category", "http")]
public sealed class SqliteRestApiTests(GatewayHost host) : RestApiTests(host), IClassFixture<GatewayHost>;

[Trait("Category", "postgres")]
public sealed class PostgresRestApiTests(PostgresGatewayHost host) : RestApiTests(host), IClassFixture<PostgresGatewayHost>;

[Trait("Category", "http")]
public sealed class SqliteLiveHubTests(GatewayHost host) : LiveHubTests(host), IClassFixture<GatewayHost>;

[Trait("Category", "postgres")]
public sealed class PostgresLiveHubTests(PostgresGatewayHost host) : LiveHubTests(host), IClassFixture<PostgresGatewayHost>;

[Trait("Category", "http")]
public sealed class SqliteModerationApiTests(GatewayHost host) : ModerationApiTests(host), IClassFixture<GatewayHost>;

[Trait("Category", "postgres")]
public sealed class PostgresModerationApiTests(PostgresGatewayHost host) : ModerationApiTests(host), IClassFixture<PostgresGatewayHost>;

[Trait("Category", "cluster")]
public sealed class SqliteDurabilityTests : DurabilityTests
{
    protected override Dictionary<string, string> StorageEnvironment => [];
}

[Trait("Category", "cluster")]
public sealed class PostgresDurabilityTests(PostgresDatabase database) : DurabilityTests, IClassFixture<PostgresDatabase>
{
    protected override Dictionary<string, string> StorageEnvironment => new()
    {
        ["Dialogue__Storage"] = "postgres",
        ["ConnectionStrings__Dialogue"] = database.ConnectionString,
    };
}

[Trait("Category", "http")]
public sealed class SqlitePublicRecordTests(GatewayHost host) : PublicRecordTests(host), IClassFixture<GatewayHost>;

[Trait("Category", "postgres")]
public sealed class PostgresPublicRecordTests(PostgresGatewayHost host) : PublicRecordTests(host), IClassFixture<PostgresGatewayHost>;

[Trait("Category", "http")]
public sealed class SqliteDataRightsTests(GatewayHost host) : DataRightsTests(host), IClassFixture<GatewayHost>;

[Trait("Category", "postgres")]
public sealed class PostgresDataRightsTests(PostgresGatewayHost host) : DataRightsTests(host), IClassFixture<PostgresGatewayHost>;

/// <summary>A gateway with small per-address budgets for anonymous identities and expensive anonymous reads.</summary>
public sealed class AnonymousLimitsGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:SubmissionsPerMinute"] = "1000",
        ["Dialogue:StaffLoginsPerMinute"] = "100000",
        ["Dialogue:ParticipantTokensPerAddress"] = "5",
        ["Dialogue:AnonymousReadsPerMinute"] = "3",
    };
}

[Trait("Category", "http")]
public sealed class SqliteSegmentsApiTests(GatewayHost host) : SegmentsApiTests(host), IClassFixture<GatewayHost>;

[Trait("Category", "postgres")]
public sealed class PostgresSegmentsApiTests(PostgresGatewayHost host) : SegmentsApiTests(host), IClassFixture<PostgresGatewayHost>;
