using Microsoft.Extensions.Logging;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Callbacks;

/// <summary>
/// The run's callbacks in recipe order and the dispatch of each hook to them. Dispatch is a plain loop over an
/// array: no allocation per hook, and the per-batch hooks skip callbacks that do not override them. Failure policy: an
/// exception from a hook propagates and fails the run.
/// </summary>
public sealed class CallbackPipeline : IDisposable
{
    private readonly TrainingCallback[] callbacks;
    private readonly TrainingCallback[] batchStart;
    private readonly TrainingCallback[] afterBackward;
    private readonly TrainingCallback[] batchEnd;

    /// <summary>Creates the pipeline; throws when two stateful callbacks share a state key.</summary>
    public CallbackPipeline(IEnumerable<TrainingCallback> callbacks)
    {
        this.callbacks = callbacks.ToArray();
        batchStart = Overriding(nameof(TrainingCallback.OnBatchStart));
        afterBackward = Overriding(nameof(TrainingCallback.OnAfterBackward));
        batchEnd = Overriding(nameof(TrainingCallback.OnBatchEnd));
        if (Problems(this.callbacks).FirstOrDefault() is { } problem) throw new ArgumentException(problem, nameof(callbacks));
    }

    /// <summary>What keeps <paramref name="callbacks"/> from forming a pipeline (two stateful callbacks sharing a state key), one sentence each.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<TrainingCallback> callbacks) =>
        callbacks.OfType<IStatefulCallback>().GroupBy(c => c.StateKey).Where(g => g.Count() > 1)
            .Select(g => $"Two callbacks share the state key '{g.Key}'; give each instance its own key so checkpoints keep both states.").ToList();

    /// <summary>The callbacks, in recipe order, whose type overrides the per-batch hook <paramref name="hook"/>.</summary>
    private TrainingCallback[] Overriding(string hook) =>
        [.. callbacks.Where(c => c.GetType().GetMethod(hook, [typeof(BatchContext)])!.DeclaringType != typeof(TrainingCallback))];

    /// <summary>The callbacks, in the order their hooks run.</summary>
    public IReadOnlyList<TrainingCallback> Callbacks => callbacks;

    /// <summary>The callbacks that carry state for checkpoints.</summary>
    public IEnumerable<IStatefulCallback> Stateful => callbacks.OfType<IStatefulCallback>();

    /// <summary>Disposes the callbacks that are <see cref="IDisposable"/>, in reverse order.</summary>
    public void Dispose()
    {
        foreach (var callback in callbacks.Reverse()) (callback as IDisposable)?.Dispose();
    }

    internal void TrainStart(TrainingState s, TrainContext c) => Dispatch(s, c, "OnTrainStart", static (cb, x) => cb.OnTrainStart(x));
    internal void EpochStart(TrainingState s, EpochContext c) => Dispatch(s, c, "OnEpochStart", static (cb, x) => cb.OnEpochStart(x));
    internal void BatchStart(TrainingState s, BatchContext c) => Dispatch(batchStart, s, c, "OnBatchStart", static (cb, x) => cb.OnBatchStart(x));
    internal void AfterBackward(TrainingState s, BatchContext c) => Dispatch(afterBackward, s, c, "OnAfterBackward", static (cb, x) => cb.OnAfterBackward(x));
    internal void BatchEnd(TrainingState s, BatchContext c) => Dispatch(batchEnd, s, c, "OnBatchEnd", static (cb, x) => cb.OnBatchEnd(x));
    internal void ValidationEnd(TrainingState s, EpochContext c) => Dispatch(s, c, "OnValidationEnd", static (cb, x) => cb.OnValidationEnd(x));
    internal void EpochEnd(TrainingState s, EpochContext c) => Dispatch(s, c, "OnEpochEnd", static (cb, x) => cb.OnEpochEnd(x));
    internal void TrainEnd(TrainingState s, TrainEndContext c) => Dispatch(s, c, "OnTrainEnd", static (cb, x) => cb.OnTrainEnd(x));

    private void Dispatch<TContext>(TrainingState state, TContext context, string name, Action<TrainingCallback, TContext> hook) =>
        Dispatch(callbacks, state, context, name, hook);

    private static void Dispatch<TContext>(TrainingCallback[] targets, TrainingState state, TContext context, string name, Action<TrainingCallback, TContext> hook)
    {
        foreach (var callback in targets)
        {
            state.CurrentCallback = callback;
            try
            {
                hook(callback, context);
            }
            catch (Exception e) when (e is not (RecipeException or CallbackException or OperationCanceledException))
            {
                throw new CallbackException(callback.Name, name, e);
            }
        }
        state.CurrentCallback = null;
        while (state.Deferred.Count > 0)
        {
            var (owner, action) = state.Deferred.Dequeue();
            try
            {
                action();
            }
            catch (Exception e) when (e is not (RecipeException or CallbackException or OperationCanceledException))
            {
                throw new CallbackException(owner.Name, name, e);
            }
        }
    }

    internal void Exception(TrainingState state, ExceptionContext c)
    {
        foreach (var cb in callbacks)
        {
            try
            {
                state.CurrentCallback = cb;
                cb.OnException(c);
            }
            catch (Exception e)
            {
                state.Logger.LogError(e, "Callback {Callback} failed in OnException", cb.Name);
            }
        }
        state.CurrentCallback = null;
    }
}
