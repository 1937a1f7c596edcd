namespace Trainer.Inference;

/// <summary>The versions a model package was written with.</summary>
public sealed record ModelVersions
{
    /// <summary>Trainer's version.</summary>
    public string Trainer { get; init; } = "";

    /// <summary>TorchSharp's version.</summary>
    public string TorchSharp { get; init; } = "";

    /// <summary>libtorch's version.</summary>
    public string LibTorch { get; init; } = "";
}
