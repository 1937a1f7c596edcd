using Trainer.Cli.Tests.Support;
using Trainer.Hosting;

namespace Trainer.Cli.Tests;

/// <summary>A mistake in a command's own options is one plain sentence naming the option, exit code 2, nothing run.</summary>
public sealed class CommandLineMistakeTests
{
    private static async Task<(int Code, string Error)> Invoke(params string[] args)
    {
        var error = new StringWriter();
        var code = await TrainerCommandLine.InvokeAsync(args, new StringWriter(), error);
        return (code, error.ToString());
    }

    [TestCase("--workers", "abc", "error: --workers 'abc' is not a whole number.")]
    [TestCase("--trials", "1.5", "error: --trials '1.5' is not a whole number.")]
    public async Task AValueOfTheWrongTypeIsNamedWithoutDotNetTypeNames(string option, string value, string expected)
    {
        var (code, error) = await Invoke("search", Repository.Recipe("digits-search.json"), option, value);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error.Split(Environment.NewLine)[0], Is.EqualTo(expected));
        Assert.That(error, Does.Not.Contain("System."));
    }

    [Test]
    public async Task TokenPrintsANewRandomTokenThatTheServersAccept()
    {
        var first = new StringWriter();
        var second = new StringWriter();

        Assert.That(await TrainerCommandLine.InvokeAsync(["token"], first, new StringWriter()), Is.EqualTo(ExitCodes.Completed));
        await TrainerCommandLine.InvokeAsync(["token"], second, new StringWriter());

        var token = first.ToString().Trim();
        Assert.That(token, Does.Match("^[A-Za-z0-9_-]{43}$"), "256 bits, base64url");
        Assert.That(token, Is.Not.EqualTo(second.ToString().Trim()));
        Assert.That(Trainer.Serving.Security.TokenRules.Problem(token, "Serve:Token"), Is.Null);
    }

    [TestCase("--max-entries", "0", "error: --max-entries must be between 1 and 100000000 (got 0).")]
    [TestCase("--batch-size", "-4", "error: --batch-size must be between 2 and 1000000 (got -4).")]
    public async Task AGradientCheckFlagOutOfRangeNamesTheFlag(string flag, string value, string expected)
    {
        var (code, error) = await Invoke("gradcheck", flag, value);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error.Trim(), Is.EqualTo(expected));
    }
}
