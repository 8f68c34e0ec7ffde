using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Channels;

[GenerateSerializer, Alias("dialogue.channel-conversation-state")]
public sealed class ChannelConversationState
{
    [Id(0)] public string? Channel { get; set; }

    /// <summary>The number under AES-GCM (<see cref="ChannelSecrets.Seal"/>); null once dropped (KELUAR/STOP, erasure, idle).</summary>
    [Id(1)] public byte[]? SealedNumber { get; set; }

    [Id(2)] public string Language { get; set; } = "id";

    [Id(3)] public string? ConsultationId { get; set; }

    [Id(4)] public Admission? Admission { get; set; }

    [Id(5)] public ConsultationMode Mode { get; set; }

    /// <summary>The sender's last message: the number is dropped <see cref="ChannelOptions.NumberKeptDays"/> after it.</summary>
    [Id(6)] public DateTimeOffset LastActivity { get; set; }

    /// <summary>
    /// The last <see cref="ChannelConversationGrain.RecentIds"/> provider message ids, oldest first, each as 16 hex
    /// digits of its SHA-256: the state is rewritten per message, and a Cloud API id alone is about 60 characters.
    /// </summary>
    [Id(7)] public List<string> RecentMessageIds { get; set; } = [];

    [Id(8)] public List<OutboundMessage> Outbox { get; set; } = [];

    /// <summary>The last <see cref="ChannelConversationGrain.SentKept"/> messages sent, with their delivery status.</summary>
    [Id(9)] public List<SentMessage> Sent { get; set; } = [];

    /// <summary>When the sender asked to erase: "HAPUS YA" within ten minutes of it erases.</summary>
    [Id(10)] public DateTimeOffset? ErasureAskedAt { get; set; }

    /// <summary>After KELUAR/STOP or an erasure: drop the number once the last reply is out.</summary>
    [Id(11)] public bool ForgetWhenSent { get; set; }

    /// <summary>Wrong join codes in the last ten minutes (a sender guessing codes is stopped).</summary>
    [Id(12)] public List<DateTimeOffset> FailedJoins { get; set; } = [];

    [Id(13)] public bool Linked { get; set; }

    /// <summary>Set by an erasure: everything is cleared once the last reply is out.</summary>
    [Id(14)] public bool ClearWhenSent { get; set; }
}

/// <summary>A message waiting to be sent; <see cref="Attempts"/> counts the tries that certainly did not reach the provider.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.outbound-message")]
public sealed record OutboundMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string Text,
    [property: Id(2)] int Attempts,
    [property: Id(3)] DateTimeOffset NotBefore);

