using Trainer.Training;

namespace Trainer.Tests.Training;

public sealed class LibTorchContextTests
{
    [Test]
    public void CudnnBenchmarkModeIsSetAndReadBackThroughLibtorchsGlobalContext()
    {
        Assert.That(LibTorchContext.IsAvailable, Is.True, "libtorch 2.10 on Linux x64 exports at::globalContext()");
        var before = LibTorchContext.CudnnBenchmark;
        try
        {
            LibTorchContext.CudnnBenchmark = true;
            Assert.That(LibTorchContext.CudnnBenchmark, Is.True);
            LibTorchContext.CudnnBenchmark = false;
            Assert.That(LibTorchContext.CudnnBenchmark, Is.False);
        }
        finally
        {
            LibTorchContext.CudnnBenchmark = before;
        }
    }
}
