using System.Runtime.InteropServices;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Grouping;

/// <summary>
/// Puts a comment that was not grouped into the group whose centre is nearest to it, in the space the
/// grouping was made in: the comment's TF-IDF-weighted word vectors against each group's centroid.
/// Each word's similarity to every centroid is worked out once, so placing a comment costs one
/// dictionary lookup and a few additions per word, however many comments were grouped. Immutable and thread-safe.
/// </summary>
public sealed class ConcernPlacer
{
    private readonly Dictionary<string, int> _columnOf;
    private readonly float[] _idf;
    private readonly float[][] _affinity;
    private readonly int[] _groupIds;

    internal ConcernPlacer(Dictionary<string, int> columnOf, float[] idf, float[][] affinity, int[] groupIds)
    {
        _columnOf = columnOf;
        _idf = idf;
        _affinity = affinity;
        _groupIds = groupIds;
    }

    /// <summary>The words a comment is placed by, as the grouper reads them; keep them to place the comment again later.</summary>
    public static List<string> Tokenize(string text) => TextNormalizer.ForTopics.Tokenize(text);

    public int Place(string text) => Place(Tokenize(text));

    /// <summary>
    /// The id of the nearest group. A comment with no word the grouping knows goes to the largest group
    /// (every comment belongs somewhere; that group's label says what it is about).
    /// </summary>
    public int Place(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Span<float> scores = stackalloc float[_groupIds.Length];
        var counts = new Dictionary<int, int>();
        foreach (var token in tokens)
        {
            if (_columnOf.TryGetValue(token, out var column))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, column, out _)++;
            }
        }

        // The same weights as the grouped comments' rows; their length does not change the nearest centroid.
        foreach (var (column, count) in counts)
        {
            if (column < _affinity.Length)
            {
                VectorMath.AddScaled(scores, _affinity[column], (1 + MathF.Log(count)) * _idf[column]);
            }
        }

        var best = 0;
        for (var g = 1; g < scores.Length; g++)
        {
            if (scores[g] > scores[best])
            {
                best = g;
            }
        }

        return _groupIds[best];
    }
}
