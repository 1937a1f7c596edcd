using System.Text;
using Trainer.Checkpoints;
using Trainer.Callbacks;
using Trainer.Optimizers;
using Trainer.Recipes;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Training;

public sealed partial class TrainingLoop
{
    /// <summary>Captures the run as it stands now (see <see cref="CallbackContext.CaptureCheckpoint"/>).</summary>
    /// <param name="state">The run.</param>
    /// <param name="reason">Why.</param>
    /// <param name="shareBuffers">The model's and optimizer's states as views of this thread's scratch streams, valid
    /// until the next capture (for writing at once, without arrays of their size), instead of copies.</param>
    internal static TrainingCheckpoint Capture(TrainingState state, string reason, bool shareBuffers = false)
    {
        var setup = state.Setup;
        if (state.CheckNonFinite() is { } bad)
            throw new InvalidOperationException($"No checkpoint of a run whose loss became NaN or infinite at step {bad}: it would replace a good one.");
        var modelStream = ScratchStream.Rent(ScratchStream.Model);
        using (var writer = new BinaryWriter(modelStream, Encoding.UTF8, leaveOpen: true)) setup.Model.save(writer);
        var modelBytes = shareBuffers ? ScratchStream.Contents(modelStream) : modelStream.ToArray();
        using var torchRandom = random.get_rng_state();
        using var shuffle = state.Shuffle.get_state();

        PartialEpoch? partial = null;
        if (!state.EpochRecorded && state.Position is { } p)
        {
            using var order = p.Order.cpu();
            var metrics = p.Metrics.SaveState();
            state.HostReads += 1 + metrics.Count;
            var correct = metrics.TryGetValue("accuracy", out var accuracy) && state.Setup.Task.Kind == Tasks.TaskKind.Classification ? (long)accuracy[0] : 0;
            partial = new PartialEpoch(order.data<long>().ToArray(), p.NextBatch, p.LossSum(state), correct, p.Samples, p.TrainSecondsBefore)
            {
                Metrics = metrics,
            };
        }

        return new TrainingCheckpoint
        {
            CompletedEpochs = state.History.Count,
            GlobalStep = state.GlobalStep,
            Reason = reason,
            History = state.History.ToList(),
            BestEpoch = state.BestEpoch,
            StopRequest = state.StopRequest,
            Partial = partial,
            CallbackStates = state.Pipeline.Stateful.ToDictionary(c => c.StateKey, c => c.SaveState().ToJson()),
            RecipeJson = state.Run.RecipeJson ?? "",
            LearningRate = Optimizers.OptimizerFactory.GetLearningRate(setup.Optimizer),
            BaseLearningRate = state.BaseLearningRate,
            Model = modelBytes,
            Optimizer = OptimizerStateBytes.Save(setup.Optimizer, shareBuffers),
            TorchRandomState = torchRandom.data<byte>().ToArray(),
            ShuffleState = shuffle.data<byte>().ToArray(),
        };
    }

    internal static void Restore(TrainingState state, TrainingCheckpoint checkpoint)
    {
        var setup = state.Setup;
        using (var reader = new BinaryReader(new MemoryStream(checkpoint.Model.ToArray()))) setup.Model.load(reader);
        OptimizerStateBytes.Load(setup.Optimizer, checkpoint.Optimizer);
        using (var rng = tensor(checkpoint.TorchRandomState.ToArray())) random.set_rng_state(rng);
        using (var shuffle = tensor(checkpoint.ShuffleState.ToArray())) state.Shuffle.set_state(shuffle);
        state.History.AddRange(checkpoint.History);
        state.GlobalStep = checkpoint.GlobalStep;
        state.BestEpoch = checkpoint.BestEpoch;
        state.StopRequest = checkpoint.StopRequest;
        // The rates the run had, which control commands may have moved away from the recipe's.
        if (checkpoint.BaseLearningRate is { } baseRate) state.BaseLearningRate = baseRate;
        if (checkpoint.LearningRate is { } rate) Optimizers.OptimizerFactory.SetLearningRate(setup.Optimizer, rate);
        foreach (var callback in state.Pipeline.Stateful)
        {
            if (!checkpoint.CallbackStates.TryGetValue(callback.StateKey, out var json))
                throw new RecipeException($"The checkpoint holds no state for callback {callback.StateKey}; resume with the recipe the run started with.");
            callback.LoadState(CallbackState.FromJson(json));
        }
    }
}
