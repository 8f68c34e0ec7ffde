using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenGov.Dialogue.OpenData.Tests;

/// <summary>
/// A small validator for the parts of the Frictionless Data Package / Table Schema specs the export
/// uses: package-level required properties, CSV header vs schema, field types, required constraints,
/// primary keys and foreign keys. It has its own CSV reader so it does not trust the code under test.
/// </summary>
internal static partial class FrictionlessValidator
{
    public static IReadOnlyList<string> Validate(string dataPackageJson, IReadOnlyDictionary<string, string> files)
    {
        var errors = new List<string>();
        using var document = JsonDocument.Parse(dataPackageJson);
        var package = document.RootElement;

        if (!package.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || !NamePattern().IsMatch(name.GetString()!))
        {
            errors.Add("package: name missing or not lowercase [a-z0-9._-]");
        }

        if (package.TryGetProperty("profile", out var profile) && profile.GetString() != "tabular-data-package")
        {
            errors.Add($"package: profile '{profile}' is not tabular-data-package");
        }

        if (package.TryGetProperty("licenses", out var licenses))
        {
            foreach (var licence in licenses.EnumerateArray())
            {
                if (!licence.TryGetProperty("name", out _) && !licence.TryGetProperty("path", out _))
                {
                    errors.Add("package: a licence needs a name or a path");
                }
            }
        }

        if (!package.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array || resources.GetArrayLength() == 0)
        {
            errors.Add("package: resources must be a non-empty array");
            return errors;
        }

        var tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        foreach (var resource in resources.EnumerateArray())
        {
            var table = ReadResource(resource, files, errors);
            if (table is not null)
            {
                tables[table.Name] = table;
            }
        }

        foreach (var table in tables.Values)
        {
            CheckRows(table, errors);
            CheckPrimaryKey(table, errors);
            CheckForeignKeys(table, tables, errors);
        }

        return errors;
    }

    private sealed record Table(string Name, JsonElement Schema, IReadOnlyList<string> FieldNames, IReadOnlyList<string> Types, IReadOnlyList<bool> Required, HashSet<string> MissingValues, List<string[]> Rows, int FirstDataLine);

    private static Table? ReadResource(JsonElement resource, IReadOnlyDictionary<string, string> files, List<string> errors)
    {
        if (!resource.TryGetProperty("name", out var nameElement) || !NamePattern().IsMatch(nameElement.GetString() ?? ""))
        {
            errors.Add("resource: name missing or not lowercase [a-z0-9._-]");
            return null;
        }

        var name = nameElement.GetString()!;
        if (!resource.TryGetProperty("path", out var path) || path.GetString() is not { } file)
        {
            errors.Add($"{name}: path missing");
            return null;
        }

        if (!resource.TryGetProperty("schema", out var schema) || !schema.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{name}: schema with fields missing");
            return null;
        }

        if (!files.TryGetValue(file, out var text))
        {
            errors.Add($"{name}: file {file} not in the package");
            return null;
        }

        var header = true;
        if (resource.TryGetProperty("dialect", out var dialect) && dialect.TryGetProperty("header", out var headerElement))
        {
            header = headerElement.GetBoolean();
        }

        var missing = new HashSet<string>(StringComparer.Ordinal) { "" };
        if (schema.TryGetProperty("missingValues", out var missingValues))
        {
            missing = [.. missingValues.EnumerateArray().Select(v => v.GetString()!)];
        }

        var names = new List<string>();
        var types = new List<string>();
        var required = new List<bool>();
        foreach (var field in fields.EnumerateArray())
        {
            names.Add(field.GetProperty("name").GetString()!);
            types.Add(field.TryGetProperty("type", out var type) ? type.GetString()! : "string");
            required.Add(field.TryGetProperty("constraints", out var constraints) && constraints.TryGetProperty("required", out var r) && r.GetBoolean());
        }

        var rows = ParseCsv(text);
        if (header)
        {
            if (rows.Count == 0 || !rows[0].SequenceEqual(names))
            {
                errors.Add($"{name}: CSV header [{string.Join(',', rows.FirstOrDefault() ?? [])}] differs from schema fields [{string.Join(',', names)}]");
            }

            rows = [.. rows.Skip(1)];
        }

        return new Table(name, schema, names, types, required, missing, rows, header ? 2 : 1);
    }

