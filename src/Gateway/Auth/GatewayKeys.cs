using System.Security.Cryptography;
using System.Text;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// The admin (bootstrap) key and the key that signs tokens. Both are generated on the first start and
/// kept in the data directory, created readable by the server's user only (0600 in a 0700 folder), so
/// tokens survive restarts. A configured <c>Dialogue:AdminKey</c> wins over the stored one and must
/// carry at least 128 bits (<see cref="KeyStrength"/>, checked with the other options on start); a configured
/// <c>Dialogue:SigningKey</c> wins over <c>signing.key</c>, so gateways behind one proxy can share it without a shared folder.
/// </summary>
public sealed class GatewayKeys
{
    private GatewayKeys(string adminKey, byte[] signingKey)
    {
        AdminKey = adminKey;
        SigningKey = signingKey;
    }

    public string AdminKey { get; }

    public byte[] SigningKey { get; }

    public static GatewayKeys Load(DialogueOptions options, string dataDirectory, Action<string> announce)
    {
        // A configured key was checked with the other options (KeyStrength), before anything touched the disk.
        var admin = options.AdminKey;

        // Configured keys (containers: secrets in the environment) leave nothing to write: the data folder may be read-only.
        byte[] signing;
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            signing = DialogueOptions.SigningKeyBytes(options.SigningKey) ?? throw new InvalidOperationException("Dialogue:SigningKey is not base64 of at least 32 bytes.");
        }
        else
        {
            DataFolder.Ensure(dataDirectory);
            signing = Convert.FromBase64String(ReadOrCreate(Path.Combine(dataDirectory, "signing.key"), () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), out _));
        }

        if (string.IsNullOrWhiteSpace(admin))
        {
            DataFolder.Ensure(dataDirectory);
            admin = ReadOrCreate(Path.Combine(dataDirectory, "admin.key"), () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), out var created);
            if (created)
            {
                announce($"Generated admin key (shown once; stored in {Path.GetFullPath(Path.Combine(dataDirectory, "admin.key"))}): {admin}");
            }
        }

        return new GatewayKeys(admin, signing);
    }

    private static string ReadOrCreate(string path, Func<string> create, out bool created)
    {
        created = false;
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var value = create();
        var tmp = $"{path}.{Environment.ProcessId}.tmp";

        // Created with its final mode: there is no moment in which another user could open it.
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // No byte-order mark: operators copy the key out of the file.
        using (var writer = new StreamWriter(tmp, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), file))
        {
            writer.Write(value);
        }

        try
        {
            File.Move(tmp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another gateway on the same data folder won the race: use its key, so both sign alike.
            File.Delete(tmp);
            return File.ReadAllText(path).Trim();
        }

        created = true;
        return value;
    }

    public bool AdminKeyMatches(string? key) =>
        key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(AdminKey));
}
