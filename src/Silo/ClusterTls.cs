using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OpenGov.Dialogue.Silo;

/// <summary>
/// TLS between silos and between gateways and silos (the Orleans ports), when
/// <c>Dialogue:ClusterCertificatePath</c> names a PKCS#12 file. Every process of the deployment holds the same
/// certificate and accepts only a peer that shows it (mutual TLS pinned to the thumbprint), so a host on the
/// private network that lacks the file can neither join the cluster nor call grains.
/// </summary>
public static class ClusterTls
{
    public static X509Certificate2? Certificate(DialogueHostOptions options) =>
        string.IsNullOrWhiteSpace(options.ClusterCertificatePath)
            ? null
            : X509CertificateLoader.LoadPkcs12FromFile(options.ClusterCertificatePath, options.ClusterCertificatePassword);

    public static void Configure(TlsOptions tls, X509Certificate2 certificate)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) =>
            remote is not null && string.Equals(remote.Thumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase);
    }
}
