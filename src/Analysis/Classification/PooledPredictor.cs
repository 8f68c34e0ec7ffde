using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>
/// Thread-safe predictions from one trained model: a <see cref="PredictionEngine{TSrc,TDst}"/> is not
/// thread-safe, so each call borrows one from a pool instead of sharing it.
/// </summary>
internal sealed class PooledPredictor<TIn, TOut>(MLContext ml, ITransformer model)
    where TIn : class
    where TOut : class, new()
{
    private readonly ObjectPool<PredictionEngine<TIn, TOut>> _pool =
        new DefaultObjectPool<PredictionEngine<TIn, TOut>>(new EnginePolicy(ml, model), Environment.ProcessorCount * 2);

    public TOut Predict(TIn input)
    {
        var engine = _pool.Get();
        try
        {
            // A fresh output object per call: the engine would otherwise reuse one across callers.
            var output = new TOut();
            engine.Predict(input, ref output);
            return output;
        }
        finally
        {
            _pool.Return(engine);
        }
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : IPooledObjectPolicy<PredictionEngine<TIn, TOut>>
    {
        public PredictionEngine<TIn, TOut> Create() => ml.Model.CreatePredictionEngine<TIn, TOut>(model);

        public bool Return(PredictionEngine<TIn, TOut> obj) => true;
    }
}
