using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Silo;

namespace OpenGov.Dialogue.Tests;

/// <summary>With a cluster certificate the Orleans gateway port speaks mutual TLS: a client with the certificate is served, one without is not.</summary>
[Trait("Category", "cluster")]
public sealed class ClusterTlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dialogue-tls-").FullName;

    [Fact]
    public async Task Only_a_client_with_the_cluster_certificate_reaches_the_grains()
    {
        var certificatePath = Path.Combine(_directory, "cluster.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=opengov-dialogue-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(certificatePath, created.Export(X509ContentType.Pfx, "test-password"));
        }

        var gatewayPort = Ports.Free();
        await using var silo = await TestSilo.StartAsync(new()
        {
            ["Dialogue:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dialogue:ClusterCertificatePath"] = certificatePath,
            ["Dialogue:ClusterCertificatePassword"] = "test-password",
        });
        var options = new DialogueHostOptions { ClusterCertificatePath = certificatePath, ClusterCertificatePassword = "test-password" };

        using (var trusted = await Client(gatewayPort, ClusterTls.Certificate(options)))
        {
            var grains = trusted.Services.GetRequiredService<IClusterClient>();
            Assert.NotNull(await grains.GetGrain<IConsultationDirectoryGrain>(0).List());
        }

        // Plain TCP to the TLS port: the client never gets a connection to the gateway.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var plain = await Client(gatewayPort, null);
            await plain.Services.GetRequiredService<IClusterClient>().GetGrain<IConsultationDirectoryGrain>(0).List();
        });

        // TLS with another certificate (the client trusts the cluster's, but shows its own): the silo refuses it.
        using var otherKey = RSA.Create(2048);
        using var other = new CertificateRequest("CN=someone-else", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var otherWithKey = X509CertificateLoader.LoadPkcs12(other.Export(X509ContentType.Pfx, "x"), "x");
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var stranger = await Client(gatewayPort, otherWithKey, pinned: ClusterTls.Certificate(options));
            await stranger.Services.GetRequiredService<IClusterClient>().GetGrain<IConsultationDirectoryGrain>(0).List();
        });
    }

    private static async Task<IHost> Client(int gatewayPort, X509Certificate2? certificate, X509Certificate2? pinned = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(gatewayPort, serviceId: "opengov-dialogue", clusterId: "dialogue");
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            if (certificate is not null)
            {
                client.UseTls(certificate, tls => ClusterTls.Configure(tls, pinned ?? certificate));
            }
        });
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StartAsync(timeout.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
