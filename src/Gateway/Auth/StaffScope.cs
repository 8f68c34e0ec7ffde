using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Gateway.Errors;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// The one place that keeps staff within their consultations and drops revoked staff tokens: every
/// REST route under <c>/api/consultations/{id}</c> and every hub method with a <c>consultationId</c>
/// answers 403 to staff whose scope lacks that consultation. On the hub, where a connection keeps the
/// principal it connected with, each call re-checks the account (<see cref="StaffAccountCache"/>) and a
/// sweep closes the connections of disabled or changed accounts.
/// </summary>
public static class StaffScope
{
    /// <summary>After authentication: REST routes with a consultation id.</summary>
    public static void UseStaffScope(this WebApplication app) => app.Use(async (http, next) =>
    {
        if (http.Request.Path.StartsWithSegments("/api/consultations")
            && http.GetRouteValue("id") is string id
            && Roles.IsStaff(http.User)
            && !StaffClaims.MayActOn(http.User, id))
        {
            await Problems.Create(StatusCodes.Status403Forbidden, Contracts.ErrorCodes.Forbidden, "Your staff account is not assigned to this consultation.")
                .ExecuteAsync(http);
            return;
        }

        await next(http);
    });
}

/// <summary>Hub side of <see cref="StaffScope"/>: runs before the hub's own error filter.</summary>
public sealed class StaffScopeHubFilter(StaffAccountCache accounts, StaffConnections connections) : IHubFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, int> ConsultationArgument = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var user = context.Context.User;
        if (user is not null && Roles.IsStaff(user))
        {
            if (!await accounts.Accepts(user))
            {
                context.Context.Abort();
                throw new HubException("unauthorized: Your staff account was disabled or changed; sign in again.");
            }

            var index = ConsultationArgument.GetOrAdd(context.HubMethod, m => Array.FindIndex(m.GetParameters(), p => p.Name == "consultationId"));
            if (index >= 0 && context.HubMethodArguments[index] is string id && !StaffClaims.MayActOn(user, id))
            {
                throw new HubException("forbidden: Your staff account is not assigned to this consultation.");
            }
        }

        return await next(context);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (context.Context.User is { } user && Roles.IsStaff(user))
        {
            connections.Add(context.Context);
        }

        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        connections.Remove(context.Context);
        return next(context, exception);
    }
}

/// <summary>The staff connections of this gateway, for the sweep that closes revoked ones.</summary>
public sealed class StaffConnections
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);

    public void Add(HubCallerContext connection) => _connections[connection.ConnectionId] = connection;

    public void Remove(HubCallerContext connection) => _connections.TryRemove(connection.ConnectionId, out _);

    public IEnumerable<HubCallerContext> All => _connections.Values;
}

/// <summary>Closes live connections whose staff token no longer speaks for an enabled, unchanged account.</summary>
public sealed class StaffConnectionSweep(StaffConnections connections, StaffAccountCache accounts, IOptions<DialogueOptions> options, TimeProvider clock, ILogger<StaffConnectionSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.StaffAccountRecheckSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var connection in connections.All)
            {
                try
                {
                    if (connection.User is { } user && !await accounts.Accepts(user))
                    {
                        connections.Remove(connection);
                        connection.Abort();
                    }
                }
                catch (Exception ex) when (ex is TimeoutException or OrleansException)
                {
                    // The directory is unreachable for now: keep the connection and look again next round.
                    logger.LogWarning(ex, "Could not re-check a staff connection");
                    break;
                }
            }
        }
    }
}
