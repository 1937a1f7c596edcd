using Trainer.Cli.Tests.Support;
using Trainer.Hosting;

namespace Trainer.Cli.Tests;

public sealed class GradientCheckCommandTests
{
    [Test]
    public void PrintsATableOfParameterTensorsAndExitsZeroWhenBackpropIsRight()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "gradcheck", Repository.Recipe("digits-early-stopping.json"), "--max-entries", "5");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var lines = output.Split('\n');
        Assert.That(lines[0], Does.Match(@"^parameter\s+shape\s+checked\s+rel\. error\s+verdict"));
        Assert.That(lines[1], Does.Match(@"^layers\.fc1\.weight\s+\[128x64\]\s+5/8192\s+\d\.\d\dE-\d\d\s+ok"));
        Assert.That(output, Does.Contain("The model has dropout; the check ran with dropout off."));
        Assert.That(output, Does.Match(@"gradient check ok: relative error \d\.\d+E-0[89] over 40 entries"));
        Assert.That(Directory.Exists(folder.File("runs")), Is.False, "a check is not a run");
    }

    [Test]
    public void ExitsOneWhenTheVerdictIsFail()
    {
        using var folder = new TempFolder();

        // Thresholds of 0 from the recipe's GradientCheck options make rounding noise a failure.
        var (code, output, _) = TrainerProcess.Run(folder.Path, "gradcheck", Repository.Recipe("quickstart.json"),
            "--Callbacks:0:Type=GradientCheck", "--Callbacks:0:Options:OkBelow=0", "--Callbacks:0:Options:WarnBelow=0", "--Callbacks:0:Options:FailAbove=0");

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Does.Contain("gradient check fail:").And.Contain("worst parameter layers."));
    }

    [Test]
    public void AnInvalidOptionExitsTwo()
    {
        using var folder = new TempFolder();

        var (code, _, error) = TrainerProcess.Run(folder.Path, "gradcheck", Repository.Recipe("quickstart.json"), "--epsilon", "0.5");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error, Is.EqualTo("error: --epsilon must be between 1E-12 and 0.01 (got 0.5)." + Environment.NewLine));
    }
}
