using Microsoft.AspNetCore.SignalR;

// The ceiling of the framework on this machine: a SignalR hub that only relays a message to a
// group. No Orleans, no storage, no auth, no batching — what the load tool compares against.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// JSON and MessagePack, as the gateway offers: a load run picks one for both servers.
builder.Services.AddSignalR().AddMessagePackProtocol();
var app = builder.Build();
app.MapHub<RelayHub>("/hubs/relay");
app.MapGet("/health", () => "ready");
await app.RunAsync();

public sealed class RelayHub : Hub
{
    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Broadcast(string group, string payload) => Clients.Group(group).SendAsync("m", payload);
}
