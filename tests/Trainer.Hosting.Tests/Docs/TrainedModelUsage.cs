using Trainer.Inference;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>The README's "Predict from C#" example, as written there.</summary>
internal static class TrainedModelUsage
{
    /// <summary>Loads the model of <paramref name="runDirectory"/>, predicts one example and the examples at <paramref name="inputPath"/>.</summary>
    public static void Predict(string runDirectory, float[] pixels, string inputPath)
    {
        // begin-snippet: use-trained-model
        using var model = TrainedModel.Load(runDirectory);                   // a package, a run directory or a checkpoint
        Prediction one = model.Predict(pixels);                              // one example's features, pixels in [0, 1]
        Console.WriteLine($"{one.ClassName ?? one.Label.ToString()} {one.Scores.Max():P1}");

        using var inputs = model.ReadInputs(inputPath);                      // files, read the way the training data was
        foreach (var p in model.Predict(inputs.Features, inputs.Ids)) Console.WriteLine($"{p.Id}: {p.ClassName ?? p.Label.ToString()}");
        // end-snippet
    }
}
