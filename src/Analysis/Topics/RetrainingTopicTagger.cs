namespace OpenGov.Dialogue.Analysis.Topics;

/// <summary>
/// A topic tagger that keeps learning from moderators' tags: each new tag schedules a retrain on a
/// background task (at most one at a time; tags that arrive meanwhile trigger one more run), and the
/// new model replaces the old one atomically. Predictions never wait for training. Thread-safe.
/// </summary>
public sealed class RetrainingTopicTagger(TopicTaggerOptions? options = null)
{
    private readonly Lock _gate = new();
    private readonly List<LabelledText> _examples = [];
    private TopicTagger? _current;
    private Task _training = Task.CompletedTask;
    private bool _dirty;
    private bool _running;

    /// <summary>The latest trained model, or null until tags of at least two topics exist.</summary>
    public TopicTagger? Current => Volatile.Read(ref _current);

    /// <summary>The error of the last failed retrain (for example, one topic only), or null.</summary>
    public string? LastError { get; private set; }

    public int ExampleCount
    {
        get
        {
            lock (_gate)
            {
                return _examples.Count;
            }
        }
    }

    /// <summary>Adds moderators' tags and schedules a retrain.</summary>
    public void Add(IEnumerable<LabelledText> examples)
    {
        lock (_gate)
        {
            _examples.AddRange(examples);
            Schedule();
        }
    }

    /// <summary>
    /// Replaces every example (a moderator changed a tag, or a tagged item was hidden) and schedules a
    /// retrain. The current model keeps answering until the new one is ready.
    /// </summary>
    public void Replace(IEnumerable<LabelledText> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var fresh = examples.ToList();
        lock (_gate)
        {
            _examples.Clear();
            _examples.AddRange(fresh);
            Schedule();
        }
    }

    /// <summary>The best topic, or null while no model exists yet.</summary>
    public TopicPrediction? Predict(string text) => Current?.Predict(text);

    /// <summary>Completes when every tag added so far is reflected in <see cref="Current"/>.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _training;
        }
    }

    private void Schedule()
    {
        _dirty = true;

        // The flag, not Task.IsCompleted: a finishing loop may already have decided to stop.
        if (!_running)
        {
            _running = true;
            _training = Task.Run(TrainUntilCleanAsync);
        }
    }

    private Task TrainUntilCleanAsync()
    {
        while (true)
        {
            List<LabelledText> snapshot;
            lock (_gate)
            {
                if (!_dirty)
                {
                    _running = false;
                    return Task.CompletedTask;
                }

                _dirty = false;
                snapshot = [.. _examples];
            }

            try
            {
                Volatile.Write(ref _current, TopicTagger.Train(snapshot, options));
                LastError = null;
            }
            catch (ArgumentException ex)
            {
                // Not trainable yet (one topic only): keep the previous model and wait for more tags.
                LastError = ex.Message;
            }
        }
    }
}
