namespace OpenGov.Dialogue;

/// <summary>The data directory holds the keys and the embedded database: readable by the server's user only.</summary>
public static class DataFolder
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the folder (and missing parents) with mode 0700 from the start, so there is no moment in
    /// which others could read it. An existing folder keeps the mode its operator gave it.
    /// </summary>
    public static void Ensure(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }
    }
}
