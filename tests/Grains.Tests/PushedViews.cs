using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>
/// A gateway stand-in subscribed to a consultation: keeps one kind of view the grains push in their batches
/// (opinion summaries, topic groups) and waits for one that matches.
/// </summary>
internal sealed class PushedViews<T>(Func<ChangeBatch, T?> pick, string what) : IConsultationObserver
    where T : class
{
    private readonly List<T> _views = [];

    public Task OnChanges(string consultationId, ChangeBatch batch)
    {
        if (pick(batch) is { } view)
        {
            lock (_views)
            {
                _views.Add(view);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The first pushed view that matches, or with <paramref name="newest"/> the newest one that does.</summary>
    public async Task<T> WaitFor(Func<T, bool> match, TimeSpan within, bool newest = false, Func<T, string>? describe = null)
    {
        for (var waited = TimeSpan.Zero; waited < within; waited += TimeSpan.FromMilliseconds(100))
        {
            lock (_views)
            {
                if ((newest ? _views.LastOrDefault(match) : _views.FirstOrDefault(match)) is { } found)
                {
                    return found;
                }
            }

            await Task.Delay(100);
        }

        lock (_views)
        {
            var last = _views.LastOrDefault();
            var detail = describe is not null && last is not null ? $"; last: {describe(last)}" : string.Empty;
            throw new TimeoutException($"No matching {what} was pushed within {within.TotalSeconds:0} s ({_views.Count} pushed{detail}).");
        }
    }
}
