using Spectre.Console;
using Trainer.Terminal;

namespace Trainer.Hosting.Tests.Terminal;

public sealed class LiveProgressTests
{
    private static readonly LiveProgressState.Snapshot Start0 = new LiveProgressState().Current;

    private static (IAnsiConsole Console, StringWriter Output) Console()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Yes, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        return (console, output);
    }

    [Test]
    public void BeforeTrainingTheDescriptionSaysStarting()
    {
        Assert.That(LiveProgress.Describe("run", Start0), Is.EqualTo("run  starting"));
        Assert.That(Start0, Is.EqualTo(new LiveProgressState.Snapshot(0, 0, 0, 0, 0, double.NaN, double.NaN, null, null, false)));
    }

    [Test]
    [SetCulture("de-DE")]
    public void TheDescriptionShowsEpochLossRateAndValidationMetricsInTheInvariantCulture()
    {
        var state = new LiveProgressState.Snapshot(2, 10, 5, 20, 1, 0.123456, 0.000123456, 0.5, 0.91236, false);

        Assert.That(LiveProgress.Describe("digits", state), Is.EqualTo("digits  epoch 2/10  loss 0.1235  lr 0.000123  val_loss 0.5000  val_acc 0.9124"));
    }

    [TestCase(double.NaN, double.NaN, "t  epoch 1/3")]
    [TestCase(double.PositiveInfinity, 0.0, "t  epoch 1/3")]
    [TestCase(2.5, -1.0, "t  epoch 1/3  loss 2.5000")]
    [TestCase(double.NaN, 1e-5, "t  epoch 1/3  lr 1E-05")]
    public void ANonFiniteLossAndANonPositiveRateAreLeftOut(double loss, double rate, string expected)
    {
        // Epoch 0 (the first epoch has not started yet) shows as epoch 1.
        var state = Start0 with { Epochs = 3, SmoothedLoss = loss, LearningRate = rate };

        Assert.That(LiveProgress.Describe("t", state), Is.EqualTo(expected));
    }

    [Test]
    public void OnlyTheValidationMetricsThereAreAreShown()
    {
        var state = Start0 with { Epoch = 3, Epochs = 3, ValidationAccuracy = 0.25 };

        Assert.That(LiveProgress.Describe("t", state), Is.EqualTo("t  epoch 3/3  val_acc 0.2500"));
    }

    [Test]
    public async Task TheDisplayRendersTheStateAndTheLogLinesOnTheConsole()
    {
        var (console, output) = Console();
        string description;
        await using (var live = LiveProgress.Start("my-run", console))
        {
            Assert.That(live.Console, Is.SameAs(console));
            live.State.Update(s => s with
            {
                Epochs = 4, Epoch = 2, Batch = 4, Batches = 10, CompletedEpochs = 1, SmoothedLoss = 0.25, LearningRate = 0.01, ValidationAccuracy = 0.5,
            });
            description = LiveProgress.Describe("my-run", live.State.Current);
            await live.LogWriter.WriteLineAsync("12:00:00 INF] a log line");
            await live.LogWriter.WriteAsync("no newline yet");
        }

        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.That(description, Is.EqualTo("my-run  epoch 2/4  loss 0.2500  lr 0.01  val_acc 0.5000"));
        // The run is 1.4 epochs of 4 along (one finished, 4 of the second's 10 batches); the epoch 4 batches of 10.
        Assert.That(lines, Does.Contain($"{description}: 35%"));
        Assert.That(lines, Does.Contain("batch 4/10: 40%"));
        Assert.That(lines, Does.Contain("12:00:00 INF] a log line"));
        Assert.That(lines, Does.Contain("no newline yet"), "a partial line is flushed when the display stops");
    }

    [Test]
    public async Task AFinishedRunShowsBothBarsFull()
    {
        // The live (ANSI) renderer: the plain-text one leaves finished tasks out.
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Yes, Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 160;
        await using (var live = LiveProgress.Start("done", console))
        {
            live.State.Update(s => s with { Epochs = 2, Epoch = 2, Batch = 3, Batches = 7, CompletedEpochs = 1, Finished = true });
        }

        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToList();
        Assert.That(lines.LastOrDefault(l => l.StartsWith("done", StringComparison.Ordinal)), Does.Match("^done  epoch 2/2 ━+ 100% "));
        Assert.That(lines.LastOrDefault(l => l.StartsWith("batch", StringComparison.Ordinal)), Does.Match("^batch 3/7 +━+ 100% "), "the epoch bar is full too");
    }
}
