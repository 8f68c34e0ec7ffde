using OpenGov.Dialogue.Gateway.Hosting;

var app = GatewayApp.Create(args);
await app.RunAsync();
