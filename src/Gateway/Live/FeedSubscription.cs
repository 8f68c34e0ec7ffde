using System.Threading.Channels;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>This gateway's subscription to one consultation: who watches it here, and the queue of batches its send loop takes.</summary>
internal sealed class FeedSubscription(string consultationId)
{
    public string ConsultationId { get; } = consultationId;

    public ConsultationAudiences Audiences { get; } = new();

    /// <summary>The grain subscription and the start of the send loop; set under the subscription's lock.</summary>
    public Task? Started { get; set; }

    public Channel<ChangeBatch> Queue { get; } =
        Channel.CreateUnbounded<ChangeBatch>(new UnboundedChannelOptions { SingleReader = true });
}

/// <summary>The consultations one connection watches: usually one, so a small array replaced under a lock.</summary>
internal sealed class WatchedConsultations
{
    private readonly Lock _lock = new();
    private string[] _consultations = [];

    public string[] Consultations => Volatile.Read(ref _consultations);

    public void Add(string consultationId)
    {
        lock (_lock)
        {
            if (!_consultations.Contains(consultationId))
            {
                _consultations = [.. _consultations, consultationId];
            }
        }
    }

    public void Remove(string consultationId)
    {
        lock (_lock)
        {
            _consultations = [.. _consultations.Where(c => c != consultationId)];
        }
    }
}
