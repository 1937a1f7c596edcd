namespace Trainer.Inference;

/// <summary>A package's weights file in TorchSharp's format.</summary>
public sealed record ModelWeights
{
    /// <summary>The file name inside the package.</summary>
    public string File { get; init; } = "";

    /// <summary>The file's SHA-256, lower-case hex: loading refuses a file that does not match.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The file's size in bytes.</summary>
    public long Bytes { get; init; }

    /// <summary>The epoch whose weights these are; null when unknown.</summary>
    public int? Epoch { get; init; }

    /// <summary>Which weights these are, e.g. "best epoch 7 (restored)" or "last epoch 10".</summary>
    public string Description { get; init; } = "";
}
