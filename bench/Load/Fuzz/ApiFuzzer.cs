using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR;

namespace OpenGov.Dialogue.Load.Fuzz;

/// <summary>What the fuzzer aims at: two consultations with an item each, and a token per role (null: anonymous).</summary>
public sealed record FuzzTarget(Uri Address, IReadOnlyList<string> Consultations, IReadOnlyList<string> Items, IReadOnlyDictionary<string, string?> Tokens, string AdminToken)
{
    /// <summary>
    /// Creates what the cases aim at through the API (an open Q&amp;A with one item, a code-admitted
    /// deliberation) for the given tokens: the test host and the bench's server process both use it.
    /// </summary>
    public static async Task<FuzzTarget> PrepareAsync(Uri address, string admin, string moderator, string official, string participant)
    {
        using var http = new HttpClient { BaseAddress = address };
        async Task<string> Post(string path, string token, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        var open = await Post("/api/consultations", admin, new { title = "Fuzz open", mode = "qa", moderation = "post" });
        var code = await Post("/api/consultations", admin, new { title = "Fuzz code", mode = "deliberation", admission = "code" });
        var item = await Post($"/api/consultations/{open}/items", participant, new { clientId = "fuzz", text = "Pertanyaan untuk diuji" });
        var tokens = new Dictionary<string, string?>
        {
            ["anonymous"] = null,
            ["participant"] = participant,
            ["moderator"] = moderator,
            ["official"] = official,
            ["admin"] = admin,
        };
        return new FuzzTarget(address, [open, code], [item, "i1"], tokens, admin);
    }
}

/// <summary>One case that broke a rule: what was sent and what came back.</summary>
public sealed record FuzzFailure(string Case, string Problem);

public sealed class FuzzReport
{
    public int Cases { get; set; }

    public int HubCases { get; set; }

    public int RawFrames { get; set; }

    /// <summary>Hub connections SignalR closed because a message was over its size limit (allowed).</summary>
    public int ClosedForSize { get; set; }

    public Dictionary<int, int> ByStatus { get; } = [];

    public List<FuzzFailure> Failures { get; } = [];

    public int ServerErrors => ByStatus.Where(p => p.Key >= 500).Sum(p => p.Value);
}

/// <summary>
/// Sends generated hostile requests to every REST endpoint of the OpenAPI document and every hub method:
/// malformed and wrongly typed JSON, huge and deeply nested values, invalid UTF-8, ids of other
/// consultations and of nothing, every role; and raw malformed MessagePack frames to the hub. Rules: never a
/// 5xx; every 4xx is problem+json without a stack trace; a refused request changes nothing (the consultations'
/// last sequence numbers, statuses and the directory are compared before and after it); the server stays healthy.
/// Deterministic for a seed.
/// </summary>
public sealed class ApiFuzzer(FuzzTarget target, int seed)
{
    private static readonly string[] Junk =
    [
        "", " ", "zzzzzzzz", "ZZZZZZZZ", "../../etc/passwd", "%00", "%FF%FE", "i0", "i-1", "i99999999", "1", "-1", "0", "null", "true",
        "' OR 1=1 --", "<script>alert(1)</script>", "\u202Eevil", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a/b", "%2e%2e", "9223372036854775808", "NaN", "{}", "[]",
    ];

    private static readonly string[] HubMethods =
        ["Join", "Leave", "Items", "Submit", "Vote", "JoinPresenter", "Similar", "OpinionGroups", "Queue", "Moderate", "Answer", "Appeal", "NoSuchMethod", "OnConnectedAsync", "Dispose"];

    /// <summary>A body large enough that the server may stop reading it, and SignalR's largest message (its default).</summary>
    private const int LargeBody = 64 * 1024;
    private const int LongUrl = 8 * 1024;
    private const int HubMessageLimit = 32 * 1024;

