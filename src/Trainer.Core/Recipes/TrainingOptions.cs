namespace Trainer.Recipes;

/// <summary>Recipe section <c>Training</c>: how long, in what batches, where, and from which seed.</summary>
public sealed class TrainingOptions
{
    /// <summary>Number of passes over the training split, at least 1. Default: 30.</summary>
    public int Epochs { get; set; } = 30;

    /// <summary>Mini-batch size, at least 1. Default: 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary><c>auto</c> (CUDA when available), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>. Default: "auto".</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Seed of every random choice (split, initialisation, shuffling, dropout). Default: 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>CPU threads for TorchSharp; 0 keeps libtorch's default (the core count). Default: 0.</summary>
    public int Threads { get; set; }

    /// <summary>
    /// The memory this run may use, in MB; 0: no check. A run whose estimate — the data set held in memory plus the model's
    /// weights, gradients and optimizer state — exceeds it is refused before its first step, with both numbers. The agent
    /// sets it to each slot's share of the memory it is allowed. Default: 0.
    /// </summary>
    public long MemoryLimitMB { get; set; }

    /// <summary>
    /// CUDA only: cuDNN benchmark mode, which picks the fastest convolution algorithm for each input shape on first use
    /// (the batches have fixed shapes, so this usually speeds up convolutional models). Ignored on the CPU. Default: false.
    /// </summary>
    public bool CudnnBenchmark { get; set; }

    /// <summary>
    /// CUDA only: let matrix products and cuDNN convolutions use TF32 tensor cores (Ampere and later; about 10 bits of
    /// mantissa in the products, float32 storage). TorchSharp 0.107 has no autocast, so this is the mixed precision on
    /// offer. Ignored on the CPU. Default: false.
    /// </summary>
    public bool AllowTf32 { get; set; }

    /// <summary>
    /// CPU only: whether libtorch may run convolutions (and other operations) through oneDNN (MKL-DNN): <c>on</c>,
    /// <c>off</c> (libtorch's own kernels, 1.5–3 times slower for convolutions), or <c>auto</c>: off when a convolution
    /// (past the first) has fewer than 16 input or output channels, on otherwise. oneDNN's convolution backward pass in
    /// libtorch 2.10 returned garbage input gradients for narrow convolutions on an AMD EPYC processor (NaN in up to 40% of
    /// passes with 4 or 8 channels, sometimes wrong finite values); none was seen from 16 channels up. Where the setting
    /// cannot be changed (Windows), auto keeps libtorch's default. Default: "auto".
    /// </summary>
    public string Mkldnn { get; set; } = "auto";

    /// <summary>Fail the run, naming the step, when the training loss becomes NaN or infinite (tracked on the device). Default: true.</summary>
    public bool TerminateOnNonFinite { get; set; } = true;

    /// <summary>Steps between host checks of that device flag; 0 checks only at epoch end. Default: 100.</summary>
    public int NonFiniteCheckEvery { get; set; } = 100;
}
