using Trainer.Agent.Platform;

namespace Trainer.Agent.Tests.Platform;

[TestFixture]
public sealed class JournaldConsoleTests
{
    [Test]
    public void TheJournalStreamOnStdoutOrStderrIsTheJournal()
    {
        Assert.That(JournaldConsole.Detect("8:123456", null, "socket:[123456]", "socket:[123456]"), Is.True);
        Assert.That(JournaldConsole.Detect("8:123456", "abc", "/dev/null", "socket:[123456]"), Is.True);
    }

    [Test]
    public void AJournalStreamInheritedByATerminalIsNotTheJournal()
    {
        Assert.That(JournaldConsole.Detect("8:123456", "abc", "/dev/pts/3", "/dev/pts/3"), Is.False);
        Assert.That(JournaldConsole.Detect("8:123456", null, "socket:[999]", "pipe:[123456]"), Is.False);
    }

    [Test]
    public void AJournalStreamIsTrustedWhenTheStreamsCannotBeSeen() =>
        Assert.That(JournaldConsole.Detect("8:123456", null, null, null), Is.True);

    [Test]
    public void AMalformedJournalStreamIsNotTheJournal() =>
        Assert.That(JournaldConsole.Detect("not-a-stream", "abc", "socket:[1]", null), Is.False);

    [Test]
    public void AnInvocationIdAloneMeansSystemdStartedTheProcess()
    {
        Assert.That(JournaldConsole.Detect(null, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "/dev/pts/1", "/dev/pts/1"), Is.True);
        Assert.That(JournaldConsole.Detect(null, null, "socket:[1]", "socket:[1]"), Is.False);
        Assert.That(JournaldConsole.Detect("", "", null, null), Is.False);
    }

    [Test]
    public void TheFormatterIsJournaldsOnlyUnderSystemd()
    {
        var underSystemd = JournaldConsole.IsActive();

        Assert.That(JournaldConsole.Formatter(), underSystemd ? Is.InstanceOf<JournaldTextFormatter>() : Is.Null);
        if (Environment.GetEnvironmentVariable(JournaldConsole.JournalStreamVariable) is null
            && Environment.GetEnvironmentVariable(JournaldConsole.InvocationIdVariable) is null)
            Assert.That(underSystemd, Is.False);
    }
}
