using System.Diagnostics;
using System.Globalization;

namespace OpenGov.Dialogue.Cli.Exchange;

/// <summary>
/// <c>dialogue export --target URL --consultation ID [--format polis|json] --out FILE [--admin-key KEY]</c>:
/// downloads a consultation's open-data export to a file.
/// </summary>
public static class ExportCommand
{
    public const string Help = "download a consultation export (--target URL --consultation ID [--format polis|json] --out FILE [--admin-key KEY])";

    public static async Task<int> RunAsync(CliArgs args)
    {
        var target = DialogueHttp.ParseTarget(args.Required("target"));
        var consultation = args.Required("consultation");
        var format = args.Optional("format") ?? "polis";
        if (format is not ("polis" or "json"))
        {
            throw new CliException($"--format must be polis or json, got '{format}'");
        }

        var output = args.Required("out");
        var adminKey = args.Optional("admin-key");

        var clock = Stopwatch.StartNew();
        using var client = DialogueHttp.CreateClient(target);
        if (adminKey is not null)
        {
            await DialogueHttp.AuthenticateAsync(client, adminKey, "dialogue export");
        }

        var path = $"api/consultations/{Uri.EscapeDataString(consultation)}/export?format={format}";
        using var response = await DialogueHttp.SendAsync(() => client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead));
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException(await DialogueHttp.ProblemAsync(response));
        }

        // Stream to a temporary file first so a broken download never leaves a half file under the real name.
        var temporary = output + ".part";
        long bytes;
        try
        {
            await using (var file = File.Create(temporary))
            {
                await using var body = await response.Content.ReadAsStreamAsync();
                await body.CopyToAsync(file);
                bytes = file.Length;
            }

            File.Move(temporary, output, overwrite: true);
        }
        catch (HttpRequestException ex)
        {
            File.Delete(temporary);
            throw new CliException($"download interrupted: {ex.Message}");
        }

        Console.WriteLine($"file={output} bytes={bytes} seconds={clock.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)}");
        return 0;
    }
}
