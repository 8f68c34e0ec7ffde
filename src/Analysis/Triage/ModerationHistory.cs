using OpenGov.Dialogue.Analysis.Duplicates;

namespace OpenGov.Dialogue.Analysis.Triage;

/// <summary>
/// The moderator's decisions so far in one consultation: what was accepted and rejected, for the
/// "like items you rejected before" signal and the consultation's own rejection rate. Thread-safe.
/// </summary>
public sealed class ModerationHistory : IDisposable
{
    private readonly DuplicateIndex _accepted = new();
    private readonly DuplicateIndex _rejected = new();
    private int _acceptedCount;
    private int _rejectedCount;

    public void Record(string id, string text, bool rejected)
    {
        if (rejected ? _rejected.Add(id, text) : _accepted.Add(id, text))
        {
            Interlocked.Increment(ref rejected ? ref _rejectedCount : ref _acceptedCount);
        }
    }

    public int Decisions => Volatile.Read(ref _acceptedCount) + Volatile.Read(ref _rejectedCount);

    /// <summary>Share of rejections so far, smoothed toward one half while there are few decisions.</summary>
    public double RejectRate => (Volatile.Read(ref _rejectedCount) + 2.0) / (Decisions + 4.0);

    public double SimilarityToRejected(string text) => _rejected.FindSimilar(text, 1).FirstOrDefault()?.Score ?? 0;

    public double SimilarityToAccepted(string text) => _accepted.FindSimilar(text, 1).FirstOrDefault()?.Score ?? 0;

    public void Dispose()
    {
        _accepted.Dispose();
        _rejected.Dispose();
    }
}