/// <summary>
/// One phone's conversation. Commands are read by <see cref="ChannelCommand"/>, texts come from
/// <see cref="ChannelTexts"/>; the citizen grain of the same id applies the rate limits, sanctions and
/// pseudonym exactly as for a web participant. Replies and notifications go through the outbox, drained by a
/// grain timer, so they are sent after the webhook is answered, once, and again after a transient failure.
/// </summary>
public sealed class ChannelConversationGrain(
    [PersistentState("channel", StorageNames.Grains)] IPersistentState<ChannelConversationState> state,
    TimeProvider clock,
    ChannelOptions options,
    ChannelSecrets secrets,
    IChannelTransport transport,
    ILogger<ChannelConversationGrain> logger) : Grain, IChannelConversationGrain
{
    public const int RecentIds = 100;
    public const int SentKept = 20;
    public const int MaxSendAttempts = 8;
    public const int MaxFailedJoins = 10;

    private static readonly TimeSpan JoinWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ErasureWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(10);

    /// <summary>The last activity is written at least this often, so the expiry of a number never comes much early.</summary>
    private static readonly TimeSpan ActivityWriteEvery = TimeSpan.FromHours(12);

    private IGrainTimer? _drain;
    private DateTimeOffset _quietUntil;

    /// <summary>
    /// Memory holds what storage does not yet: the hot path (a post, a vote, a status request, the send of its
    /// reply, delivery reports) is written at most every <see cref="FlushEvery"/> and when the grain
    /// deactivates, not once per message: one SQLite write per message serialised on the grain database and
    /// made an inbound message cost many times a web submission. What must not be lost is written before the
    /// webhook is answered: the first number, a join (and wrong codes), leaving, erasure, and notifications.
    /// A crash in between loses at most that window of recent message ids and receipts; a redelivered message
    /// then still makes one item (its client id is derived from the message id, and the consultation's
    /// journal keeps client ids), and its receipt may be sent twice.
    /// </summary>
    private bool _unsaved;
    private IGrainTimer? _flush;
    private DateTimeOffset _savedActivity;

    private string Id => this.GetPrimaryKeyString();

    private ICitizenGrain Citizen => GrainFactory.GetGrain<ICitizenGrain>(Id);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _savedActivity = state.State.LastActivity;
        if (state.State.SealedNumber is not null && Idle())
        {
            await DropNumber();
        }

        ScheduleDrain();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsaved)
        {
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Channel conversation state not written on deactivation");
            }
        }
    }

    public async Task<InboundResult> Receive(InboundMessage message)
    {
        var s = state.State;
        var messageKey = KeyOf(message.MessageId);
        if (s.RecentMessageIds.Contains(messageKey, StringComparer.Ordinal))
        {
            return new InboundResult(InboundOutcome.Duplicate, null, null);
        }

        try
        {
            var firstNumber = s.SealedNumber is null;
            s.Channel = message.Channel;
            s.SealedNumber = message.SealedNumber;
            s.LastActivity = clock.GetUtcNow();
            s.ForgetWhenSent = s.ClearWhenSent = false;
            if (firstNumber)
            {
                await ChannelDirectory.Shard(GrainFactory, Id).Add(Id);
            }

            var command = message.Kind == InboundKind.Text ? ChannelCommand.Parse(message.Text) : null;
            var (reply, itemId) = command is not null
                ? await Handle(message, command)
                : (ChannelTexts.Unsupported(s.Language), null);
            s.RecentMessageIds.Add(messageKey);
            if (s.RecentMessageIds.Count > RecentIds)
            {
                s.RecentMessageIds.RemoveRange(0, s.RecentMessageIds.Count - RecentIds);
            }

            if (reply is not null)
            {
                Enqueue(reply);
            }

            if (firstNumber || command?.Kind is CommandKind.Join or CommandKind.Leave or CommandKind.Erase or CommandKind.EraseConfirmed
                || s.LastActivity - _savedActivity > ActivityWriteEvery)
            {
                await Save();
            }
            else
            {
                MarkUnsaved();
            }

            ScheduleDrain();
            return new InboundResult(InboundOutcome.Handled, itemId, reply);
        }
        catch
        {
            // Memory may now hold what storage does not: start again from the stored state. The provider
            // retries the webhook; the item (keyed by the message id) and votes are stored once.
            _unsaved = false;
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task Notify(Notification notification)
    {
        var s = state.State;
        if (s.SealedNumber is null || s.Channel is null || s.ForgetWhenSent)
        {
            return;
        }

        if (ChannelTexts.Notification(s.Language, notification, MaxLength(s.Channel)) is { } text)
        {
            Enqueue(text);
            await Save();
            ScheduleDrain();
        }
    }

    public Task RecordStatus(DeliveryStatus status)
    {
        var sent = state.State.Sent;
        var index = sent.FindIndex(m => m.ProviderMessageId == status.ProviderMessageId);
        if (index < 0 || !DeliveryOrder.Advances(sent[index].Status, status.Status))
        {
            return Task.CompletedTask;
        }

        sent[index] = sent[index] with { Status = status.Status, At = status.At, Error = status.Error };
        MarkUnsaved();
        return Task.CompletedTask;
    }

    public async Task<bool> ExpireIfIdle()
    {
        if (state.State.SealedNumber is null)
        {
            return true;
        }

        if (!Idle())
        {
            return false;
        }

        await DropNumber();
        return true;
    }

    public Task<ChannelConversationView> GetView()
    {
        var s = state.State;
        return Task.FromResult(new ChannelConversationView(
            s.Channel,
            s.ConsultationId,
            s.Language,
            s.SealedNumber is not null,
            s.SealedNumber is null ? null : s.LastActivity.AddDays(options.NumberKeptDays),
            s.Outbox.Count,
            [.. s.Sent]));
    }

    private async Task<(string? Reply, string? ItemId)> Handle(InboundMessage message, ChannelCommand command)
    {
        var s = state.State;
        if (command.Language is { } language)
        {
            s.Language = language;
        }

        var lang = s.Language;
        switch (command.Kind)
        {
            case CommandKind.Join:
                return (await Join(message.Join), null);
            case CommandKind.Help:
                return (ChannelTexts.Help(lang), null);
            case CommandKind.Erase:
                s.ErasureAskedAt = clock.GetUtcNow();
                return (ChannelTexts.EraseAsk(lang), null);
            case CommandKind.EraseConfirmed when s.ErasureAskedAt is { } asked && clock.GetUtcNow() - asked <= ErasureWindow:
                return (await Erase(), null);
            case CommandKind.EraseConfirmed:
                s.ErasureAskedAt = clock.GetUtcNow();
                return (ChannelTexts.EraseAsk(lang), null);
            case CommandKind.Leave:
                await Leave();
                return (ChannelTexts.Left(lang), null);
            case var _ when s.ConsultationId is null:
                return (ChannelTexts.Help(lang), null);
            case CommandKind.Status:
                return (ChannelTexts.Status(lang, await Citizen.GetOwnItems(s.ConsultationId)), null);
            case CommandKind.BadNumber:
                return (ChannelTexts.BadNumber(lang), null);
            case CommandKind.Up or CommandKind.Agree or CommandKind.Disagree or CommandKind.Pass:
                return (await Vote(command), null);
            default:
                return await Post(message);
        }
    }

    private async Task<string> Join(ChannelJoin? join)
    {
        var s = state.State;
        var now = clock.GetUtcNow();
        s.FailedJoins.RemoveAll(t => now - t > JoinWindow);
        if (s.FailedJoins.Count >= MaxFailedJoins)
        {
            return ChannelTexts.JoinLocked(s.Language);
        }

        var info = join is { ConsultationId: { } id, Admission: not null } ? await GrainFactory.GetGrain<IConsultationGrain>(id).GetInfo() : null;
        if (info is null)
        {
            s.FailedJoins.Add(now);
            return ChannelTexts.JoinFailed(s.Language);
        }

        if (info.Status != ConsultationStatus.Open)
        {
            return ChannelTexts.NotOpen(s.Language);
        }

        s.FailedJoins.Clear();
        s.ConsultationId = info.Id;
        s.Admission = join!.Admission;
        s.Mode = info.Mode;
        if (!s.Linked)
        {
            await Citizen.LinkChannel(s.Channel);
            s.Linked = true;
        }

        return ChannelTexts.Joined(s.Language, info);
    }

    private async Task<(string? Reply, string? ItemId)> Post(InboundMessage message)
    {
        var s = state.State;
        try
        {
            var result = await Citizen.Submit(s.ConsultationId!, ClientIdOf(message), message.Text, s.Admission);
            return (ChannelTexts.Receipt(s.Language, result), result.ItemId);
        }
        catch (DialogueException e)
        {
            return (Refusal(e), null);
        }
    }

    private async Task<string?> Vote(ChannelCommand command)
    {
        var s = state.State;
        int? value = (s.Mode, command.Kind) switch
        {
            (ConsultationMode.Qa, CommandKind.Up) => 1,
            (ConsultationMode.Deliberation, CommandKind.Agree) => 1,
            (ConsultationMode.Deliberation, CommandKind.Disagree) => -1,
            (ConsultationMode.Deliberation, CommandKind.Pass) => 0,
            _ => null,
        };
        if (value is null)
        {
            return ChannelTexts.WrongVote(s.Language, s.Mode);
        }

        try
        {
            var result = await Citizen.Vote(s.ConsultationId!, $"i{command.Number}", value.Value, s.Admission);
            return ChannelTexts.Voted(s.Language, command.Number, value.Value, result.Tally, s.Mode);
        }
        catch (DialogueException e) when (e.Code == ErrorCodes.NotFound)
        {
            return ChannelTexts.NoItem(s.Language, command.Number);
        }
        catch (DialogueException e)
        {
            return Refusal(e);
        }
    }

    /// <summary>A flood is told once per rate-limit window, not once per message: each reply costs a send.</summary>
    private string? Refusal(DialogueException e)
    {
        if (e.Code == ErrorCodes.RateLimited)
        {
            var now = clock.GetUtcNow();
            if (now < _quietUntil)
            {
                return null;
            }

            _quietUntil = now.AddSeconds(e.RetryAfterSeconds ?? 60);
        }

        return ChannelTexts.Refused(state.State.Language, e);
    }

    private async Task Leave()
    {
        var s = state.State;
        s.ConsultationId = null;
        s.Admission = null;
        s.ForgetWhenSent = true;
        if (s.Linked)
        {
            await Citizen.LinkChannel(null);
            s.Linked = false;
        }
    }

    /// <summary>As the web page's "erase my data": every contribution of this citizen, then (after the reply) everything held here.</summary>
    private async Task<string> Erase()
    {
        var results = await Citizen.Erase();
        var s = state.State;
        s.ConsultationId = null;
        s.Admission = null;
        s.ErasureAskedAt = null;
        s.Linked = false;
        s.Sent.Clear();
        s.ForgetWhenSent = s.ClearWhenSent = true;
        return ChannelTexts.Erased(s.Language, results.Sum(r => r.Items), results.Sum(r => r.Votes));
    }

    /// <summary>The submission's client id: the consultation stores a message id once, whichever gateway or retry brings it.</summary>
    private static string ClientIdOf(InboundMessage message) =>
        "ch-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{message.Channel}|{message.MessageId}")).AsSpan(0, 16)).ToLowerInvariant();

    private static string KeyOf(string messageId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)).AsSpan(0, 8));

    private void Enqueue(string text) =>
        state.State.Outbox.Add(new OutboundMessage(Guid.NewGuid().ToString("N"), text, 0, clock.GetUtcNow()));

    private bool Idle() => clock.GetUtcNow() - state.State.LastActivity > TimeSpan.FromDays(options.NumberKeptDays);

    private async Task DropNumber()
    {
        var s = state.State;
        s.SealedNumber = null;
        s.Outbox.Clear();
        s.ForgetWhenSent = false;
        if (s.Linked)
        {
            await Citizen.LinkChannel(null);
            s.Linked = false;
        }

        if (s.ClearWhenSent)
        {
            await state.ClearStateAsync();
            _unsaved = false;
        }
        else
        {
            await Save();
        }

        await ChannelDirectory.Shard(GrainFactory, Id).Remove(Id);
    }

    private void ScheduleDrain()
    {
        _drain?.Dispose();
        _drain = null;
        var outbox = state.State.Outbox;
        if (outbox.Count == 0)
        {
            return;
        }

        var due = outbox.Min(m => m.NotBefore) - clock.GetUtcNow();
        _drain = this.RegisterGrainTimer(Drain, new GrainTimerCreationOptions
        {
            DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    /// <summary>
    /// Sends what is due, in order. A message that certainly did not reach the provider is tried again with
    /// exponential backoff (at most <see cref="MaxSendAttempts"/> tries); one that may have been delivered is
    /// not sent again (the APIs have no idempotency key, and a duplicate answer is worse than STATUS).
    /// </summary>
    private async Task Drain(CancellationToken cancellationToken)
    {
        var s = state.State;
        var number = secrets.Open(s.SealedNumber);
        var changed = false;
        while (s.Outbox.Count > 0 && s.Outbox[0] is { } next && next.NotBefore <= clock.GetUtcNow())
        {
            changed = true;
            if (number is null || s.Channel is null)
            {
                s.Outbox.Clear();
                break;
            }

            SendOutcome outcome;
            try
            {
                outcome = await transport.SendAsync(s.Channel, number, next.Text, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = new SendOutcome(SendResult.Ambiguous, Error: e.GetType().Name);
            }

            if (outcome.Result == SendResult.NotSent && next.Attempts + 1 < MaxSendAttempts)
            {
                var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, next.Attempts)));
                var wait = outcome.RetryAfter is { } retryAfter && retryAfter > backoff ? (retryAfter < MaxBackoff ? retryAfter : MaxBackoff) : backoff;
                s.Outbox[0] = next with { Attempts = next.Attempts + 1, NotBefore = clock.GetUtcNow() + wait };
                logger.LogInformation("Channel send not accepted ({Error}); attempt {Attempt} again in {Wait}", outcome.Error, next.Attempts + 1, wait);
                break;
            }

            s.Outbox.RemoveAt(0);
            var status = outcome.Result switch
            {
                SendResult.Sent => "sent",
                SendResult.NotSent => "gave-up",
                SendResult.Ambiguous => "unknown",
                _ => "rejected",
            };
            if (outcome.Result != SendResult.Sent)
            {
                logger.LogWarning("Channel message not sent: {Status} ({Error})", status, outcome.Error);
            }

            s.Sent.Add(new SentMessage(next.Id, outcome.ProviderMessageId, status, clock.GetUtcNow(), outcome.Error));
            if (s.Sent.Count > SentKept)
            {
                s.Sent.RemoveRange(0, s.Sent.Count - SentKept);
            }
        }

        if (s.ForgetWhenSent && s.Outbox.Count == 0)
        {
            await DropNumber();
        }
        else if (changed)
        {
            MarkUnsaved();
        }

        ScheduleDrain();
    }

    private static int MaxLength(string channel) => channel == ChannelNames.Sms ? 480 : 1500;

    private async Task Save()
    {
        try
        {
            await state.WriteStateAsync();
            _unsaved = false;
            _savedActivity = state.State.LastActivity;
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private void MarkUnsaved()
    {
        _unsaved = true;
        _flush ??= this.RegisterGrainTimer(Flush, new GrainTimerCreationOptions { DueTime = FlushEvery, Period = FlushEvery });
    }

    private async Task Flush(CancellationToken cancellationToken)
    {
        if (_unsaved)
        {
            await Save();
        }
    }
}

/// <summary>Delivery reports can arrive out of order: a late "delivered" must not overwrite "read"; "failed" always wins.</summary>
public static class DeliveryOrder
{
    public static bool Advances(string current, string next) => next == "failed" || Rank(next) > Rank(current);

    private static int Rank(string status) => status switch
    {
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        "failed" => 4,
        _ => 0,
    };
}
