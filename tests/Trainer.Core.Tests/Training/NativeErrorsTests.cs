using System.Runtime.InteropServices;
using Trainer.Training;

namespace Trainer.Tests.Training;

public sealed class NativeErrorsTests
{
    private const string Frames = "\nframe #0: c10::ThrowEnforceNotMet(char const*, int) + 0x68 (0x7fd1 in libc10.so)\nframe #1: c10::alloc_cpu(unsigned long) + 0x358\n";

    [Test]
    public void AnAllocationFailureBecomesOneLineWithTheSizeAndAHint()
    {
        var error = new ExternalException("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to " +
                                          "allocate 3221225472 bytes. Error code 12 (Cannot allocate memory)" + Frames);

        Assert.That(NativeErrors.IsOutOfMemory(error), Is.True);
        Assert.That(NativeErrors.Message(error), Is.EqualTo(
            "libtorch could not allocate memory (3 GiB in one tensor): DefaultCPUAllocator: can't allocate memory: you tried to allocate 3221225472 bytes. " +
            "Error code 12 (Cannot allocate memory); the model or a batch is too large for the memory here: lower Model:Hidden, Model:Channels or " +
            "Training:BatchSize (or Data:TrainLimit), or train where there is more memory."));
    }

    [Test]
    public void OtherNativeErrorsKeepTheirFirstLineOnly()
    {
        var error = new ExternalException("mat1 and mat2 shapes cannot be multiplied (3x7 and 10x5)" + Frames);

        Assert.That(NativeErrors.IsOutOfMemory(error), Is.False);
        Assert.That(NativeErrors.Message(error), Is.EqualTo("libtorch: mat1 and mat2 shapes cannot be multiplied (3x7 and 10x5)"));
    }

    [Test]
    public void ManagedErrorsKeepTheirMessageAndTheRuntimesOutOfMemoryGetsTheHint()
    {
        Assert.That(NativeErrors.Message(new InvalidOperationException("plain")), Is.EqualTo("plain"));
        Assert.That(NativeErrors.IsOutOfMemory(new OutOfMemoryException()), Is.True);
        Assert.That(NativeErrors.Message(new OutOfMemoryException()), Does.StartWith("The process ran out of memory; the model or a batch is too large"));
    }
}
