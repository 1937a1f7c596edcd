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
    /// <c>off</c> (libtorch's own kernels), or <c>auto</c>, which is off where the setting can be changed (Linux x64) and
    /// libtorch's default elsewhere. Off by default because oneDNN's convolution backward pass in libtorch 2.10 was seen to
    /// return garbage input gradients (NaN in about 1 of 1,500 backward passes for 8x8 images; bigger images were not
    /// seen to fail) on an AMD EPYC processor; <c>on</c> is up to ~10% faster for large convolutions. Default: "auto".
    /// </summary>
    public string Mkldnn { get; set; } = "auto";

    /// <summary>Fail the run, naming the step, when the training loss becomes NaN or infinite (tracked on the device). Default: true.</summary>
    public bool TerminateOnNonFinite { get; set; } = true;

    /// <summary>Steps between host checks of that device flag; 0 checks only at epoch end. Default: 100.</summary>
    public int NonFiniteCheckEvery { get; set; } = 100;
}
