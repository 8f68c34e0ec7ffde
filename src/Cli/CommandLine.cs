using OpenGov.Dialogue.Cli.Evaluation;

namespace OpenGov.Dialogue.Cli;

/// <summary>
/// The `dialogue` command. Each command is a verb path ("eval topics") mapped to a handler;
/// handlers print their figures as the last line, <c>name=value</c> pairs separated by spaces.
/// </summary>
public static class CommandLine
{
    // Positionals = how many bare arguments the command takes after its verb path.
    private static readonly Dictionary<string, (string Help, Func<CliArgs, Task<int>> Run, int Positionals)> Commands = new(StringComparer.Ordinal)
    {
        ["migrate"] = (Migrations.MigrateCommand.Help, Migrations.MigrateCommand.RunAsync, 0),
        ["eval opinion"] = (Evaluation.EvalOpinionCommand.Help, Evaluation.EvalOpinionCommand.RunAsync, 0),
        ["eval topics"] = (TopicsEvaluation.Help, TopicsEvaluation.RunAsync, 0),
        ["eval binary"] = (BinaryEvaluation.Help, BinaryEvaluation.RunAsync, 0),
        ["eval groups"] = (GroupsEvaluation.Help, GroupsEvaluation.RunAsync, 0),
        ["eval moderation"] = (ModerationEvaluation.Help, ModerationEvaluation.RunAsync, 0),
        ["eval duplicates"] = (DuplicatesEvaluation.Help, DuplicatesEvaluation.RunAsync, 0),
        ["eval briefs"] = (BriefsEvaluation.Help, BriefsEvaluation.RunAsync, 0),
        ["eval taxonomy"] = (TaxonomyEvaluation.Help, TaxonomyEvaluation.RunAsync, 0),
        ["eval campaigns"] = (CampaignsEvaluation.Help, CampaignsEvaluation.RunAsync, 0),
        ["export"] = (Exchange.ExportCommand.Help, Exchange.ExportCommand.RunAsync, 0),
        ["import polis"] = (Exchange.ImportPolisCommand.Help, Exchange.ImportPolisCommand.RunAsync, 1),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintHelp();
            return args.Length == 0 ? 1 : 0;
        }

        // Longest verb path first, so "eval topics" wins over a hypothetical "eval".
        for (var words = Math.Min(args.Length, 3); words >= 1; words--)
        {
            var verb = string.Join(' ', args.Take(words));
            if (!Commands.TryGetValue(verb, out var command))
            {
                continue;
            }

            try
            {
                var parsed = CliArgs.Parse(args.Skip(words).ToArray());
                if (parsed.Positionals.Count > command.Positionals)
                {
                    throw new CliException($"unexpected argument '{parsed.Positionals[command.Positionals]}'");
                }

                return await command.Run(parsed);
            }
            catch (CliException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidDataException or IOException)
            {
                // Bad input reaching the library (one class only, empty texts, unreadable file).
                Console.Error.WriteLine($"error: {ex.Message.Split(" (Parameter ")[0]}");
                return 2;
            }
            catch (Exception ex)
            {
                // A defect, not bad input: still one line for the user, and a distinct exit code.
                Console.Error.WriteLine($"error: internal {ex.GetType().Name}: {ex.Message}");
                return 1;
            }
        }

        Console.Error.WriteLine($"error: unknown command '{string.Join(' ', args)}'. Run 'dialogue help'.");
        return 2;
    }

    private static void PrintHelp()
    {
        Console.WriteLine("usage: dialogue <command> [options]");
        foreach (var (verb, command) in Commands.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {verb,-22} {command.Help}");
        }
    }
}

/// <summary>An error the user can fix (missing file, column, option); printed without a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary><c>--name value</c> options, bare <c>--flag</c> switches and positional arguments.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    /// <summary>Bare arguments in order; a command accepts only as many as its table entry allows.</summary>
    public IReadOnlyList<string> Positionals => _positionals;

    public static CliArgs Parse(string[] args)
    {
        var parsed = new CliArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                throw new CliException($"unexpected argument '{arg}'");
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed._positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            parsed._options[name] = value;
        }

        return parsed;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string RequiredPositional(int index, string name) =>
        index < _positionals.Count ? _positionals[index] : throw new CliException($"missing argument {name}");

    public string? Optional(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public string Required(string name) =>
        Optional(name) ?? throw new CliException($"missing option --{name}");

    public double OptionalDouble(string name, double fallback)
    {
        var raw = Optional(name);
        if (raw is null)
        {
            return fallback;
        }

        return double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliException($"--{name} must be a number, got '{raw}'");
    }

    public int OptionalInt(string name, int fallback)
    {
        var raw = Optional(name);
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliException($"--{name} must be an integer, got '{raw}'");
    }
}
