using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Storage;
using OpenGov.Dialogue.Storage.Sqlite;
using Orleans.Configuration;

namespace OpenGov.Dialogue.Silo;

public static class DialogueSiloHosting
{
    /// <summary>
    /// Reads and validates the <c>Dialogue</c> options, prepares storage and adds an Orleans silo
    /// with its grain storage and journal. Used by the silo host and by the Gateway's embedded mode.
    /// </summary>
    public static DialogueOptions AddDialogueSilo(this IHostApplicationBuilder builder)
    {
        var options = builder.AddDialogueOptions();
        if (options.Storage != "sqlite")
        {
            throw new OptionsValidationException(
                DialogueOptions.Section, typeof(DialogueOptions), [$"Dialogue:Storage '{options.Storage}' is not available in this build; use 'sqlite'."]);
        }

        var database = new SqliteDatabase(options.DataDirectory);
        database.EnsureCreated();
        builder.Services.AddSingleton(database);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IDialogueJournal>(sp =>
            new SqliteJournal(database, StorageRetry.Create(), sp.GetRequiredService<ILogger<SqliteJournal>>()));

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = options.ServiceId;
                o.ClusterId = options.ClusterId;
            });
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.AddAdoNetGrainStorage(StorageNames.Grains, o =>
            {
                // This invariant loads Microsoft.Data.Sqlite in Orleans 10.4 (ORLEANS-ADONET.md §6).
                o.Invariant = "System.Data.SQLite";
                o.ConnectionString = database.GrainsConnectionString;
                o.GrainStorageSerializer = new JsonGrainStorageSerializer();
            });
        });
        return options;
    }

    /// <summary>Binds the options once, validates them now (so a bad setting stops the start) and registers them.</summary>
    public static DialogueOptions AddDialogueOptions(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DialogueOptions.Section);
        var options = section.Get<DialogueOptions>() ?? new DialogueOptions();
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                DialogueOptions.Section, typeof(DialogueOptions), errors.Select(e => $"Dialogue: {e.ErrorMessage}"));
        }

        builder.Services.AddSingleton(Options.Create(options));
        return options;
    }
}
