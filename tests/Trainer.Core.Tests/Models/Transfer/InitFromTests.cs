using TorchSharp;
using TorchSharp.PyBridge;
using Trainer.Checkpoints;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Tests.Models.Transfer;

public sealed class InitFromTests
{
    private static readonly string[] OutputLayer = ["layers.out.weight", "layers.out.bias"];

    [Test]
    public void AModelFromAPackageHoldsTheSourceWeightsExactlyAndTheSeededInitWhereSkipped()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        TransferModels.WritePackage(source, folder.File("package"));
        var expected = TransferModels.Snapshot(source);

        using var plain = TrainingSetup.Create(TransferModels.Recipe(), folder.Path);
        using var started = TrainingSetup.Create(TransferModels.Recipe("package", skip: ["layers.out.*"]), folder.Path);

        var state = started.Model.state_dict();
        var plainState = plain.Model.state_dict();
        foreach (var name in state.Keys.Except(OutputLayer))
            Assert.That(TransferModels.Identical(state[name], expected[name]), name);
        foreach (var name in OutputLayer)
            Assert.That(TransferModels.Identical(state[name], plainState[name]), $"{name} keeps the seeded initialisation");
        var result = started.InitializedFrom!;
        Assert.That(result.Loaded, Is.EqualTo(state.Keys.Except(OutputLayer)));
        Assert.That((result.Skipped, result.Missing, result.Unused), Is.EqualTo((OutputLayer, Array.Empty<string>(), OutputLayer)));
        Assert.That(result.File, Is.EqualTo(folder.File("package/weights.dat")));
        Assert.That(result.Summary, Is.EqualTo($"6 of 8 tensors loaded from {folder.File("package/weights.dat")} (a model package); " +
                                               "kept their initialisation: layers.out.weight, layers.out.bias; not used from the file: layers.out.weight, layers.out.bias"));
    }

    [Test]
    public void AModelStartedFromATrainedPackageEvaluatesToItsTestMetricsBeforeTheFirstStep()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("run"));
        var trained = TestTraining.TrainIn(folder.File("run"), TransferModels.Recipe(), setup => TransferModels.WritePackage(setup.Model, folder.File("package")),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None, null);

        using var started = TrainingSetup.Create(TransferModels.Recipe("package"), folder.Path);
        var evaluation = ModelEvaluator.Evaluate(started.Model, started.Data.Test, started.Device, started.Task);

        Assert.That(evaluation.Metrics["accuracy"], Is.EqualTo(trained.FinalMetrics[MetricNames.TestAccuracy]));
        Assert.That(evaluation.Loss, Is.EqualTo(trained.FinalMetrics[MetricNames.TestLoss]).Within(1e-12));
    }

    [Test]
    public void ARunDirectoryWithTheRunsOwnPackageStartsFromItsTestedWeights()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("run"));
        var trained = TestTraining.TrainIn(folder.File("run"), TransferModels.Recipe(), null,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None, null);

        using var started = TrainingSetup.Create(TransferModels.Recipe("run"), folder.Path);
        var evaluation = ModelEvaluator.Evaluate(started.Model, started.Data.Test, started.Device, started.Task);

        Assert.That(started.InitializedFrom!.File, Is.EqualTo(folder.File("run/model/weights.dat")));
        Assert.That(started.InitializedFrom.Loaded, Has.Count.EqualTo(8));
        Assert.That(evaluation.Metrics["accuracy"], Is.EqualTo(trained.FinalMetrics[MetricNames.TestAccuracy]));
    }

    [Test]
    public void TheSeededRunAfterInitFromDrawsTheSameRandomNumbersAsWithout()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        TransferModels.WritePackage(source, folder.File("package"));

        using (TrainingSetup.Create(TransferModels.Recipe(), folder.Path)) { }
        var without = rand(4).data<float>().ToArray();
        using (TrainingSetup.Create(TransferModels.Recipe("package"), folder.Path)) { }
        var with = rand(4).data<float>().ToArray();

        Assert.That(with, Is.EqualTo(without));
    }

    [Test]
    public void ARunDirectoryMeansItsModelFolder()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        TransferModels.WritePackage(source, folder.File("runs/a/model"));

        using var setup = TrainingSetup.Create(TransferModels.Recipe("runs/a"), folder.Path);

        Assert.That(setup.InitializedFrom!.Loaded, Has.Count.EqualTo(8));
        Assert.That(TransferModels.Identical(setup.Model.state_dict()["layers.out.weight"], source.state_dict()["layers.out.weight"]));
    }

    [TestCase("weights.dat", "TorchSharp weights")]
    [TestCase("weights.bin", "TorchSharp weights")]
    [TestCase("weights.pt", "a PyTorch state_dict")]
    [TestCase("weights.pth", "a PyTorch state_dict")]
    [TestCase("pytorch_model.bin", "a PyTorch state_dict")]
    [TestCase("weights.safetensors", "safetensors")]
    [TestCase("last.ckpt", "a checkpoint")]
    public void EachFileFormatLoadsEveryTensorExactly(string file, string format)
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        var path = folder.File(file);
        switch (Path.GetExtension(file))
        {
            case ".pt" or ".pth": source.save_py(path); break;
            case ".bin" when file.StartsWith("pytorch", StringComparison.Ordinal): source.save_py(path); break;
            case ".safetensors": source.save_safetensors(path); break;
            case ".ckpt": CheckpointFile.Write(path, Checkpoint(source)); break;
            default: source.save(path); break;
        }

        using var setup = TrainingSetup.Create(TransferModels.Recipe(file), folder.Path);

        Assert.That((setup.InitializedFrom!.Format, setup.InitializedFrom.Loaded.Count), Is.EqualTo((format, 8)));
        var state = setup.Model.state_dict();
        foreach (var (name, tensor) in source.state_dict()) Assert.That(TransferModels.Identical(state[name], tensor), name);
    }

    [Test]
    public void AStateDictWrittenByPyTorchLoads()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        source.save_safetensors(folder.File("source.safetensors"));
        var script = """
            import json, struct, sys, torch
            from collections import OrderedDict
            data = open(sys.argv[1], 'rb').read()
            n = struct.unpack('<Q', data[:8])[0]
            header = json.loads(data[8:8 + n])
            types = {'F32': torch.float32, 'I64': torch.int64}
            state = OrderedDict()
            for name, entry in header.items():
                if name == '__metadata__': continue
                start, end = entry['data_offsets']
                state[name] = torch.frombuffer(bytearray(data[8 + n + start:8 + n + end]), dtype=types[entry['dtype']]).reshape(entry['shape']).clone()
            torch.save(state, sys.argv[2])
            """;
        File.WriteAllText(folder.File("write.py"), script);
        if (!RunPython(folder.File("write.py"), folder.File("source.safetensors"), folder.File("torch.pt")))
            Assert.Fail("PyTorch did not write the state dict: python3 with torch is needed (Debian: apt-get install python3-torch; CI installs it).");

        using var setup = TrainingSetup.Create(TransferModels.Recipe("torch.pt"), folder.Path);

        var state = setup.Model.state_dict();
        foreach (var (name, tensor) in source.state_dict()) Assert.That(TransferModels.Identical(state[name], tensor), name);
    }

    [Test]
    public void TensorsOfAnotherShapeAreOneErrorListingBothShapes()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source(classes: 2);
        TransferModels.WritePackage(source, folder.File("package"));

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe("package"), folder.Path).Dispose())!;

        Assert.That(error.Message, Is.EqualTo(
            "Model:InitFrom: 2 tensors do not fit this model: layers.out.weight [2, 32] in the file vs [10, 32] here; layers.out.bias [2] vs [10] " +
            $"('{folder.File("package/weights.dat")}'). Skip them with Model:InitFromSkip (e.g. [\"layers.out.*\"]) to keep their initialisation, " +
            "or change Model so the shapes match."));
    }

    [Test]
    public void SkippingTheMisfitsLoadsTheRest()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source(classes: 2);
        TransferModels.WritePackage(source, folder.File("package"));

        using var setup = TrainingSetup.Create(TransferModels.Recipe("package", skip: ["layers.out.*"]), folder.Path);

        Assert.That(setup.InitializedFrom!.Loaded, Has.Count.EqualTo(6));
    }

    [Test]
    public void AFileWithNoTensorOfTheModelIsAnError()
    {
        using var folder = new TempFolder();
        using var other = nn.Sequential(("encoder", nn.Linear(3, 4)));
        other.save(folder.File("other.dat"));

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe("other.dat"), folder.Path).Dispose())!;

        Assert.That(error.Message, Is.EqualTo(
            $"Model:InitFrom: '{folder.File("other.dat")}' (TorchSharp weights) has no tensor this model has; it holds encoder.weight, encoder.bias, " +
            "the model has layers.fc1.weight, layers.bn1.weight, layers.bn1.bias, layers.out.weight, layers.out.bias, layers.bn1.running_mean, … (8 in all). " +
            "Is it the weights of another architecture?"));
    }

    [Test]
    public void ASkipPatternThatMatchesNothingIsAnError()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        TransferModels.WritePackage(source, folder.File("package"));

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe("package", skip: ["output.*"]), folder.Path).Dispose())!;

        Assert.That(error.Message, Does.StartWith($"Model:InitFromSkip pattern 'output.*' matches no tensor of the model or of '{folder.File("package/weights.dat")}'; " +
                                                  "the model's tensors: layers.fc1.weight, "));
    }

    [Test]
    public void AMissingPathIsOneErrorNamingTheFieldAndThePath()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe("nothing/here"), folder.Path).Dispose())!;

        Assert.That(error.Message, Is.EqualTo($"Model:InitFrom '{folder.File("nothing/here")}' does not exist; give a model package folder, a run directory, " +
                                              "a checkpoint (.ckpt), TorchSharp weights (.dat, .bin) or a PyTorch state_dict (.pt, .pth)."));
    }

    [Test]
    public void AFolderWithoutAPackageIsAnError()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("empty"));

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe("empty"), folder.Path).Dispose())!;

        Assert.That(error.Message, Does.StartWith($"Model:InitFrom '{folder.File("empty")}' is a folder without a model package: it has no model.json"));
    }

    [Test]
    public void AnAlteredPackageIsRefusedByItsChecksum()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        TransferModels.WritePackage(source, folder.File("package"));
        var weights = folder.File("package/weights.dat");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(weights, bytes);

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe("package"), folder.Path).Dispose())!;

        Assert.That(error.Message, Is.EqualTo($"Model:InitFrom: '{weights}' does not match the SHA-256 in model.json; the package was altered or is truncated."));
    }

    [TestCase("weights.dat", "TorchSharp weights (Module.save)")]
    [TestCase("weights.pt", "a PyTorch state_dict (torch.save(model.state_dict(), ...))")]
    public void ATruncatedOrForeignFileIsOneClearError(string file, string format)
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        var path = folder.File(file);
        if (file.EndsWith(".pt", StringComparison.Ordinal)) source.save_py(path);
        else source.save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        File.WriteAllText(folder.File("text.dat"), "not weights at all");

        var truncated = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe(file), folder.Path).Dispose())!;
        var foreign = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe("text.dat"), folder.Path).Dispose())!;

        Assert.That(truncated.Message, Does.StartWith($"Model:InitFrom '{path}' cannot be read as {format}: "));
        Assert.That(foreign.Message, Does.StartWith($"Model:InitFrom '{folder.File("text.dat")}' cannot be read as TorchSharp weights (Module.save): "));
        Assert.That(truncated.Message.Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void ADamagedCheckpointIsOneErrorNamingTheField()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.ckpt"), "not a zip");

        var error = Assert.Throws<RecipeException>(() => TrainingSetup.Create(TransferModels.Recipe("bad.ckpt"), folder.Path).Dispose())!;

        Assert.That(error.Message, Does.StartWith($"Model:InitFrom: Checkpoint '{folder.File("bad.ckpt")}' is damaged"));
    }

    [Test]
    public void AResumedRunDoesNotReadInitFrom()
    {
        using var folder = new TempFolder();

        using var setup = TrainingSetup.Create(TransferModels.Recipe("deleted/package"), folder.Path, resuming: true);

        Assert.That(setup.InitializedFrom, Is.Null);
    }

    [Test]
    public void AResumedRunKeepsTheSeededInitForItsCheckpointToReplace()
    {
        using var folder = new TempFolder();
        using var source = TransferModels.Source();
        TransferModels.WritePackage(source, folder.File("package"));

        using var plain = TrainingSetup.Create(TransferModels.Recipe(), folder.Path);
        using var resumed = TrainingSetup.Create(TransferModels.Recipe("package"), folder.Path, resuming: true);

        var state = resumed.Model.state_dict();
        foreach (var (name, tensor) in plain.Model.state_dict()) Assert.That(TransferModels.Identical(state[name], tensor), name);
    }

    /// <summary>A checkpoint holding <paramref name="model"/>'s weights (the other states are placeholders).</summary>
    private static TrainingCheckpoint Checkpoint(nn.Module<Tensor, Tensor> model)
    {
        using var weights = new MemoryStream();
        model.save(weights);
        return new TrainingCheckpoint
        {
            CompletedEpochs = 1, GlobalStep = 10, Reason = "epoch",
            History = [new EpochMetrics(1, 0.5, 100, new Dictionary<string, double> { ["train_loss"] = 0.25 })], CallbackStates = new Dictionary<string, string>(),
            Model = weights.ToArray(), Optimizer = new byte[] { 1 }, TorchRandomState = new byte[] { 2 }, ShuffleState = new byte[] { 3 },
        };
    }

    private static bool RunPython(params string[] arguments)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", arguments)
            {
                RedirectStandardError = true, RedirectStandardOutput = true,
            })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) TestContext.Progress.WriteLine(error);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
