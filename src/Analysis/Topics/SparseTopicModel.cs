using OpenGov.Dialogue.Analysis.Classification;

namespace OpenGov.Dialogue.Analysis.Topics;

/// <summary>
/// The topic model of <see cref="TopicTrainer.SparseSvm"/>: the team's own
/// TF-IDF and one weight vector per topic; probabilities are softmax(scale · (w·x + b)). Immutable, thread-safe.
/// </summary>
internal sealed class SparseTopicModel
{
    private readonly SparseTfidf _features;
    private readonly float[][] _weights;
    private readonly float[] _biases;
    private readonly double _scale;

    // The same weights feature by feature (feature i's topics at i · topics … i · topics + topics − 1): one pass over a text's features.
    private readonly float[] _byFeature;

    private SparseTopicModel(SparseTfidf features, float[][] weights, float[] biases, double scale)
    {
        _features = features;
        _weights = weights;
        _biases = biases;
        _scale = scale;
        var topics = weights.Length;
        _byFeature = new float[features.Dimension * topics];
        for (var c = 0; c < topics; c++)
        {
            for (var i = 0; i < features.Dimension; i++)
            {
                _byFeature[(i * topics) + c] = weights[c][i];
            }
        }
    }

    /// <param name="texts">Normalised texts.</param>
    /// <param name="labels">Topic index of each text.</param>
    /// <param name="classWeights">Weight of each topic's texts.</param>
    public static SparseTopicModel Train(IReadOnlyList<string> texts, IReadOnlyList<int> labels, int topics, IReadOnlyList<double> classWeights, TopicTaggerOptions options)
    {
        var features = SparseTfidf.Fit(texts, options.SparseFeatures);
        var rows = texts.Select(features.Transform).ToList();
        var (weights, biases) = LinearSvm.TrainOneVersusRest(rows, labels, topics, features.Dimension, options.SvmCost, classWeights, options.SvmTolerance, seed: options.Seed);
        return new SparseTopicModel(features, weights, biases, options.SvmSoftmaxScale);
    }

    /// <summary>Decision values w·x + b of each topic.</summary>
    public double[] Scores(string normalized)
    {
        var row = _features.Transform(normalized);
        var topics = _weights.Length;
        var scores = new double[topics];
        for (var c = 0; c < topics; c++)
        {
            scores[c] = _biases[c];
        }

        for (var k = 0; k < row.Indices.Length; k++)
        {
            var offset = row.Indices[k] * topics;
            var value = row.Values[k];
            for (var c = 0; c < topics; c++)
            {
                scores[c] += _byFeature[offset + c] * value;
            }
        }

        return scores;
    }

    public float[] Probabilities(string normalized)
    {
        var scores = Scores(normalized);
        var max = scores.Max();
        var exp = scores.Select(s => Math.Exp(_scale * (s - max))).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => (float)(e / sum)).ToArray();
    }

    public void Write(BinaryWriter writer)
    {
        _features.Write(writer);
        writer.Write(_scale);
        writer.Write(_weights.Length);
        writer.Write(_features.Dimension);
        foreach (var vector in _weights)
        {
            for (var i = 0; i < _features.Dimension; i++)
            {
                writer.Write(vector[i]);
            }
        }

        foreach (var bias in _biases)
        {
            writer.Write(bias);
        }
    }

    public static SparseTopicModel Read(BinaryReader reader)
    {
        var features = SparseTfidf.Read(reader);
        var scale = reader.ReadDouble();
        var topics = reader.ReadInt32();
        var dimension = reader.ReadInt32();
        var weights = new float[topics][];
        for (var c = 0; c < topics; c++)
        {
            weights[c] = new float[Math.Max(1, dimension)];
            for (var i = 0; i < dimension; i++)
            {
                weights[c][i] = reader.ReadSingle();
            }
        }

        var biases = new float[topics];
        for (var c = 0; c < topics; c++)
        {
            biases[c] = reader.ReadSingle();
        }

        return new SparseTopicModel(features, weights, biases, scale);
    }
}
