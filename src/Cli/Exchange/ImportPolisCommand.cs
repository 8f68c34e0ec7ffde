using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenGov.Dialogue.OpenData;

namespace OpenGov.Dialogue.Cli.Exchange;

/// <summary>
/// <c>dialogue import polis DIR_OR_ZIP --target URL --admin-key KEY</c>: validates a Pol.is export
/// locally (so format errors point at file, line and column before anything is sent), then uploads
/// it and follows the server's newline-delimited JSON progress.
/// </summary>
public static class ImportPolisCommand
{
    public const string Help = "import a Pol.is export folder or zip (import polis DIR_OR_ZIP --target URL --admin-key KEY)";

    // A zip is held in memory to validate and send; four files of at most 20 MiB compress far below this.
    private const long MaxZipBytes = 100L * 1024 * 1024;

    public static async Task<int> RunAsync(CliArgs args)
    {
        var source = args.RequiredPositional(0, "DIR_OR_ZIP (a Pol.is export folder or zip)");
        var target = DialogueHttp.ParseTarget(args.Required("target"));
        var adminKey = args.Required("admin-key");

        var clock = Stopwatch.StartNew();
        var (zip, conversation) = LoadAndValidate(source);
        Console.Error.WriteLine($"valid Pol.is export: {conversation.Comments.Count:N0} comments, {conversation.Votes?.Count ?? 0:N0} vote events, {conversation.Participants.Count:N0} participants");

        using var client = DialogueHttp.CreateClient(target);
        await DialogueHttp.AuthenticateAsync(client, adminKey, "dialogue import");

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(zip);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(file, "file", "conversation.zip");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/consultations/import") { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));

        using var response = await DialogueHttp.SendAsync(() => client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead));
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException(await DialogueHttp.ProblemAsync(response));
        }

        var result = await FollowProgressAsync(response);
        Console.WriteLine($"items={result.Items} votes={result.Votes} seconds={clock.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"consultation={result.Consultation}");
        return 0;
    }

    /// <summary>Reads and validates the source; returns the zip to send (a folder is re-zipped, a zip sent as is).</summary>
    internal static (byte[] Zip, PolisConversation Conversation) LoadAndValidate(string source)
    {
        try
        {
            if (Directory.Exists(source))
            {
                var conversation = PolisReader.ReadDirectory(source);
                return (ZipFolder(source), conversation);
            }

            if (!File.Exists(source))
            {
                throw new CliException($"no such folder or zip: {source}");
            }

            if (new FileInfo(source).Length > MaxZipBytes)
            {
                throw new CliException($"{source} is larger than {MaxZipBytes / (1024 * 1024)} MiB");
            }

            var bytes = File.ReadAllBytes(source);
            return (bytes, PolisReader.ReadZip(new MemoryStream(bytes, writable: false)));
        }
        catch (PolisFormatException ex)
        {
            // The message already reads "FILE line L column C: problem".
            throw new CliException(ex.Message);
        }
    }

    private static byte[] ZipFolder(string folder)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            // Only the files the server reads; the bytes go unchanged, so the server validates the same text we did.
            foreach (var name in PolisReader.KnownFiles)
            {
                var path = Path.Combine(folder, name);
                if (File.Exists(path))
                {
                    zip.CreateEntryFromFile(path, name, CompressionLevel.Optimal);
                }
            }
        }

        return output.ToArray();
    }

    internal sealed record ImportResult(string Consultation, long Items, long Votes);

    private static async Task<ImportResult> FollowProgressAsync(HttpResponseMessage response)
    {
        var progress = new ProgressBar(Console.Error, interactive: !Console.IsErrorRedirected);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                JsonElement message;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    message = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw new CliException($"the server sent a line that is not JSON: {Shorten(line)}");
                }

                if (message.ValueKind != JsonValueKind.Object)
                {
                    throw new CliException($"the server sent an unexpected line: {Shorten(line)}");
                }

                if (message.TryGetProperty("consultation", out var consultation))
                {
                    progress.Finish();
                    return new ImportResult(consultation.ToString(), Number(message, "items"), Number(message, "votes"));
                }

                if (message.TryGetProperty("phase", out var phase))
                {
                    progress.Update(phase.ToString(), Number(message, "done"), Number(message, "total"));
                    continue;
                }

                // A failure after the 200 header can only arrive in the stream itself.
                foreach (var name in (string[])["detail", "error", "title"])
                {
                    if (message.TryGetProperty(name, out var detail))
                    {
                        throw new CliException(detail.ToString());
                    }
                }
            }
        }
        catch (IOException ex)
        {
            progress.Finish();
            throw new CliException($"the connection broke during the import: {ex.Message}");
        }

        progress.Finish();
        throw new CliException("the server ended the import without a result line");
    }

    private static long Number(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;

    private static string Shorten(string line) => line.Length > 200 ? line[..200] + "…" : line;
}

/// <summary>
/// Import progress on stderr: one redrawn bar on a terminal; otherwise (logs, CI) a line each
/// time a phase crosses another 10 %, so logs stay short.
/// </summary>
internal sealed class ProgressBar(TextWriter output, bool interactive)
{
    private const int Width = 30;
    private readonly Dictionary<string, int> _lastDecile = new(StringComparer.Ordinal);
    private bool _drawn;

    public void Update(string phase, long done, long total)
    {
        var fraction = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
        var percent = (int)Math.Floor(fraction * 100);
        var text = $"{Bar(fraction)} {percent,3}% {phase} {done.ToString("N0", CultureInfo.InvariantCulture)}/{total.ToString("N0", CultureInfo.InvariantCulture)}";
        if (interactive)
        {
            output.Write("\r" + text.PadRight(70));
            _drawn = true;
            return;
        }

        var decile = percent / 10;
        if (!_lastDecile.TryGetValue(phase, out var last) || decile > last)
        {
            _lastDecile[phase] = decile;
            output.WriteLine(text);
        }
    }

    public void Finish()
    {
        if (_drawn)
        {
            output.WriteLine();
            _drawn = false;
        }
    }

    internal static string Bar(double fraction)
    {
        var filled = (int)Math.Round(fraction * Width);
        return "[" + new string('#', filled) + new string('.', Width - filled) + "]";
    }
}
