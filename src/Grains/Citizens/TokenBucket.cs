namespace OpenGov.Dialogue.Citizens;

/// <summary>
/// A token bucket: <paramref name="capacity"/> tokens, refilled continuously at
/// <paramref name="perMinute"/> a minute. Plain state, so a grain can own one per citizen.
/// </summary>
public sealed class TokenBucket(int capacity, double perMinute, DateTimeOffset now)
{
    private double _tokens = capacity;
    private DateTimeOffset _updated = now;

    /// <summary>Takes one token, or says how long until one is available.</summary>
    public bool TryTake(DateTimeOffset now, out TimeSpan retryAfter)
    {
        Refill(now);
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromMinutes((1 - _tokens) / perMinute);
        return false;
    }

    private void Refill(DateTimeOffset now)
    {
        if (now > _updated)
        {
            _tokens = Math.Min(capacity, _tokens + ((now - _updated).TotalMinutes * perMinute));
            _updated = now;
        }
    }
}
