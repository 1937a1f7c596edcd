using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Inference;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Tests.Shared;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Core.Tests.Inference;

/// <summary>
/// The model package every run leaves (<c>RUN_DIR/model</c>) and <see cref="TrainedModel"/>: the loaded model gives the
/// trained model's outputs bit for bit, the manifest records what is needed, a damaged package or a wrong input is one
/// clear error, and PyTorch reproduces the outputs from weights.pt and model.py.
/// </summary>
public sealed class ModelPackageTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("trainer-package-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public void ARunsPackageReproducesTheTrainedModelsOutputsBitForBit()
    {
        Tensor? test = null, expected = null;
        var result = TestTraining.TrainIn(directory, TestTraining.Digits(epochs: 2, dropout: 0.2), setup =>
        {
            test = setup.Data.Test.Features.clone().DetachFromDisposeScope();
            setup.Model.eval();
            using (no_grad()) expected = setup.Model.forward(test).DetachFromDisposeScope();
        }, NullLogger.Instance, CancellationToken.None, null);
        using var _ = test;
        using var __ = expected;
        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));

        using var first = TrainedModel.Load(directory);
        using var second = TrainedModel.Load(Path.Combine(directory, RunFiles.Model));
        using var a = first.Forward(test!);
        using var b = second.Forward(test!);
        Assert.That(a.equal(expected!).all().item<bool>(), Is.True, "the package's weights are the tested weights");
        Assert.That(b.equal(a).all().item<bool>(), Is.True, "loading twice gives bit-identical outputs");

        var manifest = first.Manifest;
        Assert.That(manifest.InputShape, Is.EqualTo(new long[] { 1, 8, 8 }));
        Assert.That(manifest.Architecture.Kind, Is.EqualTo("mlp"));
        Assert.That(manifest.Task["outputs"]!.GetValue<int>(), Is.EqualTo(10));
        Assert.That(manifest.Weights.Sha256, Is.EqualTo(ModelPackage.Sha256(Path.Combine(directory, RunFiles.Model, ModelPackageFiles.Weights))));
        Assert.That(manifest.Weights.Epoch, Is.EqualTo(2));
        Assert.That(manifest.Metrics["test_accuracy"], Is.EqualTo(result.FinalMetrics["test_accuracy"]));
        Assert.That(manifest.Versions.TorchSharp, Does.StartWith("0.107"));
        Assert.That(manifest.Versions.LibTorch, Is.EqualTo("2.10.0"));
        Assert.That(manifest.Normalization["mode"]!.GetValue<string>(), Is.EqualTo("per-channel"));
    }

    [Test]
    public void PredictAppliesTheStoredNormalisationAndReturnsProbabilitiesAndTheArgmax()
    {
        Tensor? raw = null;
        TestTraining.TrainIn(directory, TestTraining.Digits(epochs: 1), setup =>
        {
            // The test split un-standardised with the run's own statistics: the pixels as the source gives them, in [0, 1].
            raw = (setup.Data.Test.Features * setup.Data.Normalization!.Std + setup.Data.Normalization.Mean).DetachFromDisposeScope();
        }, NullLogger.Instance, CancellationToken.None, null);
        using var _ = raw;
        using var model = TrainedModel.Load(directory);

        var predictions = model.Predict(raw!);
        using var prepared = model.Prepare(raw!);
        using var logits = model.Forward(prepared);
        using var probabilities = logits.softmax(1);
        var expected = probabilities.data<float>().ToArray();
        Assert.That(predictions, Has.Count.EqualTo(raw!.size(0)));
        for (var i = 0; i < predictions.Count; i++)
        {
            var row = expected.AsSpan(i * 10, 10).ToArray();
            Assert.That(predictions[i].Scores, Is.EqualTo(row).Within(1e-6));
            Assert.That(predictions[i].Label, Is.EqualTo(Array.IndexOf(row, row.Max())));
            Assert.That(predictions[i].Scores.Sum(), Is.EqualTo(1).Within(1e-5));
        }
        var single = model.Predict(raw![0].flatten().data<float>().ToArray());
        Assert.That(single.Scores, Is.EqualTo(predictions[0].Scores).Within(1e-6));
    }

    [Test]
    public void PredictGivesFiniteProbabilitiesForLogitsBeyondExpsRangeAndNaNForANaNExample()
    {
        TestTraining.TrainIn(directory, TestTraining.Digits(epochs: 1), _ => { }, NullLogger.Instance, CancellationToken.None, null);
        using var model = TrainedModel.Load(directory);
        using var seed = manual_seed(3);
        // 301 examples: 3,010 scores, not a multiple of the vector width. The first 150 far outside the pixels' range (logits in
        // the thousands: e^x overflows float32 without the shift by the maximum), the rest as they come (spread probabilities).
        using var inputs = randn(301, 1, 8, 8);
        inputs.narrow(0, 0, 150).mul_(1e4f);
        inputs[7].fill_(float.NaN);

        var predictions = model.Predict(inputs);

        using var logits = model.Forward(model.Prepare(inputs));
        Assert.That(logits.narrow(0, 0, 7).abs().max().item<float>(), Is.GreaterThan(100f), "the test reaches logits whose exponential overflows float32");
        using var probabilities = logits.softmax(1);
        var expected = probabilities.data<float>().ToArray();
        for (var i = 0; i < predictions.Count; i++)
        {
            var scores = predictions[i].Scores;
            if (i == 7)
            {
                Assert.That(scores, Has.All.NaN, "a NaN example has NaN probabilities, as libtorch's softmax gives");
                Assert.That(predictions[i].Label, Is.EqualTo(0), "no class is likelier: the first");
                continue;
            }
            var row = expected.AsSpan(i * 10, 10).ToArray();
            Assert.That(scores, Is.EqualTo(row).Within(1e-6), $"example {i}");
            for (var k = 0; k < 10; k++)
            {
                if (row[k] > 1e-30f) Assert.That(scores[k], Is.EqualTo(row[k]).Within(1e-4).Percent, $"example {i}, class {k}: relative to a small probability too");
            }
            Assert.That(scores.Sum(), Is.EqualTo(1).Within(1e-5), $"example {i}");
            Assert.That(predictions[i].Label, Is.EqualTo(Array.IndexOf(scores, scores.Max())));
        }
    }

    [Test]
    public void BytePixelsArePreparedExactlyAsTheTrainingPipelinePreparedTheTestSplit(
        [Values("per-channel", "per-feature")] string normalize)
    {
        Tensor? expected = null;
        var recipe = TestTraining.Digits(epochs: 1);
        recipe.Data = new DataOptions { Source = "fashion-mnist", ValidationFraction = 0.1, Normalize = normalize, TrainLimit = 512 };
        TestTraining.TrainIn(directory, recipe, setup => expected = setup.Data.Test.Features.clone().DetachFromDisposeScope(),
            NullLogger.Instance, CancellationToken.None, null);
        using var _ = expected;
        using var model = TrainedModel.Load(directory);
        using var inputs = model.ReadInputs(Trainer.Data.FashionMnistDataSource.DefaultFolders().First(f => File.Exists(Path.Combine(f, "t10k-images-idx3-ubyte.gz"))));
        Assert.That(inputs.Features.dtype, Is.EqualTo(ScalarType.Byte));

        using var prepared = model.Prepare(inputs.Features);

        Assert.That(prepared.equal(expected!).all().item<bool>(), Is.True, "the 10,000 test images, bit for bit");
    }

    [Test]
    public void ManyThreadsPredictTheSameAsOne()
    {
        TestTraining.TrainIn(directory, TestTraining.Digits(epochs: 1), null, NullLogger.Instance, CancellationToken.None, null);
        using var model = TrainedModel.Load(directory);
        using var inputs = rand(300, 1, 8, 8);
        var alone = model.Predict(inputs).Select(p => p.Scores).ToList();
        var together = new IReadOnlyList<Prediction>[8];
        Parallel.For(0, together.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => together[i] = model.Predict(inputs));
        foreach (var run in together)
            Assert.That(run.Select(p => p.Scores), Is.EqualTo(alone));
    }

    [Test]
    public void EvaluatingLeavesTheModelInEvaluationModeForThreadsThatPredict()
    {
        TestTraining.TrainIn(directory, TestTraining.Digits(epochs: 1, dropout: 0.5), null, NullLogger.Instance, CancellationToken.None, null);
        using var model = TrainedModel.Load(directory);
        using var inputs = rand(50, 1, 8, 8);
        var before = model.Predict(inputs).Select(p => p.Scores).ToList();
        using var labelled = new Trainer.Data.ExampleInputs(inputs.clone(), [.. Enumerable.Range(0, 50).Select(i => i.ToString())], zeros(50, ScalarType.Int64));

        var (result, predictions, labels) = model.Evaluate(labelled);
        labels.Dispose();

        Assert.That(double.IsFinite(result.Loss), Is.True);
        Assert.That(predictions.Select(p => p.Scores), Is.EqualTo(before), "evaluation ran without dropout");
        Assert.That(model.Predict(inputs).Select(p => p.Scores), Is.EqualTo(before), "and left dropout off for later predictions");
    }

    [Test]
    public void AnAlteredOrTruncatedPackageIsRefusedNamingTheFile()
    {
        TestTraining.TrainIn(directory, TestTraining.Digits(epochs: 1), null, NullLogger.Instance, CancellationToken.None, null);
        var weights = Path.Combine(directory, RunFiles.Model, ModelPackageFiles.Weights);
        var bytes = File.ReadAllBytes(weights);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(weights, bytes);
        var altered = Assert.Throws<RecipeException>(() => TrainedModel.Load(directory))!;
        Assert.That(altered.Message, Does.Contain(weights).And.Contain("SHA-256").And.Not.Contain("\n"));

        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        Assert.That(Assert.Throws<RecipeException>(() => TrainedModel.Load(directory))!.Message, Does.Contain("truncated or altered"));

        File.Delete(weights);
        Assert.That(Assert.Throws<RecipeException>(() => TrainedModel.Load(directory))!.Message, Does.Contain("missing"));

        File.WriteAllText(Path.Combine(directory, RunFiles.Model, ModelPackageFiles.Manifest), "{ \"format\": 1, ");
        Assert.That(Assert.Throws<RecipeException>(() => TrainedModel.Load(directory))!.Message, Does.Contain("not valid JSON"));

        Assert.That(Assert.Throws<RecipeException>(() => TrainedModel.Load(Path.Combine(directory, "nowhere")))!.Message, Does.Contain("does not exist"));
    }

    [Test]
    public void InputOfTheWrongShapeIsRefusedWithTheShapeTheModelTakes()
    {
        TestTraining.TrainIn(directory, TestTraining.Digits(epochs: 1), null, NullLogger.Instance, CancellationToken.None, null);
        using var model = TrainedModel.Load(directory);
        using var wrong = rand(4, 1, 9, 9);
        Assert.That(Assert.Throws<RecipeException>(() => model.Predict(wrong))!.Message,
            Does.Contain("[4, 1, 9, 9]").And.Contain("[1, 8, 8]").And.Contain("8x8 pixels"));
        Assert.That(Assert.Throws<RecipeException>(() => model.Predict(new float[63]))!.Message, Does.Contain("63 values").And.Contain("takes 64"));
    }

    [Test]
    public void AnInterruptedRunLeavesAPackageOfItsWeightsAfterTheFirstEpoch()
    {
        using var cancel = new CancellationTokenSource();
        var recipe = TestTraining.Digits(epochs: 50, batchSize: 64);
        var result = TestTraining.TrainIn(directory, recipe, null, NullLogger.Instance, cancel.Token, null, new CancelAfterEpoch(cancel, 2));
        Assert.That(result.Status, Is.EqualTo(RunStatus.Interrupted));
        var manifest = ModelPackage.ReadManifest(Path.Combine(directory, RunFiles.Model));
        Assert.That(manifest.Status, Is.EqualTo("interrupted"));
        Assert.That(manifest.Weights.Epoch, Is.EqualTo(2));
        Assert.That(manifest.Weights.Description, Does.Contain("epoch 2"));
    }

    [Test]
    public void PyTorchLoadsWeightsPtIntoModelPyAndReproducesTheOutputs(
        [Values("mlp", "cnn")] string kind)
    {
        var recipe = TestTraining.Digits(epochs: 1, dropout: 0.1);
        recipe.Model.Kind = kind;
        recipe.Model.Channels = [4, 8];
        recipe.Model.Activation = kind == "cnn" ? "leaky-relu" : "tanh";
        TestTraining.TrainIn(directory, recipe, null, NullLogger.Instance, CancellationToken.None, null);
        using var model = TrainedModel.Load(directory);
        manual_seed(3);
        using var inputs = rand(1000, 1, 8, 8);
        using var prepared = model.Prepare(inputs);
        using var logits = model.Forward(prepared);
        var package = Path.Combine(directory, RunFiles.Model);
        File.WriteAllBytes(Path.Combine(directory, "inputs.bin"), inputs.data<float>().ToArray().SelectMany(BitConverter.GetBytes).ToArray());
        var script = $$"""
            import sys, numpy, torch
            sys.path.insert(0, {{Quoted(package)}})
            import model
            net = model.load()
            x = torch.from_numpy(numpy.fromfile({{Quoted(Path.Combine(directory, "inputs.bin"))}}, dtype=numpy.float32).reshape(1000, 1, 8, 8))
            with torch.no_grad():
                y = net(model.preprocess(x))
            y.numpy().astype(numpy.float32).tofile({{Quoted(Path.Combine(directory, "logits.bin"))}})
            """;
        RunPython(script);
        var bytes = File.ReadAllBytes(Path.Combine(directory, "logits.bin"));
        var python = Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)).ToArray();
        var ours = logits.data<float>().ToArray();
        Assert.That(python, Has.Length.EqualTo(ours.Length));
        var worst = python.Zip(ours, (p, o) => Math.Abs(p - o)).Max();
        Assert.That(worst, Is.LessThan(1e-5), $"largest difference between PyTorch's and Trainer's logits over 1,000 examples: {worst:G3}");
    }

    private static string Quoted(string path) => "r'" + path + "'";

    private static void RunPython(string script)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-");
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"PyTorch (Debian: apt-get install python3-torch) failed: {error}{output.Result}");
    }
}
