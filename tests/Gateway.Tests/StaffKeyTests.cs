using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Hosting;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The admin key and the signing key: strength, file modes, bootstrap-only use.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Category", "unit")]
public sealed class StaffKeyTests
{
    private static string TempFolder() => Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"), "data");

    [Theory]
    [InlineData("test-admin-key")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Gateway_refuses_to_start_with_a_configured_key_under_128_bits(string key)
    {
        var folder = TempFolder();
        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Create([], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dialogue:DataDirectory"] = folder,
                ["Dialogue:AdminKey"] = key,
                ["Dialogue:SiloPort"] = Ports.FreeText(),
                ["Dialogue:GatewayPort"] = Ports.FreeText(),
            })));
        Assert.Contains("Dialogue: AdminKey is too weak: it must carry at least 128 bits", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), "nothing is written before the options are valid");
    }

    [Theory]
    [InlineData("c2hvcnQga2V5")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==")]
    [InlineData("not base64, but long enough to pass for a key of 32 characters")]
    public void Gateway_refuses_to_start_with_a_configured_signing_key_that_is_not_base64_of_32_bytes(string key)
    {
        var folder = TempFolder();
        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Create([], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dialogue:DataDirectory"] = folder,
                ["Dialogue:SigningKey"] = key,
                ["Dialogue:SiloPort"] = Ports.FreeText(),
                ["Dialogue:GatewayPort"] = Ports.FreeText(),
            })));
        Assert.Contains("Dialogue: SigningKey must be base64 of at least 32 random bytes", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), "nothing is written before the options are valid");
    }

    /// <summary>Containers get both keys from secrets: the gateway uses them and writes nothing (its folder may be read-only).</summary>
    [Fact]
    public void Configured_keys_are_used_as_they_are_and_nothing_is_written()
    {
        var folder = TempFolder();
        var signing = Enumerable.Range(0, 48).Select(i => (byte)(i * 7)).ToArray();

        var keys = GatewayKeys.Load(new DialogueOptions { AdminKey = GatewayHost.AdminKey, SigningKey = Convert.ToBase64String(signing) }, folder, _ => { });

        Assert.Equal(signing, keys.SigningKey);
        Assert.Equal(GatewayHost.AdminKey, keys.AdminKey);
        Assert.False(Directory.Exists(folder));
    }

    [Theory]
    [InlineData("7f3c9a1e5b8d2f604c1a9e7b3d5f8a20", 128)]
    [InlineData("q3J9-x_Lr0ZtV8mYp2WcKb", 132)]
    [InlineData("Tr0ub4dor&3-horse!!X", 130)]
    public void Keys_count_bits_by_their_alphabet(string key, double bits)
    {
        Assert.Equal(bits, KeyStrength.Bits(key));
        Assert.Null(KeyStrength.Problem(key));
    }

    [Fact]
    public void Generated_keys_are_readable_by_the_owner_only_from_the_start()
    {
        var folder = TempFolder();
        try
        {
            var lines = new List<string>();
            var keys = GatewayKeys.Load(new DialogueOptions(), folder, lines.Add);

            Assert.Equal(DataFolder.OwnerOnly, File.GetUnixFileMode(folder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "admin.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "signing.key")));
            Assert.Null(KeyStrength.Problem(keys.AdminKey));
            Assert.Equal(keys.AdminKey, System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(folder, "admin.key"))));
            Assert.Contains(keys.AdminKey, Assert.Single(lines), StringComparison.Ordinal);

            // A second start reads the same keys and announces nothing.
            Assert.Equal(keys.AdminKey, GatewayKeys.Load(new DialogueOptions(), folder, lines.Add).AdminKey);
            Assert.Single(lines);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}

/// <summary>Before the first account the key serves every role; after it, tokens it gave moderators stop working too.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Category", "http")]
public sealed class BootstrapKeyTests(StaffAccountsHost host) : IClassFixture<StaffAccountsHost>
{
    [Fact]
    public async Task Moderator_key_tokens_stop_working_once_the_first_account_exists()
    {
        var id = await host.CreateConsultation();
        Assert.Equal(DataFolder.OwnerOnly, File.GetUnixFileMode(host.DataDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(host.DataDirectory, "signing.key")));
        using var moderator = host.Client(await host.StaffToken("moderator"));
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync($"/api/consultations/{id}/queue")).StatusCode);

        await host.Invite("first-admin", "Admin Pertama", "admin");

        var deadline = DateTime.UtcNow.AddSeconds(3);
        HttpStatusCode status;
        while ((status = (await moderator.GetAsync($"/api/consultations/{id}/queue")).StatusCode) == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        using var admin = host.Client(await host.StaffToken("admin"));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/consultations/{id}/queue")).StatusCode);
    }
}