    private readonly Random _random = new(seed);
    private readonly Dictionary<string, int> _lastHubMessage = [];
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = target.Address, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>For the one repeat of a request whose pooled connection was gone: never reuses a connection.</summary>
    private readonly HttpClient _fresh = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = target.Address, Timeout = TimeSpan.FromSeconds(60) };
    private readonly HttpClient _admin = new() { BaseAddress = target.Address, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<FuzzReport> RunAsync(int restCases, int hubCases, int rawFrames, CancellationToken cancellationToken = default)
    {
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", target.AdminToken);
        var report = new FuzzReport();
        var endpoints = await Endpoints(cancellationToken);
        for (var i = 0; i < restCases; i++)
        {
            await RestCase(endpoints[_random.Next(endpoints.Count)], report, cancellationToken);
        }

        await HubCases(hubCases, report, cancellationToken);
        await RawMessagePack(rawFrames, report, cancellationToken);

        using var health = await _http.GetAsync("/health", cancellationToken);
        if (!health.IsSuccessStatusCode)
        {
            report.Failures.Add(new FuzzFailure("GET /health/live after the run", $"status {(int)health.StatusCode}"));
        }

        return report;
    }

    private async Task<List<(HttpMethod Method, string Path)>> Endpoints(CancellationToken cancellationToken)
    {
        var document = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", cancellationToken);
        var list = new List<(HttpMethod, string)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                list.Add((new HttpMethod(operation.Name.ToUpperInvariant()), path.Name));
            }
        }

