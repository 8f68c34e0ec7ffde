using Microsoft.Extensions.Hosting;
using OpenGov.Dialogue.Silo;

// A silo on its own. In the embedded default the Gateway co-hosts this same silo instead.
var builder = Host.CreateApplicationBuilder(args);
builder.AddDialogueSilo();
await builder.Build().RunAsync();
