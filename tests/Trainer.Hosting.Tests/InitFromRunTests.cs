using Trainer.Hosting.Configuration;
using Trainer.Hosting.Tests.Support;
using Trainer.Runs;

namespace Trainer.Hosting.Tests;

public sealed class InitFromRunTests
{
    [Test]
    public void ARunStartedFromACheckpointLogsWhatItLoadedAndResumesWithoutReadingItAgain()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 3,
            extra: """ "Callbacks": [ { "Type": "Checkpoint", "Options": { "KeepLast": 5, "SaveOnStop": false } } ] """));
        var source = folder.File("source");
        Assert.That(Runner.Run(RecipeSource.FromFile(recipe), source).ExitCode, Is.EqualTo(ExitCodes.Completed));
        var weights = folder.File("start.ckpt");
        File.Copy(Directory.GetFiles(Path.Combine(source, "checkpoints")).Order().First(), weights);
        var run = folder.File("run");
        string[] start = ["--Model:InitFrom=start.ckpt", "--Model:InitFromSkip:0=layers.out.*", "--Model:Freeze:0=layers.fc1.*"];

        Assert.That(Runner.Run(RecipeSource.FromFile(recipe), run, start), Is.EqualTo((ExitCodes.Completed, "")));
        var log = File.ReadAllText(Path.Combine(run, "log.clef"));
        Assert.That(log, Does.Contain($"6 of 8 tensors loaded from {weights} (a checkpoint); kept their initialisation: layers.out.weight, layers.out.bias"));
        Assert.That(log, Does.Contain("1 of 5 parameters frozen (layers.fc1.weight)"));

        File.Delete(weights);
        var (code, errors) = Runner.Resume(recipe, run, [.. start, "--Training:Epochs=4"]);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(RunSummaryFile.Read(run).Epochs, Is.EqualTo(4));
    }
}
