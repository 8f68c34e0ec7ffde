using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The files under docker/ as data: the Dockerfile's stages, the compose services, the nginx config.</summary>
public static partial class DockerFiles
{
    public static string Root { get; } = FindRoot();

    public static string DockerDirectory => Path.Combine(Root, "docker");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGov.Dialogue.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("Repository root not found.");
    }

    [GeneratedRegex(@"^\s*server\s+([A-Za-z0-9_.-]+):(\d+)\s*;", RegexOptions.Multiline)]
    public static partial Regex UpstreamServer();

    [GeneratedRegex(@"^\s*listen\s+(?:[0-9.]+:)?(\d+)\s*;", RegexOptions.Multiline)]
    public static partial Regex Listen();
}

/// <summary>One build stage: its base image, and the instructions these tests look at.</summary>
public sealed record DockerStage(string Name, string From)
{
    public List<DockerCopy> Copies { get; } = [];

    public List<int> Exposed { get; } = [];

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public List<string> Runs { get; } = [];

    public string? User { get; set; }

    /// <summary>The HEALTHCHECK command in exec form, or null.</summary>
    public string[]? Healthcheck { get; set; }
}

/// <summary>A COPY: its sources (relative to the build context, or to the stage named by --from) and where it runs among the stage's RUNs.</summary>
public sealed record DockerCopy(string? FromStage, IReadOnlyList<string> Sources, string Destination, int RunsBefore);

/// <summary>
/// Just enough of the Dockerfile syntax for these checks: line continuations, comments, FROM … AS, COPY
/// (with --from), EXPOSE, ENV (both forms), USER, RUN and an exec-form HEALTHCHECK CMD.
/// </summary>
public sealed class Dockerfile
{
    private Dockerfile(List<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new InvalidOperationException($"The Dockerfile has no stage '{name}'.");

    public static Dockerfile Parse(string text)
    {
        var stages = new List<DockerStage>();
        foreach (var instruction in Instructions(text))
        {
            var space = instruction.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
            var rest = space < 0 ? string.Empty : instruction[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stages.Add(new DockerStage(parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : $"#{stages.Count}", parts[0]));
                continue;
            }

            var stage = stages.LastOrDefault() ?? throw new FormatException($"'{keyword}' before the first FROM.");
            switch (keyword)
            {
                case "COPY":
                    var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                    var from = words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
                    words.RemoveAll(w => w.StartsWith("--", StringComparison.Ordinal));
                    stage.Copies.Add(new DockerCopy(from, words[..^1], words[^1], stage.Runs.Count));
                    break;
                case "EXPOSE":
                    stage.Exposed.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case "ENV":
                    foreach (var (key, value) in EnvPairs(rest))
                    {
                        stage.Environment[key] = value;
                    }

                    break;
                case "USER":
                    stage.User = rest;
                    break;
                case "RUN":
                    stage.Runs.Add(rest);
                    break;
                case "HEALTHCHECK":
                    var cmd = rest.IndexOf("CMD ", StringComparison.Ordinal);
                    stage.Healthcheck = cmd < 0 ? null : JsonSerializer.Deserialize<string[]>(rest[(cmd + 4)..]);
                    break;
            }
        }

        return new Dockerfile(stages);
    }

    public static Dockerfile Load() => Parse(File.ReadAllText(Path.Combine(DockerFiles.DockerDirectory, "Dockerfile")));

    /// <summary>Instructions with their continuation lines joined and comments left out.</summary>
    private static IEnumerable<string> Instructions(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1]).Append(' ');
                continue;
            }

            current.Append(line);
            var instruction = current.ToString().Trim();
            current.Clear();
            if (instruction.Length > 0)
            {
                yield return instruction;
            }
        }
    }

    /// <summary>ENV a=b c="d e", or the old form ENV a b.</summary>
    private static IEnumerable<(string Key, string Value)> EnvPairs(string rest)
    {
        if (!rest.Split(' ', 2)[0].Contains('=', StringComparison.Ordinal))
        {
            var parts = rest.Split(' ', 2);
            yield return (parts[0], parts.Length > 1 ? parts[1].Trim() : string.Empty);
            yield break;
        }

        foreach (Match pair in Regex.Matches(rest, "([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)"))
        {
            yield return (pair.Groups[1].Value, pair.Groups[2].Value.Trim('"'));
        }
    }
}

/// <summary>docker/compose.yaml with its anchors and merge keys resolved, as nested dictionaries and lists.</summary>
public sealed class ComposeFile
{
    private ComposeFile(Dictionary<object, object?> root) => Root = root;

    public Dictionary<object, object?> Root { get; }

    public Dictionary<object, object?> Services => Map(Root, "services") ?? throw new InvalidOperationException("compose.yaml has no services.");

    public static ComposeFile Parse(string yaml)
    {
        using var reader = new StringReader(yaml);
        var parser = new MergingParser(new Parser(reader));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(parser);
        return new ComposeFile(root);
    }

    public static ComposeFile Load() => Parse(File.ReadAllText(Path.Combine(DockerFiles.DockerDirectory, "compose.yaml")));

    public Dictionary<object, object?> Service(string name) =>
        Map(Services, name) ?? throw new InvalidOperationException($"compose.yaml has no service '{name}'.");

    /// <summary>The services built from the Dockerfile, with their build target.</summary>
    public IEnumerable<(string Name, string Target)> BuiltServices() =>
        Services.Keys.Cast<string>()
            .Select(name => (Name: name, Build: Map(Service(name), "build")))
            .Where(s => s.Build is not null)
            .Select(s => (s.Name, (string?)s.Build!.GetValueOrDefault("target") ?? throw new InvalidOperationException($"Service '{s.Name}' builds without a target.")));

    /// <summary>A service's environment (mapping or KEY=VALUE list), values as written (interpolations unresolved).</summary>
    public Dictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Service(service).GetValueOrDefault("environment"))
        {
            case Dictionary<object, object?> map:
                foreach (var (key, value) in map)
                {
                    result[(string)key] = value?.ToString() ?? string.Empty;
                }

                break;
            case List<object?> list:
                foreach (var item in list.Select(i => i?.ToString() ?? string.Empty))
                {
                    var eq = item.IndexOf('=', StringComparison.Ordinal);
                    result[eq < 0 ? item : item[..eq]] = eq < 0 ? string.Empty : item[(eq + 1)..];
                }

                break;
        }

        return result;
    }

    public List<string> Strings(string service, string key) =>
        (Service(service).GetValueOrDefault(key) as List<object?> ?? []).Select(v => v?.ToString() ?? string.Empty).ToList();

    public static Dictionary<object, object?>? Map(Dictionary<object, object?> parent, string key) =>
        parent.GetValueOrDefault(key) as Dictionary<object, object?>;
}
