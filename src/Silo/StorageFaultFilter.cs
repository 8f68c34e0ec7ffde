using System.Data.Common;
using System.Net.Sockets;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Silo;

/// <summary>
/// Storage failures leave a grain call as <see cref="DialogueException"/> with code <c>unavailable</c>
/// (503 with Retry-After at the gateway). A driver's own exception cannot cross to a gateway in
/// another process (Orleans has no codec for <c>NpgsqlException</c>), so without this a database
/// restart reached clients of a pure-client gateway as 500 instead of "retry later".
/// </summary>
public sealed class StorageFaultFilter : IIncomingGrainCallFilter
{
    public const int RetryAfterSeconds = 5;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (IsStorageFault(ex))
        {
            throw new DialogueException(ErrorCodes.Unavailable, "The service's storage is unreachable; please retry.", RetryAfterSeconds);
        }
    }

    /// <summary>A database, socket or timeout failure, itself or inside a wrapper (Orleans' storage exceptions wrap the driver's).</summary>
    public static bool IsStorageFault(Exception? ex)
    {
        for (var depth = 0; ex is not null && depth < 8; depth++, ex = ex.InnerException)
        {
            if (ex is DbException or SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
