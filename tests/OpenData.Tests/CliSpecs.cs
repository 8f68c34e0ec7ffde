using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenGov.Dialogue.Cli;
using OpenGov.Dialogue.Cli.Exchange;

namespace OpenGov.Dialogue.OpenData.Tests;

/// <summary>Console and the HTTP handler are process-wide, so these run one at a time.</summary>
[CollectionDefinition(nameof(CliSpecs), DisableParallelization = true)]
public sealed class CliCollection;

[Collection(nameof(CliSpecs))]
[Trait("Category", "unit")]
public sealed class CliSpecs : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("opendata-cli-").FullName;
    private readonly FakeServer _server = new();

    public CliSpecs() => DialogueHttp.HandlerOverride = () => _server;

    public void Dispose()
    {
        DialogueHttp.HandlerOverride = null;
        Directory.Delete(_temp, recursive: true);
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await CommandLine.RunAsync(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    private string Folder(Dictionary<string, string> files)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp, Guid.NewGuid().ToString("N"))).FullName;
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), text, new UTF8Encoding(false));
        }

        return folder;
    }

    private static string LastLine(string text) => text.TrimEnd('\n').Split('\n')[^1];

    [Fact]
    public void Positional_arguments_are_collected_beside_options()
    {
        var args = CliArgs.Parse(["first", "--target", "http://127.0.0.1:5000", "--flag", "--x", "1", "second"]);

        Assert.Equal(["first", "second"], args.Positionals);
        Assert.Equal("http://127.0.0.1:5000", args.Required("target"));
        Assert.True(args.Has("flag"));
        Assert.Null(args.Optional("flag"));
    }

    [Fact]
    public async Task Commands_without_positionals_still_reject_bare_arguments()
    {
        var (exit, _, err) = await Run("eval", "topics", "stray");

        Assert.Equal(2, exit);
        Assert.Contains("error: unexpected argument 'stray'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_names_the_missing_option_and_refuses_an_unknown_format()
    {
        var missing = await Run("export", "--consultation", "c1", "--out", "x.zip");
        var format = await Run("export", "--target", "http://127.0.0.1:1", "--consultation", "c1", "--format", "xml", "--out", "x.zip");
        var extra = await Run("export", "stray", "--target", "http://127.0.0.1:1");

        Assert.Equal((2, "error: missing option --target"), (missing.Exit, missing.Err.Trim()));
        Assert.Equal((2, "error: --format must be polis or json, got 'xml'"), (format.Exit, format.Err.Trim()));
        Assert.Equal((2, "error: unexpected argument 'stray'"), (extra.Exit, extra.Err.Trim()));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Import_needs_a_source_and_takes_only_one()
    {
        var none = await Run("import", "polis", "--target", "http://127.0.0.1:1", "--admin-key", "k");
        var two = await Run("import", "polis", "a", "b", "--target", "http://127.0.0.1:1", "--admin-key", "k");

        Assert.Equal(2, none.Exit);
        Assert.StartsWith("error: missing argument DIR_OR_ZIP", none.Err, StringComparison.Ordinal);
        Assert.Equal((2, "error: unexpected argument 'b'"), (two.Exit, two.Err.Trim()));
    }

    [Fact]
    public async Task Import_of_a_malformed_folder_prints_file_line_and_column_and_sends_nothing()
    {
        var files = PolisData.SmallConversation();
        files["comments.csv"] = files["comments.csv"].Replace(",1,1,0,1,-1,Second", ",one,1,0,1,-1,Second", StringComparison.Ordinal);

        var (exit, stdout, err) = await Run("import", "polis", Folder(files), "--target", "http://127.0.0.1:1", "--admin-key", "k");

        Assert.Equal(2, exit);
        Assert.Equal("error: comments.csv line 3 column 3: expected an integer, found 'one'", err.Trim());
        Assert.Empty(stdout);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Import_of_a_malformed_zip_prints_file_line_and_column()
    {
        var files = PolisData.SmallConversation();
        files["votes.csv"] = files["votes.csv"].Replace(",1,1,-1\n", ",1,1,2\n", StringComparison.Ordinal);
        var zip = Path.Combine(_temp, "bad.zip");
        File.WriteAllBytes(zip, PolisData.Zip(files).ToArray());

        var (exit, _, err) = await Run("import", "polis", zip, "--target", "http://127.0.0.1:1", "--admin-key", "k");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: votes.csv line 3 column 5: vote must be 1, -1 or 0", err.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_uploads_the_folder_as_a_zip_with_an_admin_token_and_prints_the_consultation_last()
    {
        var files = PolisData.SmallConversation();
        files["stats-history.csv"] = "n-votes\n1\n";
        _server.ImportBody =
            "{\"phase\":\"items\",\"done\":1,\"total\":2}\n{\"phase\":\"items\",\"done\":2,\"total\":2}\n" +
            "{\"phase\":\"votes\",\"done\":2,\"total\":2}\n{\"consultation\":\"c-42\",\"items\":2,\"votes\":2}\n";

        var (exit, stdout, _) = await Run("import", "polis", Folder(files), "--target", "http://127.0.0.1:5999/", "--admin-key", "secret");

        Assert.Equal(0, exit);
        Assert.Equal("consultation=c-42", LastLine(stdout));
        Assert.Contains("items=2 votes=2 ", stdout, StringComparison.Ordinal);

        var token = _server.Requests[0];
        Assert.Equal("POST http://127.0.0.1:5999/api/auth/token", token.Line);
        using (var body = JsonDocument.Parse(token.Body))
        {
            Assert.Equal("secret", body.RootElement.GetProperty("key").GetString());
            Assert.Equal("admin", body.RootElement.GetProperty("role").GetString());
            Assert.Equal("dialogue import", body.RootElement.GetProperty("name").GetString());
        }

        var import = _server.Requests[1];
        Assert.Equal("POST http://127.0.0.1:5999/api/consultations/import", import.Line);
        Assert.Equal("Bearer t-123", import.Authorization);
        Assert.Equal("application/x-ndjson", import.Accept);
        var part = Assert.Single(import.Parts);
        Assert.Equal(("file", "conversation.zip", "application/zip"), (part.Name, part.FileName, part.ContentType));
        using var zip = new ZipArchive(new MemoryStream(part.Bytes));
        Assert.Equal(["comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(2, PolisReader.ReadZip(new MemoryStream(part.Bytes)).Comments.Count);
    }

    [Fact]
    public async Task Import_sends_a_zip_unchanged()
    {
        var path = Path.Combine(_temp, "good.zip");
        var bytes = PolisData.Zip(PolisData.SmallConversation()).ToArray();
        File.WriteAllBytes(path, bytes);
        _server.ImportBody = "{\"consultation\":\"c-7\",\"items\":2,\"votes\":2}\n";

        var (exit, stdout, _) = await Run("import", "polis", path, "--target", "http://localhost:5999", "--admin-key", "k");

        Assert.Equal(0, exit);
        Assert.Equal("consultation=c-7", LastLine(stdout));
        Assert.Equal(bytes, _server.Requests[1].Parts.Single().Bytes);
    }

    [Fact]
    public async Task A_problem_response_to_the_import_prints_its_detail_and_exits_2()
    {
        _server.ImportStatus = HttpStatusCode.UnprocessableEntity;
        _server.ImportBody = "{\"type\":\"about:blank\",\"title\":\"Invalid export\",\"status\":422,\"detail\":\"comments.csv line 9 column 3: bad id\"}";

        var (exit, stdout, err) = await Run("import", "polis", Folder(PolisData.SmallConversation()), "--target", "http://127.0.0.1:5999", "--admin-key", "k");

        Assert.Equal(2, exit);
        Assert.Equal("error: comments.csv line 9 column 3: bad id", LastLine(err));
        Assert.DoesNotContain("consultation=", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_stream_that_ends_without_a_result_is_an_error()
    {
        _server.ImportBody = "{\"phase\":\"items\",\"done\":1,\"total\":2}\n";

        var (exit, _, err) = await Run("import", "polis", Folder(PolisData.SmallConversation()), "--target", "http://127.0.0.1:5999", "--admin-key", "k");

        Assert.Equal(2, exit);
        Assert.Equal("error: the server ended the import without a result line", LastLine(err));
    }

    [Fact]
    public async Task Export_writes_the_body_to_the_file_and_reports_its_size()
    {
        var output = Path.Combine(_temp, "out.zip");
        _server.ExportBody = new byte[12_345];

        var (exit, stdout, _) = await Run("export", "--target", "http://127.0.0.1:5999", "--consultation", "c 1", "--format", "json", "--out", output, "--admin-key", "k");

        Assert.Equal(0, exit);
        Assert.Equal(12_345, new FileInfo(output).Length);
        Assert.Matches($"^file={System.Text.RegularExpressions.Regex.Escape(output)} bytes=12345 seconds=[0-9]+\\.[0-9]{{2}}$", LastLine(stdout));
        var get = _server.Requests[^1];
        Assert.Equal("GET http://127.0.0.1:5999/api/consultations/c%201/export?format=json", get.Line);
        Assert.Equal("Bearer t-123", get.Authorization);
    }

    [Fact]
    public async Task Export_without_an_admin_key_sends_no_token_and_a_problem_prints_its_detail()
    {
        _server.ExportStatus = HttpStatusCode.NotFound;

        var (exit, _, err) = await Run("export", "--target", "http://127.0.0.1:5999", "--consultation", "nope", "--out", Path.Combine(_temp, "x.zip"));

        Assert.Equal(2, exit);
        Assert.Equal("error: no consultation 'nope'", err.Trim());
        Assert.Single(_server.Requests);
        Assert.Null(_server.Requests[0].Authorization);
        Assert.False(File.Exists(Path.Combine(_temp, "x.zip")));
    }

    [Fact]
    public void The_progress_bar_prints_a_line_per_ten_percent_when_not_on_a_terminal()
    {
        var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: false);

        for (var done = 0; done <= 61_936; done += 1_000)
        {
            bar.Update("votes", done, 61_936);
        }

        var lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(10, lines.Length);
        Assert.Equal("[############..................]  40% votes 25,000/61,936", lines[4]);
    }

    [Fact]
    public void The_progress_bar_redraws_in_place_on_a_terminal()
    {
        var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: true);

        bar.Update("items", 1, 4);
        bar.Update("items", 2, 4);
        bar.Finish();

        Assert.StartsWith($"\r[{new string('#', 8)}{new string('.', 22)}]  25% items 1/4", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"\r[{new string('#', 15)}{new string('.', 15)}]  50% items 2/4", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>An in-process stand-in for the server's HTTP surface; no socket is opened.</summary>
    private sealed class FakeServer : HttpMessageHandler
    {
        public sealed record Part(string? Name, string? FileName, string? ContentType, byte[] Bytes);

        public sealed record Seen(string Line, string? Authorization, string? Accept, string Body, IReadOnlyList<Part> Parts);

        public List<Seen> Requests { get; } = [];

        public HttpStatusCode ImportStatus { get; set; } = HttpStatusCode.OK;

        public string ImportBody { get; set; } = "";

        public HttpStatusCode ExportStatus { get; set; } = HttpStatusCode.OK;

        public byte[] ExportBody { get; set; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var parts = new List<Part>();
            var body = "";
            if (request.Content is MultipartFormDataContent form)
            {
                foreach (var content in form)
                {
                    var disposition = content.Headers.ContentDisposition;
                    parts.Add(new Part(disposition?.Name?.Trim('"'), disposition?.FileName?.Trim('"'), content.Headers.ContentType?.MediaType, await content.ReadAsByteArrayAsync(cancellationToken)));
                }
            }
            else if (request.Content is not null)
            {
                body = await request.Content.ReadAsStringAsync(cancellationToken);
            }

            var uri = request.RequestUri!;
            Requests.Add(new Seen($"{request.Method} {uri.AbsoluteUri}", request.Headers.Authorization?.ToString(),
                string.Join(',', request.Headers.Accept.Select(a => a.MediaType)), body, parts));

            return uri.AbsolutePath switch
            {
                "/api/auth/token" => Json(HttpStatusCode.OK, "{\"token\":\"t-123\"}", "application/json"),
                "/api/consultations/import" => Json(ImportStatus, ImportBody, ImportStatus == HttpStatusCode.OK ? "application/x-ndjson" : "application/problem+json"),
                var path when path.EndsWith("/export", StringComparison.Ordinal) => ExportStatus == HttpStatusCode.OK
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(ExportBody) }
                    : Json(ExportStatus, $"{{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no consultation '{Uri.UnescapeDataString(path.Split('/')[3])}'\"}}", "application/problem+json"),
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            };
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string text, string mediaType) =>
            new(status) { Content = new StringContent(text, Encoding.UTF8, mediaType) };
    }
}