        return list;
    }

    private async Task RestCase((HttpMethod Method, string Path) endpoint, FuzzReport report, CancellationToken cancellationToken)
    {
        var role = target.Tokens.Keys.ElementAt(_random.Next(target.Tokens.Count));
        var path = FillPath(endpoint.Path) + Query();
        var (body, contentType, describe) = Body();
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(endpoint.Method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            if (target.Tokens[role] is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return request;
        }

        var name = $"{endpoint.Method} {Shorten(path)} as {role} with {describe}";
        var before = await Fingerprint(cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await SendOnce(Request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            report.Cases++;
            if (body is { Length: > LargeBody } || (body is not null && path.Length > LongUrl))
            {
                // Kestrel answers a large body it will not read (413 over its limit, 401/403 before binding), or a
                // request line over its 8 KB limit (414), and may close the connection instead of draining the body,
                // so the client can fail mid-upload: allowed, as long as the server stays healthy.
                report.ByStatus[0] = report.ByStatus.GetValueOrDefault(0) + 1;
                using var health = await _http.GetAsync("/health", cancellationToken);
                if (!health.IsSuccessStatusCode)
                {
                    report.Failures.Add(new FuzzFailure(name, $"server unhealthy after an oversized body: {(int)health.StatusCode}"));
                }

                return;
            }

            report.Failures.Add(new FuzzFailure(name, $"connection failed: {ex.Message}"));
            return;
        }

        using (response)
        {
            report.Cases++;
            var status = (int)response.StatusCode;
            report.ByStatus[status] = report.ByStatus.GetValueOrDefault(status) + 1;
            // A live stream (the public event feed) that opened is a success: it never ends by itself.
            var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" && status < 400
                ? string.Empty
                : await response.Content.ReadAsStringAsync(cancellationToken);
            if (status >= 500)
            {
                report.Failures.Add(new FuzzFailure(name, $"status {status}: {Shorten(text)}"));
                return;
            }

            if (status >= 400)
            {
                // Kestrel refuses a request line or headers over its limits (414, 431) before any middleware runs,
                // with an empty body: a transport-level refusal like a closed connection, not an API answer.
                if (status is 414 or 431 && response.Content.Headers.ContentLength is null or 0)
                {
                    return;
                }

                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    report.Failures.Add(new FuzzFailure(name, $"status {status} without problem+json ({response.Content.Headers.ContentType?.MediaType ?? "no body"})"));
                }

                if (text.Contains("   at ", StringComparison.Ordinal))
                {
                    report.Failures.Add(new FuzzFailure(name, "stack trace in the response"));
                }

                var after = await Fingerprint(cancellationToken);
                if (after != before)
                {
                    report.Failures.Add(new FuzzFailure(name, $"refused with {status} but state changed: {before} → {after}"));
                }
            }
        }
    }

    /// <summary>
    /// Sends the request; when the pooled connection it went out on turns out to have been closed by the server
    /// meanwhile (a connection an earlier case's refused upload ended), sends it once more on a fresh one.
    /// Whatever answer comes back is judged by the same rules.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnce(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        try
        {
            using var first = request();
            return await _http.SendAsync(first, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.Unknown)
        {
            // On a connection of its own: the pool may hold more than one connection the server has closed.
            using var again = request();
            return await _fresh.SendAsync(again, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
    }

    /// <summary>The consultations' last sequence numbers and settings, and the directory: any write changes it.</summary>
    private async Task<string> Fingerprint(CancellationToken cancellationToken)
    {
        var parts = new StringBuilder();
        foreach (var id in target.Consultations)
        {
            var info = await _admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}", cancellationToken);
            parts.Append(id).Append(':').Append(info.GetProperty("lastSeq").GetInt64()).Append(':').Append(info.GetProperty("status").GetString())
                .Append(':').Append(info.GetProperty("title").GetString()).Append(';');
        }

        var list = await _admin.GetFromJsonAsync<JsonElement>("/api/consultations", cancellationToken);
        return parts.Append("directory:").Append(list.GetArrayLength()).ToString();
    }

    private string FillPath(string template)
    {
        var path = new StringBuilder();
        foreach (var segment in template.Split('/'))
        {
            path.Append(segment switch
            {
                "" => "",
                "{id}" => Pick(0.7) ? Pick(target.Consultations) : Uri.EscapeDataString(Pick(Junk)),
                "{itemId}" => Pick(0.6) ? Pick(target.Items) : Uri.EscapeDataString(Pick(Junk)),
                _ when segment.StartsWith('{') => Uri.EscapeDataString(Pick(Junk)),
                _ => segment,
            }).Append('/');
        }

        return path.ToString().TrimEnd('/');
    }

    private string Query()
    {
        if (!Pick(0.4))
        {
            return string.Empty;
        }

        string[] names = ["after", "limit", "format", "sort", "pinnedFirst", "text", "top", "c", "access_token", "consultationId"];
        string[] values = ["-1", "0", "abc", "99999999999999999999", "json", "polis", "xml", "true", "1e9", new string('q', 5000), "%00", "\uFFFF"];
        var count = _random.Next(1, 4);
        return "?" + string.Join('&', Enumerable.Range(0, count).Select(_ => $"{Pick(names)}={Uri.EscapeDataString(Pick(values))}"));
    }

    private (byte[]? Body, string ContentType, string Describe) Body()
    {
        const string json = "application/json";
        switch (_random.Next(14))
        {
            case 0: return (null, json, "no body");
            case 1: return (Encoding.UTF8.GetBytes(Pick(["not json", "{", "{\"text\":", "[1,2", "\"", "{'text':'single'}", "{\"a\":1,}", "NaN", "{\"text\":\"a\"}garbage"])), json, "malformed JSON");
            case 2: return ([0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D], json, "invalid UTF-8");
            case 3: return (Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), json, "10,000-deep nesting");
            case 4: return (Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { text = new string('x', 1_000_000), clientId = "c", title = new string('t', 100_000) })), json, "1 MB strings");
            case 5: return (Encoding.UTF8.GetBytes("{\"value\":1e400,\"count\":99999999999999999999,\"limit\":-9223372036854775809}"), json, "numbers out of range");
            case 6: return (Encoding.UTF8.GetBytes("{\"text\":\"a\",\"text\":\"b\",\"clientId\":\"x\",\"clientId\":7}"), json, "duplicate keys");
            case 7: return (Encoding.UTF8.GetBytes("{\"a\":1}"), Pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]), "wrong content type");
            case 8: return (Encoding.UTF8.GetBytes("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\nPK\u0003\u0004garbage\r\n--x--\r\n"), "multipart/form-data; boundary=x", "garbage multipart zip");
            case 9: return (Encoding.UTF8.GetBytes("null"), json, "JSON null");
            default: return (Encoding.UTF8.GetBytes(WrongTypes()), json, "wrongly typed fields");
        }
    }

    /// <summary>An object with the field names the API uses, each given a random value of a random type.</summary>
    private string WrongTypes()
    {
        string[] fields = ["text", "clientId", "value", "action", "itemIds", "reason", "note", "targetId", "tags", "itemId", "kind", "minutes", "status", "owner", "due", "title", "description", "mode", "moderation", "visibility", "admission", "joinCodeMinutes", "retentionDays", "publishRejected", "count", "confirm", "key", "role", "name", "consultationId", "code", "challenge", "nonce", "leaseSeconds"];
        var builder = new StringBuilder("{");
        var n = _random.Next(1, 8);
        for (var i = 0; i < n; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append('"').Append(Pick(fields)).Append("\":").Append(RandomValue(0));
        }

        return builder.Append('}').ToString();
    }

    private string RandomValue(int depth) => _random.Next(depth > 2 ? 6 : 9) switch
    {
        0 => "null",
        1 => Pick(["true", "false"]),
        2 => Pick(["0", "-1", "1", "2", "7", "2147483648", "-2147483649", "1.5", "1e308"]),
        3 => JsonSerializer.Serialize(Pick(Junk)),
        4 => JsonSerializer.Serialize(Pick(target.Items.Concat(target.Consultations).Concat(["reject", "approve", "merge", "spam", "ban", "admin", "code", "2026-13-45"]).ToArray())),
        5 => JsonSerializer.Serialize(new string('y', _random.Next(1, 20_000))),
        6 => "[" + string.Join(',', Enumerable.Range(0, _random.Next(0, 60)).Select(_ => RandomValue(depth + 1))) + "]",
        7 => "{\"x\":" + RandomValue(depth + 1) + "}",
        _ => "\"\\u0000\\ud800\"",
    };

    private async Task HubCases(int cases, FuzzReport report, CancellationToken cancellationToken)
    {
        var roles = target.Tokens.Where(t => t.Value is not null).ToList();
        var connections = new Dictionary<string, HubConnection>();
        try
        {
            for (var i = 0; i < cases; i++)
            {
                var (role, token) = roles[_random.Next(roles.Count)];
                if (!connections.TryGetValue(role, out var connection) || connection.State != HubConnectionState.Connected)
                {
                    if (connection is not null)
                    {
                        // SignalR closes a connection that sends a message over its size limit; any other close is a failure.
                        if (_lastHubMessage.GetValueOrDefault(role) <= HubMessageLimit)
                        {
                            report.Failures.Add(new FuzzFailure($"hub connection of {role}", $"was closed by the server ({connection.State}) after a message of {_lastHubMessage.GetValueOrDefault(role)} bytes"));
                        }

                        report.ClosedForSize++;
                        await connection.DisposeAsync();
                    }

                    connection = new HubConnectionBuilder()
                        .WithUrl(new Uri(target.Address, "/hubs/dialogue"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                        .Build();
                    await connection.StartAsync(cancellationToken);
                    connections[role] = connection;
                }

                var method = Pick(HubMethods);
                var args = Enumerable.Range(0, _random.Next(0, 5)).Select(_ => HubArgument()).ToArray();
                var serialized = args.Select(a => JsonSerializer.Serialize(a)).ToList();
                _lastHubMessage[role] = serialized.Sum(a => Encoding.UTF8.GetByteCount(a)) + method.Length + 64;
                var name = $"hub {method}({string.Join(", ", serialized.Select(a => Shorten(a, 40)))}) as {role}";
                var before = await Fingerprint(cancellationToken);
                report.HubCases++;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(30));
                    await connection.InvokeCoreAsync<JsonElement?>(method, args, timeout.Token);
                }
                catch (HubException ex)
                {
                    if (ex.Message.Contains("   at ", StringComparison.Ordinal))
                    {
                        report.Failures.Add(new FuzzFailure(name, "stack trace in the hub error"));
                    }

                    if (await Fingerprint(cancellationToken) != before)
                    {
                        report.Failures.Add(new FuzzFailure(name, "refused but state changed"));
                    }
                }
                catch (OperationCanceledException)
                {
                    report.Failures.Add(new FuzzFailure(name, "no answer within 30 s"));
                }
                catch (Exception ex) when (ex is InvalidOperationException or JsonException)
                {
                    // The connection closed under the call, or a result the client could not read as JSON.
                    if (connection.State != HubConnectionState.Connected)
                    {
                        report.Failures.Add(new FuzzFailure(name, $"connection lost: {ex.Message}"));
                    }
                }
            }
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private object? HubArgument() => _random.Next(10) switch
    {
        0 => null,
        1 => Pick(target.Consultations),
        2 => Pick(target.Items),
        3 => Pick(Junk),
        4 => _random.Next(-5, 5),
        5 => long.MaxValue,
        6 => new string('h', _random.Next(1, 100_000)),
        7 => new Dictionary<string, object?> { ["action"] = Pick(["reject", "approve", "ban", "x"]), ["itemIds"] = new[] { Pick(target.Items) }, ["reason"] = Pick(Junk) },
        8 => new object?[] { 1, "two", null, new[] { 3.5 } },
        _ => Sendable(JsonDocument.Parse(WrongTypes()).RootElement),
    };

    /// <summary>The client's serializer refuses lone surrogates (the server never sees them that way): send such text as a string.</summary>
    private static object Sendable(JsonElement element)
    {
        try
        {
            JsonSerializer.Serialize(element);
            return element;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return element.GetRawText();
        }
    }

    /// <summary>Raw WebSocket frames after a MessagePack handshake: truncated, oversized and random bytes.</summary>
    private async Task RawMessagePack(int frames, FuzzReport report, CancellationToken cancellationToken)
    {
        var token = target.Tokens.Values.First(t => t is not null)!;
        var uri = new UriBuilder(target.Address) { Scheme = target.Address.Scheme == "https" ? "wss" : "ws", Path = "/hubs/dialogue", Query = $"access_token={token}" }.Uri;
        ClientWebSocket? socket = null;
        try
        {
            for (var i = 0; i < frames; i++)
            {
                if (socket is null || socket.State != WebSocketState.Open)
                {
                    socket?.Dispose();
                    socket = new ClientWebSocket();
                    await socket.ConnectAsync(uri, cancellationToken);
                    await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"messagepack\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, cancellationToken);
                }

                var frame = new byte[_random.Next(1, Pick(0.1) ? 200_000 : 64)];
                _random.NextBytes(frame);
                if (Pick(0.5))
                {
                    // A plausible length prefix and invocation type, then garbage.
                    frame[0] = (byte)Math.Min(frame.Length - 1, 0x7F);
                    if (frame.Length > 2)
                    {
                        frame[1] = 0x96;
                        frame[2] = 0x01;
                    }
                }

                report.RawFrames++;
                try
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken);
                }
                catch (WebSocketException)
                {
                    // The server closed the socket on a protocol error: allowed, the next frame opens another.
                }
            }
        }
        finally
        {
            socket?.Dispose();
        }

        // Afterwards a normal client still connects and is answered.
        await using var check = new HubConnectionBuilder()
            .WithUrl(new Uri(target.Address, "/hubs/dialogue"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await check.StartAsync(cancellationToken);
        try
        {
            await check.InvokeAsync<JsonElement>("Items", target.Consultations[0], 0L, cancellationToken);
        }
        catch (HubException ex)
        {
            report.Failures.Add(new FuzzFailure("hub after raw frames", ex.Message));
        }
    }

    private bool Pick(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> options) => options[_random.Next(options.Count)];

    private static string Shorten(string text, int max = 160) => text.Length <= max ? text : text[..max] + $"…({text.Length})";
}
