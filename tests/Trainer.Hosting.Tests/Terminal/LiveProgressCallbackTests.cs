using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Trainer.Callbacks;
using Trainer.Terminal;
using Trainer.Hosting.Tests.Support;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Hosting.Tests.Terminal;

public sealed class LiveProgressCallbackTests
{
    private const int Epochs = 3;

    private static RecipeOptions Recipe() => new()
    {
        Name = "live-test",
        Data = new DataOptions { Source = "digits", ValidationFraction = 0.15 },
        Model = new ModelOptions { Kind = "mlp", Hidden = [32], BatchNorm = true },
        Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = 0.01 },
        Training = new TrainingOptions { Epochs = Epochs, BatchSize = 256, Device = "cpu", Seed = 1 },
    };

    /// <summary>The bias-corrected EWMA with β = 0.98 of <paramref name="losses"/>: v_t = β v_{t−1} + (1 − β) x_t, read as v_t / (1 − β^t).</summary>
    private static double Smoothed(IEnumerable<double> losses)
    {
        double v = 0;
        var t = 0;
        foreach (var x in losses)
        {
            v = 0.98 * v + 0.02 * x;
            t++;
        }
        return v / (1 - Math.Pow(0.98, t));
    }

    [Test]
    public async Task ATrainingRunKeepsTheStateCurrentAndEndsFinished()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Yes, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        var directory = Directory.CreateTempSubdirectory("trainer-live-").FullName;
        TrainingResult result;
        ProgressProbe probe;
        LiveProgressState.Snapshot final;
        try
        {
            await using var live = LiveProgress.Start("live-test", console);
            using var callback = live.CreateCallback();
            probe = new ProgressProbe(live.State, pause: TimeSpan.FromMilliseconds(80));
            using (var setup = TrainingSetup.Create(Recipe(), directory))
            {
                result = new TrainingLoop(setup, new CallbackPipeline([callback, probe]), new RunInfo("live", directory), NullLogger.Instance)
                    .Run(CancellationToken.None);
            }
            final = live.State.Current;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
        var steps = probe.Batches.Count / Epochs;
        Assert.That(probe.Batches, Has.Count.EqualTo(steps * Epochs));
        var reads = 0;
        var previous = double.NaN;
        for (var i = 0; i < probe.Batches.Count; i++)
        {
            var (epoch, index, _, s) = probe.Batches[i];
            Assert.That((s.Epoch, s.Epochs, s.Batch, s.Batches, s.CompletedEpochs, s.Finished), Is.EqualTo((epoch, Epochs, index + 1, steps, epoch - 1, false)),
                $"step {i + 1}");
            var expected = Smoothed(probe.Batches.Take(i + 1).Select(b => b.Loss));
            if (i == 0 || s.SmoothedLoss != previous)
            {
                // A read: the smoothed loss of every batch so far, this one included.
                Assert.That(s.SmoothedLoss, Is.EqualTo(expected).Within(1e-4).Percent, $"step {i + 1}");
                reads++;
            }
            previous = s.SmoothedLoss;
            if (epoch > 1 && index == 0)
            {
                Assert.That(s.ValidationLoss, Is.EqualTo(result.History[epoch - 2][MetricNames.ValLoss]), $"epoch {epoch - 1}'s validation loss");
                Assert.That(s.ValidationAccuracy, Is.EqualTo(result.History[epoch - 2][MetricNames.ValAccuracy]));
            }
        }
        Assert.That(reads, Is.GreaterThanOrEqualTo(2), "the smoothed loss is read again once the read interval has passed");

        Assert.That((final.Epoch, final.Epochs, final.CompletedEpochs, final.Batch, final.Batches, final.Finished),
            Is.EqualTo((Epochs, Epochs, Epochs, steps, steps, true)));
        Assert.That(final.SmoothedLoss, Is.EqualTo(previous), "the last value read");
        Assert.That(double.IsFinite(final.SmoothedLoss) && final.SmoothedLoss > 0, Is.True, $"{final.SmoothedLoss}");
        Assert.That(final.LearningRate, Is.EqualTo(0.01));
        Assert.That(final.ValidationLoss, Is.EqualTo(result.History[^1][MetricNames.ValLoss]));
        Assert.That(final.ValidationAccuracy, Is.EqualTo(result.History[^1][MetricNames.ValAccuracy]));
        Assert.That(output.ToString(), Does.Contain("live-test  epoch "), "the display drew the run");
    }
}
