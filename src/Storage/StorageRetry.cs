using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace OpenGov.Dialogue.Storage;

/// <summary>
/// The one retry policy for journal writes, which are idempotent (rows carry their event id):
/// a few attempts with backoff on errors that go away by themselves, nothing else.
/// </summary>
public static class StorageRetry
{
    public static ResiliencePipeline Create(Func<Exception, bool>? isTransient = null) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(isTransient ?? IsTransientSqlite),
            })
            .Build();

    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR: another connection or the disk, not the data.
    private static bool IsTransientSqlite(Exception ex) => ex is SqliteException { SqliteErrorCode: 5 or 6 or 10 };
}
