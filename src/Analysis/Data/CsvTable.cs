using System.Text;

namespace OpenGov.Dialogue.Analysis.Data;

/// <summary>
/// A CSV file read whole: a header row and data rows. RFC 4180: fields may be quoted, quotes inside
/// are doubled, quoted fields may hold separators and line breaks; CRLF or LF line ends; UTF-8 BOM skipped.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string source, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        Source = source;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            _columns.TryAdd(header[i], i);
        }
    }

    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<string[]> Rows { get; }

    public static CsvTable Load(string path, char separator = ',')
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"file not found: {path}", path);
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path, separator);
    }

    public static CsvTable Parse(TextReader reader, string source = "input", char separator = ',')
    {
        var records = ReadRecords(reader, separator, source).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new InvalidDataException($"{source}: the file is empty (expected a header row)");
        }

        var header = records.Current;
        var rows = new List<string[]>();
        while (records.MoveNext())
        {
            var row = records.Current;
            if (row.Length == 1 && row[0].Length == 0)
            {
                continue;
            }

            // Short rows are padded so a missing trailing field reads as empty rather than failing.
            if (row.Length < header.Length)
            {
                Array.Resize(ref row, header.Length);
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] ??= string.Empty;
                }
            }

            rows.Add(row);
        }

        return new CsvTable(source, header, rows);
    }

    /// <summary>The index of a column, or a clear error that lists the columns the file has.</summary>
    public int Column(string name) =>
        _columns.TryGetValue(name, out var index)
            ? index
            : throw new InvalidDataException($"{Source}: no column '{name}' (columns: {string.Join(", ", Header)})");

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    private static IEnumerable<string[]> ReadRecords(TextReader reader, char separator, string source)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var inQuotes = false;
        var quotedField = false;
        int next;
        while ((next = reader.Read()) != -1)
        {
            var c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            if (c == '"' && field.Length == 0 && !quotedField)
            {
                inQuotes = true;
                quotedField = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                quotedField = false;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                line++;
                fields.Add(field.ToString());
                field.Clear();
                quotedField = false;
                yield return fields.ToArray();
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (inQuotes)
        {
            throw new InvalidDataException($"{source}: a quoted field opened before line {line} is never closed");
        }

        if (field.Length > 0 || fields.Count > 0 || quotedField)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }
}
