using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// Per-account backoff for passphrase logins, beside the per-address limit: after
/// <see cref="DialogueOptions.StaffLoginFailuresBeforeBackoff"/> failures in a row a login waits 30 s,
/// doubling with each further failure up to 15 minutes; a success clears it. One address guessing at
/// one account slows that account only, and the per-address limit keeps it from reaching many.
/// Kept per gateway process (a cluster multiplies the tries by its gateways; the figures allow for it).
/// </summary>
public sealed class LoginThrottle(TimeProvider clock, IOptions<DialogueOptions> options)
{
    private const int MaxTracked = 10_000;
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Failures> _logins = new(StringComparer.Ordinal);

    /// <summary>How long this login must wait before the next try; null when it may try now.</summary>
    public TimeSpan? Wait(string login)
    {
        if (!_logins.TryGetValue(login, out var failures))
        {
            return null;
        }

        var left = failures.Until - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    public void Failed(string login)
    {
        if (_logins.Count >= MaxTracked)
        {
            Prune();
        }

        _logins.AddOrUpdate(login, _ => Next(1), (_, f) => Next(f.Count + 1));
    }

    public void Succeeded(string login) => _logins.TryRemove(login, out _);

    private Failures Next(int count)
    {
        var over = count - options.Value.StaffLoginFailuresBeforeBackoff;
        if (over < 0)
        {
            return new Failures(count, DateTimeOffset.MinValue);
        }

        var wait = TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, FirstWait.Ticks << Math.Min(over, 10)));
        return new Failures(count, clock.GetUtcNow() + wait);
    }

    /// <summary>Drops the logins that are not waiting; a flood of made-up logins cannot grow the table without end.</summary>
    private void Prune()
    {
        var now = clock.GetUtcNow();
        foreach (var (login, failures) in _logins)
        {
            if (failures.Until <= now)
            {
                _logins.TryRemove(login, out _);
            }
        }
    }

    private sealed record Failures(int Count, DateTimeOffset Until);
}
