using Trainer.Callbacks;
using static TorchSharp.torch;

namespace Trainer.Hosting.Tests.Docs;

public sealed class CallbackStateTensorTests
{
    [Test]
    public void TensorsInACallbackStateSurviveItsJsonBitForBit()
    {
        using var model = nn.Linear(4, 3);

        // begin-snippet: callback-state-tensors
        // SetTensors keeps each tensor's dtype, shape and bytes; ToJson is what the checkpoint stores.
        var saved = new CallbackState().Set("bestEpoch", 7L).SetTensors("bestWeights", model.state_dict());
        var json = saved.ToJson();

        // GetTensors makes new CPU tensors: the callback owns them and disposes them.
        var loaded = CallbackState.FromJson(json);
        var bestWeights = loaded.GetTensors("bestWeights");
        // end-snippet

        try
        {
            Assert.That(loaded.GetInt64("bestEpoch"), Is.EqualTo(7));
            Assert.That(bestWeights.Keys, Is.EquivalentTo(new[] { "weight", "bias" }));
            foreach (var (name, tensor) in model.state_dict())
            {
                Assert.That(bestWeights[name].shape, Is.EqualTo(tensor.shape), name);
                Assert.That(bestWeights[name].data<float>().ToArray(), Is.EqualTo(tensor.data<float>().ToArray()), name);
            }
        }
        finally
        {
            foreach (var tensor in bestWeights.Values) tensor.Dispose();
        }
    }
}
