using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.OpenData;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// Every Pol.is conversation in ../shared/data/polis goes into the real server through the import API
/// and comes back out through the export: comment texts, moderation states, times and the whole vote
/// matrix must be the same. Participants get new pseudonymous numbers, so the matrix is compared as
/// the multiset of participants' rows, and authors through their rows.
/// </summary>
[Trait("Category", "http")]
public sealed class PolisRoundTripTests(GatewayHost host, ITestOutputHelper output) : IClassFixture<GatewayHost>
{
    public static TheoryData<string> Folders => new()
    {
        "15-per-hour-seattle",
        "football-concussions",
        "scoop-hivemind.biodiversity",
        "vtaiwan.uberx",
        "austria-climate.5twd2jsnkf.2022-08-08",
        "american-assembly.bowling-green",
    };

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Import_then_export_reproduces_texts_moderation_and_every_vote_matrix_cell(string folder)
    {
        var original = PolisReader.ReadDirectory(Path.Combine(OpenGov.Dialogue.Tests.SharedPolisData.Root, folder));
        using var admin = host.Client(await host.StaffToken());

        var watch = Stopwatch.StartNew();
        using var imported = await admin.PostAsync("/api/consultations/import", ZipOf(Path.Combine(OpenGov.Dialogue.Tests.SharedPolisData.Root, folder)));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var id = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultation").GetString()!;
        var importSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var zip = await admin.GetByteArrayAsync($"/api/consultations/{id}/export?format=polis");
        output.WriteLine($"{folder}: import {importSeconds:F2} s, export {watch.Elapsed.TotalSeconds:F2} s");
        var exported = PolisReader.ReadZip(new MemoryStream(zip));

        // Comments: same ids, times, texts and moderation states.
        Assert.Equal(original.Comments.Count, exported.Comments.Count);
        var back = exported.Comments.ToDictionary(c => c.CommentId);
        foreach (var c in original.Comments)
        {
            var e = back[c.CommentId];
            Assert.Equal(c.Body, e.Body);
            Assert.Equal(c.Moderated, e.Moderated);
            Assert.Equal(c.Timestamp, e.Timestamp);
        }

        // Vote events: the same number, and where the source has them the same agree/disagree counts per comment.
        if (original.Votes is { } votes)
        {
            Assert.Equal(votes.Count, exported.Votes!.Count);
            foreach (var c in original.Comments)
            {
                Assert.Equal((c.Agrees, c.Disagrees), (back[c.CommentId].Agrees, back[c.CommentId].Disagrees));
            }
        }

        // The matrix, every participant × comment cell, up to the renumbering of participants.
        Assert.Equal(
            original.Participants.Select(p => Row(p, original.MatrixColumns)).Order(StringComparer.Ordinal),
            exported.Participants.Select(p => Row(p, original.MatrixColumns)).Order(StringComparer.Ordinal));
        var exportedRows = exported.Participants.ToDictionary(p => p.Participant, p => Row(p, original.MatrixColumns));
        var originalRows = original.Participants.ToDictionary(p => p.Participant, p => Row(p, original.MatrixColumns));
        foreach (var c in original.Comments.Where(c => originalRows.ContainsKey(c.AuthorId)))
        {
            // The author of each comment is the same person: same row of votes.
            Assert.Equal(originalRows[c.AuthorId], exportedRows[back[c.CommentId].AuthorId]);
        }

        // No matrix column beyond the source's may hold a vote (the export lists every comment).
        Assert.All(exported.Participants, p => Assert.All(p.Votes.Keys, k => Assert.Contains(k, original.MatrixColumns)));
    }

    [Fact]
    public async Task A_malformed_upload_is_refused_with_file_line_and_column_and_creates_nothing()
    {
        using var admin = host.Client(await host.StaffToken());
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/consultations")).GetArrayLength();
        var files = new Dictionary<string, string>
        {
            ["comments.csv"] = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,1,0,1,Hello\n2,x,one,0,1,0,1,Bad\n",
            ["participants-votes.csv"] = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n0,,1,1,1,0,1\n",
            ["summary.csv"] = "topic,T\nurl,u\nviews,1\nvoters,1\nvoters-in-conv,1\ncommenters,1\ncomments,1\ngroups,0\nconversation-description,d\n",
        };
        using var response = await admin.PostAsync("/api/consultations/import", ZipOf(files));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:opengov-dialogue:problem:invalid-polis", problem.GetProperty("type").GetString());
        Assert.Equal("comments.csv", problem.GetProperty("file").GetString());
        Assert.Equal(3, problem.GetProperty("line").GetInt32());
        Assert.Equal(3, problem.GetProperty("column").GetInt32());
        Assert.Equal(before, (await admin.GetFromJsonAsync<JsonElement>("/api/consultations")).GetArrayLength());

        // Not a zip, no file part, and no admin: each refused.
        using var garbage = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "conversation.zip" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/consultations/import", garbage)).StatusCode);
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/consultations/import", empty)).StatusCode);
        using var moderator = host.Client(await host.StaffToken("moderator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PostAsync("/api/consultations/import", ZipOf(files))).StatusCode);
        Assert.Equal(before, (await admin.GetFromJsonAsync<JsonElement>("/api/consultations")).GetArrayLength());
    }

    [Fact]
    public async Task Progress_streams_as_ndjson_and_ends_with_the_consultation()
    {
        using var admin = host.Client(await host.StaffToken());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/consultations/import") { Content = ZipOf(Path.Combine(OpenGov.Dialogue.Tests.SharedPolisData.Root, "15-per-hour-seattle")) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        using var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(54 + 2995, lines[^2].GetProperty("done").GetInt32());
        var id = lines[^1].GetProperty("consultation").GetString()!;
        var info = await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}");
        Assert.Equal("closed", info.GetProperty("status").GetString());
        Assert.Equal("$15/hour", info.GetProperty("title").GetString());
    }

    private static string Row(PolisParticipant p, IReadOnlyList<int> columns) =>
        string.Join(',', columns.Select(c => p.Votes.TryGetValue(c, out var v) ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty));

    private static MultipartFormDataContent ZipOf(string folder) =>
        ZipOf(PolisReader.KnownFiles.Where(f => File.Exists(Path.Combine(folder, f))).ToDictionary(f => f, f => File.ReadAllText(Path.Combine(folder, f))));

    private static MultipartFormDataContent ZipOf(Dictionary<string, string> files)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return new MultipartFormDataContent { { content, "file", "conversation.zip" } };
    }
}
