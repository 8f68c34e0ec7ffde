using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>
/// The web UI's TypeScript types (src/Gateway/WebUi/src/lib/types.ts) are written by hand after the
/// server's C# records. This checks them against the gateway's own OpenAPI document (/openapi/v1.json):
/// every exported interface maps to a schema of the same name (or the one in <see cref="SchemaFor"/>),
/// or is listed in <see cref="NotInDocument"/> with the reason; property names must match both ways,
/// and a property the schema requires must not be optional (<c>?</c>) in TypeScript. The reverse is
/// allowed: the document marks a record parameter with a default value as not required, although the
/// server writes it.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class TypesContractTests(WebUiHost host)
{
    /// <summary>Interfaces whose schema has another name in the document.</summary>
    public static readonly IReadOnlyDictionary<string, string> SchemaFor = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // The hub method Items returns ItemPage; REST returns the same shape as ItemsResponse.
        ["ItemPage"] = "ItemsResponse",
        ["MySegments"] = "MySegmentsResponse",
    };

    /// <summary>Interfaces the document cannot describe, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotInDocument = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["JoinResponse"] = "returned by the hub method Join only (SignalR is not in the OpenAPI document)",
        ["ExportDocument"] = "the open-data export writes its JSON file itself (GET /api/consultations/{id}/export)",
        ["ExportItem"] = "part of the export file",
        ["ExportVote"] = "part of the export file",
        ["ExportLogSummary"] = "part of the export file",
    };

    [Fact]
    public async Task Types_ts_matches_the_gateway_openapi_document()
    {
        using var client = host.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var interfaces = TypeScriptInterfaces.Parse(await File.ReadAllTextAsync(TypesPath()));

        Assert.True(interfaces.Count >= 40, $"only {interfaces.Count} interfaces were read from types.ts: has its layout changed?");
        var problems = Compare(interfaces, document.RootElement);
        Assert.True(problems.Count == 0, $"types.ts and /openapi/v1.json disagree ({problems.Count}):\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task A_mismatch_is_reported_property_by_property()
    {
        using var client = host.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        const string source = """
            export interface VoteTally {
              up: number;
              agree?: number;
              disagree: number;
              /** Not on the server. */
              veto: number;
            }

            export interface NoSuchRecord {
              id: string;
            }
            """;

        var problems = Compare(TypeScriptInterfaces.Parse(source), document.RootElement);

        Assert.Equal(
            [
                "VoteTally.veto: the schema VoteTally has no such property",
                "VoteTally.pass: in the schema VoteTally, missing from the interface",
                "VoteTally.agree: the schema VoteTally requires it, the interface marks it optional (?)",
                "NoSuchRecord: no schema NoSuchRecord in the document (map it in SchemaFor or list it in NotInDocument)",
            ],
            problems);
    }

    public static List<string> Compare(IReadOnlyDictionary<string, IReadOnlyList<TypeScriptProperty>> interfaces, JsonElement openApi)
    {
        var schemas = openApi.GetProperty("components").GetProperty("schemas");
        var problems = new List<string>();
        foreach (var (name, properties) in interfaces)
        {
            if (NotInDocument.ContainsKey(name))
            {
                if (schemas.TryGetProperty(name, out _))
                {
                    problems.Add($"{name}: now in the document; remove it from NotInDocument so that it is checked");
                }

                continue;
            }

            var schemaName = SchemaFor.GetValueOrDefault(name, name);
            if (!schemas.TryGetProperty(schemaName, out var schema))
            {
                problems.Add($"{name}: no schema {schemaName} in the document (map it in SchemaFor or list it in NotInDocument)");
                continue;
            }

            var schemaProperties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(x => x.Name).ToList() : [];
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
            var declared = properties.Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(properties.Where(x => !schemaProperties.Contains(x.Name)).Select(x => $"{name}.{x.Name}: the schema {schemaName} has no such property"));
            problems.AddRange(schemaProperties.Where(x => !declared.Contains(x)).Select(x => $"{name}.{x}: in the schema {schemaName}, missing from the interface"));
            problems.AddRange(properties.Where(x => x.Optional && required.Contains(x.Name)).Select(x => $"{name}.{x.Name}: the schema {schemaName} requires it, the interface marks it optional (?)"));
        }

        return problems;
    }

    private static string TypesPath() => Path.Combine(WebUiHost.RepositoryRoot(), "src", "Gateway", "WebUi", "src", "lib", "types.ts");
}

public sealed record TypeScriptProperty(string Name, bool Optional);

/// <summary>
/// Reads the exported interfaces of a TypeScript file written in this project's style: "export interface
/// Name {", one property per line indented by two spaces ("name: type;" or "name?: type;"), "}" alone
/// on a line. Comments and nested lines are skipped.
/// </summary>
public static partial class TypeScriptInterfaces
{
    public static IReadOnlyDictionary<string, IReadOnlyList<TypeScriptProperty>> Parse(string source)
    {
        var result = new Dictionary<string, IReadOnlyList<TypeScriptProperty>>(StringComparer.Ordinal);
        string? current = null;
        var properties = new List<TypeScriptProperty>();
        foreach (var line in source.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (current is null)
            {
                var start = InterfaceStart().Match(line);
                if (start.Success)
                {
                    current = start.Groups["name"].Value;
                    properties = [];
                }
            }
            else if (line == "}")
            {
                result[current] = properties;
                current = null;
            }
            else if (Property().Match(line) is { Success: true } property)
            {
                properties.Add(new TypeScriptProperty(property.Groups["name"].Value, property.Groups["optional"].Success));
            }
        }

        return result;
    }

    [GeneratedRegex(@"^\s*export interface (?<name>\w+)\s*\{\s*$")]
    private static partial Regex InterfaceStart();

    [GeneratedRegex(@"^  (?<name>\w+)(?<optional>\?)?:")]
    private static partial Regex Property();
}
