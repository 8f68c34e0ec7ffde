using OpenGov.Dialogue.Cli;

return await CommandLine.RunAsync(args);
