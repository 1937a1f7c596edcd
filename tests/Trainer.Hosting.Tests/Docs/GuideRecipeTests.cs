using System.Text.Json;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Tests.Support;
using Trainer.Plugins.Checkpoints;
using Trainer.Runs;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>
/// The guide's recipe, run as a user runs it: its <c>Plugins</c> entry loads a plugin assembly (this test assembly
/// stands in for MyPlugins.dll) in its own load context, whose model and callbacks then train the run.
/// </summary>
public sealed class GuideRecipeTests
{
    [Test]
    public void TheRecipeLoadsThePluginTrainsItsModelAndStopsOnThePlateau()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var run = folder.File("run");
        var builtIn = new PluginCatalog().Add<CheckpointCallback>(); // what ships beside the trainer program

        var (code, errors) = DocsRun.Recipe(DocsFiles.Recipe, run, catalog: builtIn, overrides:
        [
            $"--Plugins:0={typeof(GuideRecipeTests).Assembly.Location}",
            "--Training:Epochs=3", "--Callbacks:0:Options:LogEvery=10",
            "--Callbacks:1:Options:Patience=1", "--Callbacks:1:Options:MinDelta=10", // no epoch can improve by 10: a plateau after epoch 2
        ]);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var summary = RunSummaryFile.Read(run);
        Assert.That((summary.Status, summary.Epochs, summary.BestEpoch, summary.StopReason), Is.EqualTo(("stopped-early", 2, (int?)1, "no-improvement")));
        Assert.That(summary.StopMessage, Does.StartWith("val_loss did not improve for 1 epochs; best ").And.EndWith(" in epoch 1"));
        Assert.That(summary.Metrics["test_accuracy"], Is.GreaterThan(0.5), "the plugin's WideMlp learned (chance is 0.1)");
        var resolved = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "recipe.json"))).RootElement;
        Assert.That(resolved.GetProperty("Model").GetProperty("Type").GetString(), Is.EqualTo("WideMlp"));

        Assert.That(ClefLog.Events(run, 9101).Select(e => e.GetProperty("GlobalStep").GetInt64()), Is.EqualTo(new long[] { 10, 20, 30, 40 }),
            "2 epochs of 20 batches of 64");
        var stop = ClefLog.Events(run, 9201).Single();
        Assert.That((stop.GetProperty("Epoch").GetInt32(), stop.GetProperty("StopReason").GetString()), Is.EqualTo((2, "no-improvement")));
        Assert.That(Directory.GetFiles(CheckpointCallback.FolderOf(run), "epoch-*.ckpt"), Is.Not.Empty);
    }
}
