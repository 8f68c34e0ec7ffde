using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>Counts the gateway's public-feed readers against <see cref="LiveFeedOptions.MaxReaders"/>.</summary>
public sealed class FeedAdmission(IOptions<LiveFeedOptions> options)
{
    private int _readers;

    public int Readers => Volatile.Read(ref _readers);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _readers) <= options.Value.MaxReaders)
        {
            return true;
        }

        Interlocked.Decrement(ref _readers);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _readers);
}

/// <summary>
/// <c>GET /api/consultations/{id}/events</c>: the public live feed as Server-Sent Events, no account
/// needed (docs/live-feed.md). The consultation first, then the gap after <c>Last-Event-ID</c> (or
/// <c>?after=</c>), then live rounds from <see cref="ConsultationFeed"/>.
/// </summary>
public static class PublicFeedEndpoints
{
    public const string Path = "/api/consultations/{id}/events";

    private const int PageSize = 1000;

    private static readonly Viewer Anyone = new(ViewerRole.Participant, null);

    public static void MapPublicFeed(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, Stream)
            .RequireRateLimiting(AuthSetup.AnonymousReadLimit)
            .WithTags("Live")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithName("PublicEvents")
            .WithSummary("The public live record as server-sent events: published items, tallies, moderation log, opinion and topic groups; resumes after Last-Event-ID.");

