using System.Text;
using MessagePack;

namespace OpenGov.Dialogue.Load;

/// <summary>A listener that only counts updates and frames: by markers in JSON, by a shallow walk in MessagePack.</summary>
public sealed class RawListener : HubListener
{
    private readonly byte[][] _updateMarkers;
    private readonly byte[] _frameMarker;
    private readonly byte[] _target;
    private readonly bool _onePerFrame;

    private RawListener(WireProtocol protocol, string[] updateMarkers, string frameMarker, string target, bool onePerFrame)
        : base(protocol)
    {
        _updateMarkers = [.. updateMarkers.Select(Encoding.UTF8.GetBytes)];
        _frameMarker = Encoding.UTF8.GetBytes(frameMarker);
        _target = Encoding.UTF8.GetBytes(target);
        _onePerFrame = onePerFrame;
    }

    /// <summary>
    /// Our feed: one update per full view (<c>"seq":</c>) and per compact vote count in a <c>changes</c>
    /// frame; in MessagePack, the lengths of its two arrays.
    /// </summary>
    public static RawListener Feed(WireProtocol protocol, Counters counts) =>
        new(protocol, ["\"seq\":", .. VoteCountMarkers], "\"target\":\"", "changes", onePerFrame: false) { Counts = counts };

    /// <summary>The baseline relay: each <c>m</c> frame is one event.</summary>
    public static RawListener Relay(WireProtocol protocol, Counters counts) =>
        new(protocol, ["\"target\":\"m\""], "\"target\":\"m\"", "m", onePerFrame: true) { Counts = counts };

    protected override void OnMessage(ReadOnlyMemory<byte> message)
    {
        if (!Counts.Measuring)
        {
            return;
        }

        var (frames, updates) = Protocol == WireProtocol.MessagePack ? CountMessagePack(message) : CountJson(message.Span);
        Interlocked.Add(ref Counts.Updates, updates);
        Interlocked.Add(ref Counts.Frames, frames);
    }

    private (int Frames, int Updates) CountJson(ReadOnlySpan<byte> message)
    {
        var updates = 0;
        foreach (var marker in _updateMarkers)
        {
            updates += Count(message, marker);
        }

        return (Count(message, _frameMarker), updates);
    }

    /// <summary>
    /// Each invocation is <c>[1, headers, invocationId, target, arguments]</c>: reads up to the target,
    /// then only the lengths of the array arguments, skipping what lies between (the item views).
    /// </summary>
    private (int Frames, int Updates) CountMessagePack(ReadOnlyMemory<byte> data)
    {
        var frames = 0;
        var updates = 0;
        while (TryNextMessagePack(ref data, out var message))
        {
            var reader = new MessagePackReader(message);
            if (reader.ReadArrayHeader() < 5 || reader.ReadInt32() != InvocationType)
            {
                continue;
            }

            reader.Skip();
            reader.Skip();
            if (!reader.TryReadStringSpan(out var target) || !target.SequenceEqual(_target))
            {
                continue;
            }

            frames++;
            if (_onePerFrame)
            {
                updates++;
                continue;
            }

            for (var arguments = reader.ReadArrayHeader(); arguments > 0; arguments--)
            {
                if (reader.NextMessagePackType != MessagePackType.Array)
                {
                    reader.Skip();
                    continue;
                }

                var length = reader.ReadArrayHeader();
                updates += length;
                for (var i = 0; i < length && arguments > 1; i++)
                {
                    reader.Skip();
                }
            }
        }

        return (frames, updates);
    }
}
