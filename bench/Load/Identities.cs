using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// What scripted identities cost an attacker: one address mints N anonymous participants and each upvotes
/// the same question, first without the proof of work (as before admission existed), then with the
/// default difficulty. Reports the attacker's wall time and CPU per identity, the server's CPU, how many
/// the per-address budget refused, and whether moderators got a vote-burst flag on the pushed item.
/// </summary>
public static class Identities
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var count = options.Int("identities", 1000);
        var bits = options.Int("bits", new DialogueOptions().ParticipantProofBits);
        var budget = options.Int("budget", new DialogueOptions().ParticipantTokensPerAddress);
        var parallel = options.Int("parallel", Environment.ProcessorCount);

        Console.WriteLine($"| proof bits | identities | minted | refused (429) | attacker wall s | attacker CPU ms / identity | server CPU ms / identity | votes counted | burst flagged |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var summary = new List<string>();
        foreach (var difficulty in new[] { 0, bits })
        {
            await using var server = await LoadServer.StartAsync(new()
            {
                ["Dialogue__ParticipantProofBits"] = difficulty.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Dialogue__ParticipantTokensPerAddress"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Dialogue__VotesPerMinute"] = "120",
            });
            using var api = new DialogueApi(server.Address, LoadServer.AdminKey);
            var admin = await api.StaffToken("admin", "Bench admin");
            var id = await api.CreateConsultation(admin, "qa", "post");
            var author = await api.ParticipantToken();
            using var submitted = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", author, new { clientId = "pushed", text = "Pertanyaan yang didorong skrip" });
            var itemId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            var minted = 0;
            var refused = 0;
            var serverCpu = server.CpuTime();
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (_, ct) =>
            {
                using var response = await ParticipantProofClient.MintAsync(api.Http, ct);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }

                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref minted);
                var token = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
                using var vote = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items/{itemId}/votes", token, new { value = 1 });
                vote.EnsureSuccessStatusCode();
            });
            clock.Stop();
            var attackerCpu = Process.GetCurrentProcess().TotalProcessorTime - ownCpu;
            var serverUsed = server.CpuTime() - serverCpu;

            using var staff = await api.Send(HttpMethod.Get, $"/api/consultations/{id}/items", admin);
            var item = (await staff.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Last(i => i.GetProperty("id").GetString() == itemId);
            var up = item.GetProperty("votes").GetProperty("up").GetInt32();
            var flagged = item.GetProperty("review").TryGetProperty("burst", out var burst);
            Console.WriteLine($"| {difficulty} | {count} | {minted} | {refused} | {clock.Elapsed.TotalSeconds:F1} | {attackerCpu.TotalMilliseconds / Math.Max(1, minted):F1} | {serverUsed.TotalMilliseconds / Math.Max(1, minted):F2} | {up} | {(flagged ? $"yes ({burst.GetProperty("newIdentities").GetInt32()} new)" : "no")} |");
            summary.Add($"bits{difficulty}_wall_s={clock.Elapsed.TotalSeconds:F1} bits{difficulty}_cpu_ms_per_identity={attackerCpu.TotalMilliseconds / Math.Max(1, minted):F1} bits{difficulty}_minted={minted} bits{difficulty}_flagged={flagged}");
        }

        Console.WriteLine(string.Join(' ', summary));
        return 0;
    }
}
