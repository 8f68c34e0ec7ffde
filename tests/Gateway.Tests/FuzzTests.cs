using OpenGov.Dialogue.Load.Fuzz;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// A few hundred generated hostile requests against the real gateway (REST from its OpenAPI document, hub
/// methods, raw MessagePack frames) in every role: never a 5xx, every refusal problem+json, nothing changed
/// by a refused request. The 10,000-case run is `dotnet run --project bench/Load -c Release -- fuzz`.
/// </summary>
[Trait("Category", "http")]
public sealed class FuzzTests(GatewayHost host, ITestOutputHelper output) : IClassFixture<GatewayHost>
{
    [Fact]
    public async Task Hostile_requests_in_every_role_get_4xx_problems_and_change_nothing()
    {
        var target = await Target(host);
        var report = await new ApiFuzzer(target, seed: 20261205).RunAsync(restCases: 400, hubCases: 120, rawFrames: 60);
        output.WriteLine($"{report.Cases} REST cases, {report.HubCases} hub cases, {report.RawFrames} raw MessagePack frames; statuses: {string.Join(", ", report.ByStatus.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))}");
        foreach (var failure in report.Failures.Take(30))
        {
            output.WriteLine($"{failure.Case}: {failure.Problem}");
        }

        Assert.Equal(400, report.Cases);
        Assert.Equal(0, report.ServerErrors);
        Assert.Empty(report.Failures);
        Assert.True(report.ByStatus.Keys.Count(s => s >= 400) >= 4, "the cases reach several kinds of refusal");
    }

    [Fact]
    public async Task An_import_whose_multipart_body_does_not_parse_is_a_400_not_a_500()
    {
        // Found by the 10,000-case run (bench/Load fuzz): the form reader's InvalidDataException escaped as a 500.
        using var admin = host.Client(await host.StaffToken());
        using var content = new ByteArrayContent("{\"a\":1}"u8.ToArray());
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        using var response = await admin.PostAsync("/api/consultations/import", content);
        await ProblemAssert.Is(response, System.Net.HttpStatusCode.BadRequest, "invalid-consultation");
    }

    private static async Task<FuzzTarget> Target(GatewayHost host) =>
        await FuzzTarget.PrepareAsync(host.BaseAddress, await host.StaffToken(), await host.StaffToken("moderator"), await host.StaffToken("official"), (await host.Participant()).Token);
}
