using System.Text;
using Trainer.Agent.Execution;

namespace Trainer.Agent.Tests.Execution;

/// <summary>The restart passes the program exactly the arguments it was started with, read from /proc/self/cmdline.</summary>
public sealed class NativeAllocatorRestartTests
{
    [Test]
    public void EveryArgumentComesBackAsGivenEmptyOnesAndSpacesIncluded()
    {
        var block = Encoding.UTF8.GetBytes("dotnet\0trainer.dll\0run\0my recipe.json\0--Serve:Token\0\0--Name=é\0");

        var arguments = NativeAllocatorRestart.ArgumentsOf(block);

        Assert.That(arguments, Is.EqualTo(new[] { "dotnet", "trainer.dll", "run", "my recipe.json", "--Serve:Token", "", "--Name=é" }));
    }

    [Test]
    public void BytesThatAreNotUtf8AreRefusedRatherThanPassedOnChanged()
    {
        byte[] block = [(byte)'t', 0, 0xFF, 0xFE, 0];

        Assert.Throws<DecoderFallbackException>(() => NativeAllocatorRestart.ArgumentsOf(block));
        Assert.That(NativeAllocatorRestart.ArgumentsOf([]), Is.Empty);
    }
}
