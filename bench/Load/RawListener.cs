using System.Text;

namespace OpenGov.Dialogue.Load;

/// <summary>A listener that only counts updates and frames by their markers.</summary>
public sealed class RawListener : HubListener
{
    private readonly byte[][] _updateMarkers;
    private readonly byte[] _frameMarker;

    /// <param name="updateMarkers">Bytes of which one occurs once per update (e.g. <c>"seq":</c> in a full view, <c>[["i</c> in a compact vote count).</param>
    /// <param name="frameMarker">Bytes that occur once per pushed message (e.g. <c>"target":"</c>).</param>
    public RawListener(string[] updateMarkers, string frameMarker)
    {
        _updateMarkers = [.. updateMarkers.Select(Encoding.UTF8.GetBytes)];
        _frameMarker = Encoding.UTF8.GetBytes(frameMarker);
    }

    protected override void OnMessage(ReadOnlySpan<byte> message)
    {
        if (!Counts.Measuring)
        {
            return;
        }

        var updates = 0;
        foreach (var marker in _updateMarkers)
        {
            updates += Count(message, marker);
        }

        Interlocked.Add(ref Counts.Updates, updates);
        Interlocked.Add(ref Counts.Frames, Count(message, _frameMarker));
    }
}
