using Trainer.Hosting.Tests.Support;
using Trainer.Runs;

namespace Trainer.Hosting.Tests;

public sealed class ResumeTests
{
    private static string CheckpointedRecipe(TempFolder folder) => folder.Write("r.json", TestRecipes.Digits(epochs: 3,
        extra: """ "Callbacks": [ { "Type": "Checkpoint", "Options": { "KeepLast": 5, "SaveOnStop": false } } ] """));

    [Test]
    public void ResumeContinuesFromTheLatestCheckpointAndMayRunMoreEpochs()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = CheckpointedRecipe(folder);
        var runDirectory = folder.File("run");
        Assert.That(Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory).ExitCode, Is.EqualTo(0));

        var (code, errors) = Runner.Resume(recipe, runDirectory, "--Training:Epochs=5");

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(RunSummaryFile.Read(runDirectory).Epochs, Is.EqualTo(5));
        Assert.That(File.ReadLines(Path.Combine(runDirectory, "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
        Assert.That(File.ReadAllText(Path.Combine(runDirectory, "log.clef")), Does.Contain("\"Name\":\"Resumed\"").And.Contain("\"CompletedEpochs\":3,\"GlobalStep\":15"));
    }

    [Test]
    public void ADamagedLatestCheckpointIsRefusedAndThePreviousOneUsed()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = CheckpointedRecipe(folder);
        var runDirectory = folder.File("run");
        Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory);
        var latest = Directory.GetFiles(Path.Combine(runDirectory, "checkpoints")).Order().Last();
        var bytes = File.ReadAllBytes(latest);
        File.WriteAllBytes(latest, bytes[..(bytes.Length - 100)]);

        var (code, _) = Runner.Resume(recipe, runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed));
        var log = File.ReadAllText(Path.Combine(runDirectory, "log.clef"));
        Assert.That(log, Does.Contain($"Checkpoint '{latest}' is damaged").And.Contain("epoch-0002-step-"));
        Assert.That(log, Does.Contain("\"CompletedEpochs\":2,\"GlobalStep\":10,\"NextBatch\":0"));
        Assert.That(RunSummaryFile.Read(runDirectory).Epochs, Is.EqualTo(3));
    }

    [Test]
    public void ACheckpointWhoseTensorsDoNotFitTheModelLeavesTheRunsFilesAsTheyWere()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = CheckpointedRecipe(folder);
        var runDirectory = folder.File("run");
        var other = folder.File("other");
        Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory);
        Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), other, ["--Model:Hidden:0=7"]);
        // Another model's weights, repackaged with this run's recipe: every checksum matches, the tensors do not fit.
        var foreign = Trainer.Checkpoints.CheckpointFile.Read(Directory.GetFiles(Path.Combine(other, "checkpoints")).Order().Last());
        var own = Trainer.Checkpoints.CheckpointFile.Read(Directory.GetFiles(Path.Combine(runDirectory, "checkpoints")).Order().Last());
        Trainer.Checkpoints.CheckpointFile.Write(Path.Combine(runDirectory, "checkpoints", "epoch-0003-step-00000099.ckpt"), new Trainer.Checkpoints.TrainingCheckpoint
        {
            CompletedEpochs = own.CompletedEpochs, GlobalStep = 99, Reason = "epoch", History = own.History, CallbackStates = own.CallbackStates,
            RecipeJson = own.RecipeJson, LearningRate = own.LearningRate, BaseLearningRate = own.BaseLearningRate,
            Model = foreign.Model, Optimizer = foreign.Optimizer, TorchRandomState = own.TorchRandomState, ShuffleState = own.ShuffleState,
        });
        var files = new[] { "summary.json", "metrics.csv", "plots/loss.png" }.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(runDirectory, f)));

        var (code, errors) = Runner.Resume(recipe, runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), errors);
        foreach (var (file, bytes) in files)
            Assert.That(File.ReadAllBytes(Path.Combine(runDirectory, file)), Is.EqualTo(bytes), $"{file} is the run's own still");
        Assert.That(RunSummaryFile.Read(runDirectory).Status, Is.EqualTo("completed"));
        Assert.That(File.ReadAllText(Path.Combine(runDirectory, "log.clef")), Does.Contain("--resume: the checkpoint cannot be loaded into this run's model"));
    }

    [Test]
    public void ARecipeThatChangedIsRefusedNamingTheDifference()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = CheckpointedRecipe(folder);
        var runDirectory = folder.File("run");
        Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory);
        var before = File.ReadAllText(Path.Combine(runDirectory, "summary.json"));

        var (code, errors) = Runner.Resume(recipe, runDirectory, "--Optimizer:LearningRate=0.5");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Does.StartWith("error: --resume: the recipe differs from the one").And.Contain("(Optimizer:LearningRate: 0.01 → 0.5); only Training:Epochs"));
        Assert.That(File.ReadAllText(Path.Combine(runDirectory, "summary.json")), Is.EqualTo(before), "nothing the run wrote changes");
    }

    [Test]
    public void AResumeThatFailsToRestoreLeavesTheRunsMetricsAlone()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = CheckpointedRecipe(folder);
        var runDirectory = folder.File("run");
        Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory);
        var metrics = File.ReadAllText(Path.Combine(runDirectory, "metrics.csv"));
        // A checkpoint whose callback states lack the Checkpoint callback's cannot be restored.
        foreach (var file in Directory.GetFiles(Path.Combine(runDirectory, "checkpoints")))
        {
            var checkpoint = Trainer.Checkpoints.CheckpointFile.Read(file);
            Trainer.Checkpoints.CheckpointFile.Write(file, new Trainer.Checkpoints.TrainingCheckpoint
            {
                CompletedEpochs = checkpoint.CompletedEpochs, GlobalStep = checkpoint.GlobalStep, Reason = checkpoint.Reason,
                History = checkpoint.History, CallbackStates = new Dictionary<string, string>(), RecipeJson = checkpoint.RecipeJson,
                Model = checkpoint.Model, Optimizer = checkpoint.Optimizer, TorchRandomState = checkpoint.TorchRandomState, ShuffleState = checkpoint.ShuffleState,
            });
        }

        var (code, _) = Runner.Resume(recipe, runDirectory, "--Training:Epochs=5");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(RunSummaryFile.Read(runDirectory).Status, Is.EqualTo("completed"), "the failed attempt does not replace the run's summary");
        Assert.That(File.ReadAllText(Path.Combine(runDirectory, "log.clef")), Does.Contain("The checkpoint holds no state for callback Checkpoint"));
        Assert.That(File.ReadAllText(Path.Combine(runDirectory, "metrics.csv")), Is.EqualTo(metrics));
    }

    [Test]
    public void ResumingWithoutCheckpointsOrWithoutARunDirectoryIsAClearError()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 1));
        var runDirectory = folder.File("run");
        Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory);

        Assert.That(Runner.Resume(recipe, runDirectory).Errors, Is.EqualTo(
            $"error: --resume: '{Path.Combine(runDirectory, "checkpoints")}' holds no checkpoint; add a Checkpoint callback to the recipe so runs can be resumed." + Environment.NewLine));
        Assert.That(Runner.Resume(recipe, folder.File("missing")).Errors, Does.Contain("does not exist, so there is nothing to resume."));
    }
}
