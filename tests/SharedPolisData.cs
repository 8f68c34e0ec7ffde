namespace OpenGov.Dialogue.Tests;

/// <summary>
/// The shared Pol.is folders, outside the repository (never copied into it). Found through the variable
/// ./test.sh sets (DIALOGUE_SHARED_DATA), then ../shared/data beside the checkout, then the machines'
/// fixed place, so a clone elsewhere (a CI checkout in a temporary folder) finds them too.
/// </summary>
internal static class SharedPolisData
{
    private static readonly Lazy<string> RootPath = new(Find);

    public static string Root => RootPath.Value;

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGov.Dialogue.sln")))
        {
            dir = dir.Parent;
        }

        string[] candidates =
        [
            Environment.GetEnvironmentVariable("DIALOGUE_SHARED_DATA") is { Length: > 0 } data ? Path.Combine(data, "polis") : string.Empty,
            dir is null ? string.Empty : Path.Combine(dir.FullName, "..", "shared", "data", "polis"),
            "/work/shared/data/polis",
        ];
        return candidates.Where(c => c.Length > 0).Select(Path.GetFullPath).FirstOrDefault(Directory.Exists)
            ?? throw new DirectoryNotFoundException($"The shared Pol.is data was not found ({string.Join(", ", candidates.Where(c => c.Length > 0))}); set DIALOGUE_SHARED_DATA to the shared data folder.");
    }
}
