using System.Net;
using System.Net.Http.Json;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>One address cannot mint identities or pull exports without end; staff and token holders are not held back by the read limit.</summary>
[Trait("Category", "http")]
public sealed class AnonymousLimitTests(AnonymousLimitsGatewayHost host) : IClassFixture<AnonymousLimitsGatewayHost>
{
    [Fact]
    public async Task One_address_mints_only_its_budget_of_anonymous_participants()
    {
        using var anonymous = host.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await ParticipantProofClient.MintAsync(anonymous);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task Anonymous_exports_are_limited_per_address_staff_exports_are_not()
    {
        var id = await host.CreateConsultation();
        using var anonymous = host.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await anonymous.GetAsync($"/api/consultations/{id}/export?format=json");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        using var staff = host.Client(await host.StaffToken("official"));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/consultations/{id}/export?format=json")).StatusCode);
        }
    }
}
