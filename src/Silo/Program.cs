using Microsoft.Extensions.Hosting;
using OpenGov.Dialogue.Silo;
using OpenGov.Dialogue.Silo.Monitoring;

// A silo on its own. In the embedded default the Gateway co-hosts this same silo instead.
var builder = Host.CreateApplicationBuilder(args);
var options = builder.AddDialogueSilo();
builder.AddSiloMonitoring(options);
await builder.Build().RunAsync();
