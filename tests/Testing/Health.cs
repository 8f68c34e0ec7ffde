namespace OpenGov.Dialogue.Testing;

/// <summary>Probes of a server's <c>/health</c> endpoint.</summary>
public static class Health
{
    /// <summary>One probe: true on a success status, false on an error status or no answer.</summary>
    public static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            using var health = await http.GetAsync("/health");
            return health.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Polls <paramref name="ready"/> every 200 ms until it holds. <paramref name="gone"/>, checked before each probe,
    /// returns why waiting is pointless (the process exited), or null; <paramref name="late"/> names the timeout.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan within, Func<string?> gone, Func<string> late)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (gone() is { } reason)
            {
                throw new InvalidOperationException(reason);
            }

            if (await ready())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException(late());
    }

    /// <summary>Polls <c>/health</c> at <paramref name="address"/> until it answers with a success status.</summary>
    public static async Task WaitHealthyAsync(Uri address, TimeSpan within, Func<string?> gone, Func<string> late)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        await WaitUntilAsync(() => AnswersAsync(http), within, gone, late);
    }
}
