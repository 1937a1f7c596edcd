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

    /// <summary>Fail the run, naming the step, when the training loss becomes NaN or infinite (tracked on the device). Default: true.</summary>
    public bool TerminateOnNonFinite { get; set; } = true;

    /// <summary>Steps between host checks of that device flag; 0 checks only at epoch end. Default: 100.</summary>
    public int NonFiniteCheckEvery { get; set; } = 100;
}
