using System.Security.Cryptography;
using System.Xml.Linq;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Lite;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The sealing of the shared Data Protection key ring under the signing key (the ring itself: ClusterLiteTests).</summary>
[Trait("Category", "unit")]
public sealed class SharedKeyRingTests
{
    private static readonly XElement Secret = XElement.Parse("<masterKey><value>c2VjcmV0LWtleS1tYXRlcmlhbA==</value></masterKey>");

    [Fact]
    public void A_sealed_key_opens_under_the_same_signing_key_and_holds_no_secret_in_clear()
    {
        var keys = Keys(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        var sealedKey = new SigningKeyXmlEncryptor(keys).Encrypt(Secret);

        Assert.Equal(typeof(SigningKeyXmlDecryptor), sealedKey.DecryptorType);
        Assert.DoesNotContain("c2VjcmV0", sealedKey.EncryptedElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(Secret.ToString(), SigningKeyXmlEncryptor.Open(keys, sealedKey.EncryptedElement).ToString());

        // A fresh nonce each time: the same key sealed twice reads differently.
        Assert.NotEqual(sealedKey.EncryptedElement.Value, new SigningKeyXmlEncryptor(keys).Encrypt(Secret).EncryptedElement.Value);
    }

    [Fact]
    public void Another_signing_key_a_changed_byte_or_a_bad_format_is_refused()
    {
        var keys = Keys(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        var sealedKey = new SigningKeyXmlEncryptor(keys).Encrypt(Secret).EncryptedElement;

        Assert.ThrowsAny<CryptographicException>(() => SigningKeyXmlEncryptor.Open(Keys(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))), sealedKey));

        var bytes = Convert.FromBase64String(sealedKey.Value);
        bytes[20] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => SigningKeyXmlEncryptor.Open(keys, new XElement(sealedKey.Name, new XAttribute("v", "1"), Convert.ToBase64String(bytes))));
        Assert.ThrowsAny<CryptographicException>(() => SigningKeyXmlEncryptor.Open(keys, new XElement(sealedKey.Name, new XAttribute("v", "2"), sealedKey.Value)));
        Assert.ThrowsAny<CryptographicException>(() => SigningKeyXmlEncryptor.Open(keys, new XElement(sealedKey.Name, new XAttribute("v", "1"), "not base64!")));
        Assert.ThrowsAny<CryptographicException>(() => SigningKeyXmlEncryptor.Open(keys, new XElement(sealedKey.Name, new XAttribute("v", "1"), "AAAA")));
    }

    private static GatewayKeys Keys(string signingKey) =>
        GatewayKeys.Load(new DialogueOptions { SigningKey = signingKey, AdminKey = TestGateway.AdminKey }, Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N")), _ => { });
}
