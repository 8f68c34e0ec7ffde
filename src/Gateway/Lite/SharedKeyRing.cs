using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Npgsql;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Lite;

/// <summary>
/// The Data Protection key ring of a PostgreSQL deployment, in the database every gateway shares
/// (<c>dialogue_data_protection_keys</c>, one row per key and ServiceId): a form drawn by one gateway posts to
/// another, and a gateway whose container was replaced still accepts the forms it drew. Data Protection reads
/// and writes it rarely (at start, on a key it does not know, when it makes a key), so the calls are synchronous.
/// </summary>
public sealed class PostgresKeyRing(string connectionString, string serviceId) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("SELECT xml FROM dialogue_data_protection_keys WHERE service_id = @service ORDER BY created_at, friendly_name", connection);
        command.Parameters.AddWithValue("service", serviceId);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand(
            "INSERT INTO dialogue_data_protection_keys (service_id, friendly_name, xml) VALUES (@service, @name, @xml) ON CONFLICT DO NOTHING", connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Makes the ring's first key unless it has one, under an advisory lock: gateways that start together would
    /// each make an immediately active key of their own, and a form drawn by one would be refused by the others
    /// until they next read the ring. Later keys are made two days before they are used, so every gateway reads
    /// them in time; Data Protection does that by itself.
    /// </summary>
    public void EnsureFirstKey(IKeyManager keys, DateTimeOffset now)
    {
        using var connection = Open();
        using var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('dialogue_data_protection_keys:' || @service))", connection);
        lockCommand.Parameters.AddWithValue("service", serviceId);
        lockCommand.ExecuteNonQuery();
        try
        {
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
            {
                keys.CreateNewKey(now, now.AddDays(90));
            }
        }
        finally
        {
            using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext('dialogue_data_protection_keys:' || @service))", connection);
            unlock.Parameters.AddWithValue("service", serviceId);
            unlock.ExecuteNonQuery();
        }
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }
}

/// <summary>
/// Encrypts each key of the shared ring at rest with AES-GCM under a key derived from the gateways' signing key,
/// which the database does not hold: a copy of the table alone cannot forge or read anti-forgery tokens.
/// </summary>
public sealed class SigningKeyXmlEncryptor(GatewayKeys keys) : IXmlEncryptor
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(RingKey(keys), TagBytes))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length));
        }

        return new EncryptedXmlInfo(new XElement("sealedKey", new XAttribute("v", "1"), Convert.ToBase64String(sealedBytes)), typeof(SigningKeyXmlDecryptor));
    }

    /// <summary>The ring's own key: HMAC-SHA256 of a fixed label under the signing key, as the join codes derive theirs.</summary>
    internal static byte[] RingKey(GatewayKeys keys) => HMACSHA256.HashData(keys.SigningKey, "data-protection-key-ring"u8);

    internal static XElement Open(GatewayKeys keys, XElement sealedElement)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(sealedElement.Value);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("A key of the shared key ring is not base64.", e);
        }

        if ((string?)sealedElement.Attribute("v") != "1" || sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("A key of the shared key ring has an unknown format.");
        }

        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        using (var aes = new AesGcm(RingKey(keys), TagBytes))
        {
            // Throws when the key was sealed under another signing key: the gateways must share Dialogue:SigningKey.
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plain);
        }

        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
    }
}

/// <summary>Opens what <see cref="SigningKeyXmlEncryptor"/> sealed; Data Protection makes it by type name with the services.</summary>
public sealed class SigningKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => SigningKeyXmlEncryptor.Open(services.GetRequiredService<GatewayKeys>(), encryptedElement);
}

/// <summary>
/// Makes the shared ring's first key before the gateway takes requests (<see cref="PostgresKeyRing.EnsureFirstKey"/>).
/// With the database unreachable the gateway still starts: Data Protection makes the key on first use, as it would
/// without this step, and the rest of the gateway reports the database through /health/ready.
/// </summary>
public sealed class SharedKeyRingStart(PostgresKeyRing ring, IKeyManager keys, TimeProvider clock, ILogger<SharedKeyRingStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Run(() => ring.EnsureFirstKey(keys, clock.GetUtcNow()), cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(e, "The shared Data Protection key ring could not be read at start; its first key will be made on first use.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class SharedKeyRingSetup
{
    /// <summary>Keeps the key ring in the PostgreSQL database, each key sealed under the signing key.</summary>
    public static IDataProtectionBuilder PersistKeysToPostgres(this IDataProtectionBuilder dataProtection, string connectionString, string serviceId)
    {
        var ring = new PostgresKeyRing(connectionString, serviceId);
        dataProtection.Services.AddSingleton(ring);
        dataProtection.Services.AddOptions<KeyManagementOptions>().Configure<GatewayKeys>((o, keys) =>
        {
            o.XmlRepository = ring;
            o.XmlEncryptor = new SigningKeyXmlEncryptor(keys);
        });
        dataProtection.Services.AddHostedService<SharedKeyRingStart>();
        return dataProtection;
    }
}