    private static void CheckRows(Table table, List<string> errors)
    {
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var at = $"{table.Name} row {r + table.FirstDataLine}";
            if (row.Length != table.FieldNames.Count)
            {
                errors.Add($"{at}: {row.Length} cells for {table.FieldNames.Count} fields");
                continue;
            }

            for (var c = 0; c < row.Length; c++)
            {
                var cell = row[c];
                if (table.MissingValues.Contains(cell))
                {
                    if (table.Required[c])
                    {
                        errors.Add($"{at} field {table.FieldNames[c]}: required but empty");
                    }

                    continue;
                }

                var ok = table.Types[c] switch
                {
                    "string" => true,
                    "integer" => IntegerPattern().IsMatch(cell),
                    "number" => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                    "boolean" => cell is "true" or "false",
                    _ => false,
                };
                if (!ok)
                {
                    errors.Add($"{at} field {table.FieldNames[c]}: '{cell}' is not a valid {table.Types[c]}");
                }
            }
        }
    }

    private static string[] KeyFields(JsonElement element) => element.ValueKind == JsonValueKind.Array
        ? [.. element.EnumerateArray().Select(e => e.GetString()!)]
        : [element.GetString()!];

    private static int[] Indexes(Table table, string[] names, List<string> errors)
    {
        var indexes = names.Select(n => table.FieldNames.ToList().IndexOf(n)).ToArray();
        if (indexes.Any(i => i < 0))
        {
            errors.Add($"{table.Name}: key fields [{string.Join(',', names)}] not all in the schema");
        }

        return indexes;
    }

    private static string? KeyOf(string[] row, int[] indexes, Table table) =>
        indexes.Any(i => i < 0 || i >= row.Length || table.MissingValues.Contains(row[i]))
            ? null
            : string.Join('\u001f', indexes.Select(i => row[i]));

    private static void CheckPrimaryKey(Table table, List<string> errors)
    {
        if (!table.Schema.TryGetProperty("primaryKey", out var primaryKey))
        {
            return;
        }

        var indexes = Indexes(table, KeyFields(primaryKey), errors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var key = KeyOf(table.Rows[r], indexes, table);
            if (key is null)
            {
                errors.Add($"{table.Name} row {r + table.FirstDataLine}: primary key is empty");
            }
            else if (!seen.Add(key))
            {
                errors.Add($"{table.Name} row {r + table.FirstDataLine}: duplicate primary key '{key}'");
            }
        }
    }

    private static void CheckForeignKeys(Table table, Dictionary<string, Table> tables, List<string> errors)
    {
        if (!table.Schema.TryGetProperty("foreignKeys", out var foreignKeys))
        {
            return;
        }

        foreach (var foreignKey in foreignKeys.EnumerateArray())
        {
            var reference = foreignKey.GetProperty("reference");
            var resource = reference.GetProperty("resource").GetString()!;
            // An empty resource name means a reference to the same table.
            if (!tables.TryGetValue(resource.Length == 0 ? table.Name : resource, out var target))
            {
                errors.Add($"{table.Name}: foreign key to unknown resource '{resource}'");
                continue;
            }

            var own = Indexes(table, KeyFields(foreignKey.GetProperty("fields")), errors);
            var theirs = Indexes(target, KeyFields(reference.GetProperty("fields")), errors);
            var keys = target.Rows.Select(row => KeyOf(row, theirs, target)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            for (var r = 0; r < table.Rows.Count; r++)
            {
                if (KeyOf(table.Rows[r], own, table) is { } key && !keys.Contains(key))
                {
                    errors.Add($"{table.Name} row {r + table.FirstDataLine}: foreign key '{key}' not found in {target.Name}");
                }
            }
        }
    }

    /// <summary>Plain RFC 4180 (quotes doubled, newlines inside quotes), independent of the library's parser.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            any = true;
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                any = false;
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        if (any)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[+-]?[0-9]+$")]
    private static partial Regex IntegerPattern();
}