    private static async Task<IResult> Stream(
        string id,
        long? after,
        HttpContext http,
        ClaimsPrincipal user,
        IGrainFactory grains,
        ConsultationFeed feed,
        FeedAdmission admission,
        IOptions<LiveFeedOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
        ILoggerFactory loggers)
    {
        // The same answer as for an unknown consultation, and no grain activated for a made-up id.
        if (!ConsultationIds.IsValid(id))
        {
            return NotFound(id);
        }

        var resumeAfter = after ?? 0;
        if (http.Request.Headers["Last-Event-ID"] is { Count: > 0 } header)
        {
            // The header wins over ?after: it is what a browser's EventSource sends on its own reconnects.
            if (!long.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out resumeAfter))
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "bad-request", "Last-Event-ID must be a sequence number.");
            }
        }

        if (resumeAfter < 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "bad-request", "after must be a sequence number.");
        }

        if (!admission.TryEnter())
        {
            // Spread the retries, so a full gateway is not hit again by every refused reader in the same second.
            http.Response.Headers.RetryAfter = Random.Shared.Next(10, 31).ToString(CultureInfo.InvariantCulture);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "The live feed is full on this server; please retry later.");
        }

        try
        {
            var staff = Roles.Staff.Any(user.IsInRole);
            var consultation = grains.GetGrain<IConsultationGrain>(id);
            if (await consultation.GetInfo() is not { } info || !ConsultationAccess.CanTakeRecord(info, user))
            {
                return NotFound(id);
            }

            var settings = options.Value;
            var logger = loggers.CreateLogger(typeof(PublicFeedEndpoints));
            var reader = new FeedReader(Math.Max(1, settings.QueueRounds), staff, reason =>
            {
                logger.LogInformation("Dropped a live-feed reader of {Consultation}: {Reason}", id, reason);
                http.Abort();
            });
            await feed.AddFeedReader(id, reader);
            LiveMetrics.FeedReaderConnected();
            try
            {
                var session = new FeedSession(http, reader, jsonOptions.Value.SerializerOptions, settings);
                await session.Run(consultation, resumeAfter, info.Mode == ConsultationMode.Deliberation ? grains.GetGrain<IOpinionGrain>(id) : null);
            }
            catch (Exception) when (http.RequestAborted.IsCancellationRequested || reader.Dropped)
            {
                // The reader went away or was dropped: nothing to answer.
            }
            catch (Exception ex) when (http.Response.HasStarted)
            {
                // Headers are out: end the stream; the reader reconnects with its Last-Event-ID.
                logger.LogWarning(ex, "The live feed of {Consultation} failed for a reader", id);
            }
            finally
            {
                LiveMetrics.FeedReaderDisconnected();
                feed.RemoveFeedReader(id, reader);
            }

            return Results.Empty;
        }
        finally
        {
            admission.Leave();
        }
    }

    private static IResult NotFound(string id) =>
        Problems.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"Consultation '{id}' does not exist.");

    /// <summary>One reader's response: the snapshot and gap, then live rounds, deduplicated by seq.</summary>
    private sealed class FeedSession(HttpContext http, FeedReader reader, JsonSerializerOptions json, LiveFeedOptions settings)
    {
        private readonly TimeSpan _stallAfter = TimeSpan.FromSeconds(settings.StallSeconds);
        private readonly TimeSpan _keepAliveEvery = TimeSpan.FromSeconds(settings.KeepAliveSeconds);
        private CancellationTokenSource _write = null!;

        // What the gap covered: live rounds queued while it was read repeat some of it.
        private long _consultationSeen;
        private long _itemsCovered;
        private long _logCovered;
        private long _lastId;

        // The event held back until the next one is known, so the last event of the gap carries the id.
        private FeedRound? _held;

        public async Task Run(IConsultationGrain consultation, long after, IOpinionGrain? opinion)
        {
            var response = http.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            // nginx and friends would otherwise buffer the stream.
            response.Headers["X-Accel-Buffering"] = "no";
            // Open data: any site may show the feed with EventSource. Only simple requests pass (no
            // preflight is answered), so a staff token never travels cross-origin to this endpoint.
            response.Headers.AccessControlAllowOrigin = "*";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            // HTTP/1 only: an HTTP/2 connection carries other streams too, and its flow control window already bounds a stalled stream.
            if (settings.SocketSendBufferBytes > 0
                && (HttpProtocol.IsHttp11(http.Request.Protocol) || HttpProtocol.IsHttp10(http.Request.Protocol))
                && http.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
            {
                socket.SendBufferSize = settings.SocketSendBufferBytes;
            }

            await response.StartAsync(http.RequestAborted);

            _write = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            try
            {
                if (!await Snapshot(consultation, after, opinion))
                {
                    return;
                }

                await Live();
            }
            finally
            {
                _write.Dispose();
            }
        }

        /// <summary>The consultation, the items and log entries after <paramref name="after"/>, the current opinion groups.</summary>
        private async Task<bool> Snapshot(IConsultationGrain consultation, long after, IOpinionGrain? opinion)
        {
            var info = await consultation.GetInfo() ?? throw new InvalidOperationException("The consultation is gone.");
            if (after > info.LastSeq)
            {
                // An id from the future (a restored database, another deployment): resending everything is
                // the only answer that leaves the reader with no holes.
                after = 0;
            }

            _lastId = after;
            _consultationSeen = info.LastSeq;
            if (!await Event(new FeedRound { Consultation = info }))
            {
                return false;
            }

            var position = after;
            while (true)
            {
                var page = await consultation.GetItems(Anyone, position, PageSize);
                if (page.Items.Count > 0 && !await Event(new FeedRound { Items = page.Items }))
                {
                    return false;
                }

                position = page.LastSeq;
                if (!page.HasMore)
                {
                    break;
                }
            }

            _itemsCovered = Math.Max(after, position);
            position = after;
            while (true)
            {
                var page = await consultation.GetModerationLog(position, PageSize);
                if (page.Entries.Count > 0 && !await Event(new FeedRound { Log = page.Entries }))
                {
                    return false;
                }

                if (page.Entries.Count < PageSize)
                {
                    position = Math.Max(position, page.LastSeq);
                    break;
                }

                position = page.Entries[^1].Seq;
            }

            _logCovered = Math.Max(after, position);
            if (opinion is not null && !await Event(new FeedRound { Opinion = (await opinion.Get(null)).ForParticipant() }))
            {
                return false;
            }

            _lastId = Math.Max(after, Math.Min(_itemsCovered, _logCovered));
            return await Flush(_lastId);
        }

        private async Task Live()
        {
            var rounds = reader.Rounds;
            var catchingUp = true;
            var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            try
            {
                while (!reader.Dropped)
                {
                    if (!rounds.TryRead(out var round))
                    {
                        wait.CancelAfter(_keepAliveEvery);
                        bool more;
                        try
                        {
                            more = await rounds.WaitToReadAsync(wait.Token);
                        }
                        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
                        {
                            wait.Dispose();
                            wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                            if (!await Write(FeedFrames.KeepAlive))
                            {
                                return;
                            }

                            continue;
                        }

                        if (!more || !wait.TryReset())
                        {
                            return;
                        }

                        continue;
                    }

                    if (round.Consultation is { } changed && !FeedMayRead(changed))
                    {
                        // It went private or back to draft: anonymous readers are done (a reconnect gets 404).
                        return;
                    }

                    if (catchingUp && round.Seq is { } seq)
                    {
                        if (round.MinSeq > Math.Max(_consultationSeen, Math.Max(_itemsCovered, _logCovered)) && seq > _lastId)
                        {
                            catchingUp = false;
                        }
                        else
                        {
                            round = Unseen(round, seq);
                            if (round.IsEmpty)
                            {
                                continue;
                            }
                        }
                    }

                    if (!await Write(round.Bytes))
                    {
                        return;
                    }

                    _lastId = Math.Max(_lastId, round.Seq ?? 0);
                }
            }
            finally
            {
                wait.Dispose();
            }
        }

        private bool FeedMayRead(ConsultationInfo info) => ConsultationAccess.CanTakeRecord(info, reader.Staff);

        /// <summary>A round queued while the gap was read, without what the gap already sent.</summary>
        private FeedRound Unseen(FeedRound round, long seq) => new FeedRound
        {
            Consultation = round.Consultation is { } c && c.LastSeq > _consultationSeen ? c : null,
            Items = [.. round.Items.Where(i => i.Seq > _itemsCovered)],
            Votes = [.. round.Votes.Where(v => v.Seq > _itemsCovered)],
            Log = [.. round.Log.Where(e => e.Seq > _logCovered)],
            Opinion = round.Opinion,
            Topics = round.Topics,
            // Never an id below one already sent: Last-Event-ID only moves forward.
            Seq = Math.Max(seq, _lastId),
        }.Seal(json);

        /// <summary>Writes the event held back before and holds this one.</summary>
        private async Task<bool> Event(FeedRound content)
        {
            var ok = await Flush(null);
            _held = content;
            return ok;
        }

        private async Task<bool> Flush(long? id)
        {
            if (_held is not { } held)
            {
                return true;
            }

            _held = null;
            return await Write(held.WithSeq(id).Seal(json).Bytes);
        }

        /// <summary>
        /// Writes and flushes; a write the socket has not taken after <see cref="LiveFeedOptions.StallSeconds"/>
        /// drops the reader. Only this reader's request waits on it, never the send loop.
        /// </summary>
        private async Task<bool> Write(ReadOnlyMemory<byte> bytes)
        {
            _write.CancelAfter(_stallAfter);
            try
            {
                var result = await http.Response.BodyWriter.WriteAsync(bytes, _write.Token);
                if (result.IsCanceled || result.IsCompleted)
                {
                    reader.Drop("its connection stopped taking data");
                    return false;
                }
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
            {
                reader.Drop($"a write did not complete in {_stallAfter.TotalSeconds:0.#} s");
                return false;
            }

            return _write.TryReset();
        }
    }
}
