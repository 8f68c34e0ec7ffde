using System.Security.Claims;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Participants;

/// <summary>A participant's own notifications: approved, rejected, merged, answered, on screen.</summary>
public static class NotificationEndpoints
{
    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me/notifications").WithTags("Participants").RequireAuthorization(Roles.Participant);

        me.MapGet(string.Empty, async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).GetNotifications()))
            .WithName("MyNotifications")
            .WithSummary("The caller's notifications, newest first, kept until read.");

        me.MapPost("/{notificationId}/read", async (string notificationId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).MarkRead(notificationId);
            return TypedResults.NoContent();
        })
        .WithName("MarkNotificationRead")
        .WithSummary("Marks one of the caller's notifications read.");
    }
}
