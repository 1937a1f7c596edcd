using static TorchSharp.torch;

namespace Trainer.Tests;

public sealed class TorchInitialisationTests
{
    [Test]
    public void TheNativeLibraryLoadsAndComputes()
    {
        // On Debian 12 / Ubuntu 22.04 this only works when the build weakened libLibTorchSharp.so's GLIBCXX_3.4.32 need.
        using var x = ones(2, 3);
        using var sum = x.sum();
        Assert.That(sum.item<float>(), Is.EqualTo(6f));
    }

    [Test]
    public void NoUnpatchedFallbackCopyIsLeftInTheOutput()
    {
        // After a failed load TorchSharp copies unpatched native libraries into a cpu/ folder beside itself.
        Assert.That(Path.Combine(AppContext.BaseDirectory, "cpu", "libLibTorchSharp.so"), Does.Not.Exist);
    }
}
