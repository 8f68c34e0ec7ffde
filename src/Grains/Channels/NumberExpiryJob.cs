using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Channels;

/// <summary>
/// Drops the numbers of conversations idle for <see cref="ChannelOptions.NumberKeptDays"/>: every so often it
/// asks each conversation in the directory whether it is idle (the grain decides, so several silos running
/// this do no harm). Active grains also check on activation; this job reaches the ones nobody wakes up.
/// </summary>
public sealed class NumberExpiryJob(IGrainFactory grains, TimeProvider clock, ChannelOptions options, ILogger<NumberExpiryJob> logger) : BackgroundService
{
    /// <summary>One pass; returns how many numbers were dropped.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var dropped = 0;
        for (var shard = 0; shard < ChannelDirectory.Shards; shard++)
        {
            var directory = grains.GetGrain<IChannelDirectoryGrain>(shard);
            foreach (var citizenId in await directory.List())
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (await grains.GetGrain<IChannelConversationGrain>(citizenId).ExpireIfIdle())
                    {
                        await directory.Remove(citizenId);
                        dropped++;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Expiring a channel number failed; retrying next pass");
                }
            }
        }

        return dropped;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.AnyEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.ExpiryCheckMinutes), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
