using System.Text.Json;
using System.Text.Json.Serialization;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;
using OpenGov.Dialogue.Gateway.Live;
using OpenGov.Dialogue.Gateway.Moderation;
using OpenGov.Dialogue.Gateway.WebUi;
using OpenGov.Dialogue.Silo;

namespace OpenGov.Dialogue.Gateway.Hosting;

/// <summary>Builds the gateway: in the embedded default it co-hosts the silo in the same process.</summary>
public static class GatewayApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var options = builder.AddDialogueSilo();
        builder.AddDialogueAuth(options);
        builder.AddDialogueErrors();
        builder.AddDialogueLive();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));

        // Malformed JSON and bad parameters reach the exception handler and get a stable problem type.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapHealth();
        app.MapAuth();
        app.MapConsultations();
        app.MapModeration();
        app.MapDialogueHub();
        app.MapWebUi();
        return app;
    }

    /// <summary>One JSON shape for REST and the hub: camelCase, enums as kebab-case strings.</summary>
    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
    }
}
