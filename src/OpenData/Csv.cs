using System.Text;

namespace OpenGov.Dialogue.OpenData;

/// <summary>
/// RFC 4180 reader: quoted fields with doubled quotes and embedded newlines, CRLF / LF / CR line
/// ends. Tracks the physical line each field starts on, so errors can point at it.
/// </summary>
internal sealed class CsvParser(TextReader reader, string file, int maxFieldChars)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private int _length;
    private int _position;
    private int _line = 1;

    /// <summary>The physical line the last record started on (1-based).</summary>
    public int RecordLine { get; private set; }

    /// <summary>The line and field index being read; used to locate errors raised mid-record.</summary>
    public int CurrentLine => _line;

    public int CurrentColumn { get; private set; }

    /// <summary>Reads one record into <paramref name="fields"/>; false at end of input.</summary>
    public bool ReadRecord(List<string> fields, List<int> fieldLines)
    {
        fields.Clear();
        fieldLines.Clear();
        var first = Peek();
        if (first < 0)
        {
            return false;
        }

        RecordLine = _line;
        while (true)
        {
            CurrentColumn = fields.Count + 1;
            fieldLines.Add(_line);
            var end = ReadField(fields.Count + 1);
            fields.Add(_field.ToString());
            if (end != ',')
            {
                return true;
            }
        }
    }

    // Returns the char that ended the field: ',' or '\n' (any line end or end of input).
    private char ReadField(int column)
    {
        _field.Clear();
        if (Peek() == '"')
        {
            var startLine = _line;
            Next();
            while (true)
            {
                var c = Next();
                if (c < 0)
                {
                    throw new PolisFormatException(file, startLine, column, "unterminated quoted field");
                }

                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        Next();
                        Append('"', column);
                        continue;
                    }

                    var after = Next();
                    switch (after)
                    {
                        case ',':
                            return ',';
                        case < 0:
                            return '\n';
                        case '\n':
                            _line++;
                            return '\n';
                        case '\r':
                            EndCarriageReturn();
                            return '\n';
                        default:
                            throw new PolisFormatException(file, _line, column, $"unexpected character '{(char)after}' after a closing quote");
                    }
                }

                if (c == '\n')
                {
                    _line++;
                }
                else if (c == '\r' && Peek() != '\n')
                {
                    // A lone CR inside quotes is still a physical line break.
                    _line++;
                }

                Append((char)c, column);
            }
        }

        while (true)
        {
            var c = Next();
            switch (c)
            {
                case < 0:
                    return '\n';
                case ',':
                    return ',';
                case '\n':
                    _line++;
                    return '\n';
                case '\r':
                    EndCarriageReturn();
                    return '\n';
                default:
                    // A quote inside an unquoted field is kept literally (lenient, as most readers are).
                    Append((char)c, column);
                    break;
            }
        }
    }

    private void EndCarriageReturn()
    {
        if (Peek() == '\n')
        {
            Next();
        }

        _line++;
    }

    private void Append(char c, int column)
    {
        if (_field.Length >= maxFieldChars)
        {
            throw new PolisFormatException(file, _line, column, $"field longer than {maxFieldChars:N0} characters");
        }

        _field.Append(c);
    }

    private int Peek()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    private int Next()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position++];
    }

    private bool Fill()
    {
        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}

/// <summary>Writes RFC 4180 records with LF line ends, quoting only when a field needs it.</summary>
internal static class CsvWriter
{
    public static void WriteRecord(TextWriter writer, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }

            first = false;
            WriteField(writer, field);
        }

        writer.Write('\n');
    }

    private static void WriteField(TextWriter writer, string field)
    {
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(field);
            return;
        }

        writer.Write('"');
        writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}

/// <summary>OWASP CSV-injection rule for free-text cells.</summary>
public static class FormulaSafety
{
    private static bool IsTrigger(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>Prefixes a text that a spreadsheet would run as a formula with a single quote.</summary>
    public static string Protect(string text) =>
        text.Length > 0 && IsTrigger(text[0]) ? "'" + text : text;

    /// <summary>Undoes <see cref="Protect"/>: drops a leading quote only when a trigger follows it.</summary>
    public static string Unprotect(string text) =>
        text.Length > 1 && text[0] == '\'' && IsTrigger(text[1]) ? text[1..] : text;
}

/// <summary>
/// Counts bytes as they are really read and fails past the limit: zip headers can lie about
/// uncompressed sizes, so only the decompressed byte count is trusted.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _read += n;
        if (_read > limit)
        {
            throw new LimitExceededException();
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

internal sealed class LimitExceededException : Exception;
