using System.Security.Cryptography;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// The admin key staff exchange for tokens, and the key that signs tokens. Both are generated on
/// the first start and kept in the data directory (readable by the server's user only), so tokens
/// survive restarts. A configured <c>Dialogue:AdminKey</c> wins over the stored one.
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

    public static GatewayKeys Load(DialogueOptions options, Action<string> announce)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var signing = ReadOrCreate(Path.Combine(options.DataDirectory, "signing.key"), () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), out _);
        var admin = options.AdminKey;
        if (string.IsNullOrWhiteSpace(admin))
        {
            admin = ReadOrCreate(Path.Combine(options.DataDirectory, "admin.key"), () => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), out var created);
            if (created)
            {
                announce($"Generated admin key (shown once; stored in {Path.GetFullPath(Path.Combine(options.DataDirectory, "admin.key"))}): {admin}");
            }
        }

        return new GatewayKeys(admin, Convert.FromBase64String(signing));
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
        File.WriteAllText(tmp, value);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
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
        key is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(AdminKey));
}
