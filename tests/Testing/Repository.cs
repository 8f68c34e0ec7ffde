namespace OpenGov.Dialogue.Testing;

/// <summary>The checkout the running tests were built from.</summary>
public static class Repository
{
    /// <summary>The folder holding OpenGov.Dialogue.sln above the running assembly, or null outside a checkout.</summary>
    public static string? Root { get; } = Find();

    /// <summary>The build configuration of the running assembly (Debug or Release), read from its output folder.</summary>
    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>A project's build output under src/, in the same configuration as the running assembly.</summary>
    public static string Built(string project, string assembly)
    {
        var path = Path.Combine(
            Root ?? throw new DirectoryNotFoundException("Repository root not found."),
            "src", project, "bin", Configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the {project} first.", path);
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenGov.Dialogue.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
