using Trainer.Cli.Tests.Support;
using Trainer.Training;

namespace Trainer.Cli.Tests;

/// <summary>
/// The commands that compute restart once in place with glibc's malloc settings for large tensors (glibc reads them only
/// at process start): same process id, arguments and streams; the user's own settings and <c>TRAINER_NATIVE_ALLOCATOR=default</c> win.
/// </summary>
public sealed class NativeAllocatorRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    /// <summary>
    /// The environment block (glibc splits GLIBC_TUNABLES there at its colons) and the arguments the agent's process image,
    /// after its restart, started with.
    /// </summary>
    private static (string Environment, IReadOnlyList<string> Arguments) Agent(IReadOnlyDictionary<string, string> environment)
    {
        using var folder = new TempFolder();
        using var agent = new TrainerProcess(folder.Path, environment, "agent", "--queue", $"sqlite:{folder.File("queue.db")}", "--agent-id", "probe a", "--poll", "0.2");
        agent.WaitForLine(l => l.Contains("Agent probe a takes runs from", StringComparison.Ordinal), Patience, "the agent to start (after its restart)");
        return (File.ReadAllText($"/proc/{agent.Id}/environ"), Trainer.Agent.Execution.NativeAllocatorRestart.ArgumentsOf(File.ReadAllBytes($"/proc/{agent.Id}/cmdline")));
    }

    [Test]
    public void TheAgentRunsWithTheTunedSettingsUnderItsOwnProcessId()
    {
        if (!NativeAllocator.IsGlibc)
        {
            Assert.That(NativeAllocator.TunablesFor(_ => null, NativeAllocator.IsGlibc), Is.Null, "only glibc is tuned");
            return;
        }

        var (environment, arguments) = Agent(new Dictionary<string, string>());

        Assert.That(arguments.TakeLast(7), Is.EqualTo(new[] { "agent", "--queue", arguments[^5], "--agent-id", "probe a", "--poll", "0.2" }), "the same arguments");
        Assert.That((":" + environment).Replace('\0', ':'), Does.Contain($":{NativeAllocator.TunablesVariable}={NativeAllocator.Tunables}:"));
    }

    [TestCase("TRAINER_NATIVE_ALLOCATOR", "default", null)]
    [TestCase("GLIBC_TUNABLES", "glibc.malloc.arena_max=2", "glibc.malloc.arena_max=2")]
    public void TheUsersChoiceIsLeftAsItIs(string variable, string value, string? expectedTunables)
    {
        var (environment, _) = Agent(new Dictionary<string, string> { [variable] = value });

        var tunables = environment.Split('\0').Where(v => v.StartsWith(NativeAllocator.TunablesVariable + "=", StringComparison.Ordinal)).ToList();
        Assert.That(tunables, Is.EqualTo(expectedTunables is null ? Array.Empty<string>() : [$"{NativeAllocator.TunablesVariable}={expectedTunables}"]));
    }

    [Test]
    public void AnUnknownChoiceStopsTheCommandWithOneLineAndExitCodeTwo()
    {
        using var folder = new TempFolder();
        using var trainer = new TrainerProcess(folder.Path, new Dictionary<string, string> { [NativeAllocator.EnvironmentVariable] = "fast" }, "run", Repository.Recipe("quickstart.json"));

        var (code, output, error) = trainer.WaitForExit(Patience);

        Assert.That(code, Is.EqualTo(2), output + error);
        Assert.That(error.Trim(), Does.StartWith("TRAINER_NATIVE_ALLOCATOR is 'fast'").And.Not.Contain("\n").And.Not.Contain("   at "));
        Assert.That(Directory.EnumerateFileSystemEntries(folder.Path), Is.Empty, "no run was started");
    }
}
