namespace Trainer.Inference;

/// <summary>A package's weights as a PyTorch state dict, for Python users.</summary>
public sealed record PyTorchExport
{
    /// <summary>The state dict's file name inside the package (<c>torch.load</c> reads it).</summary>
    public string File { get; init; } = "";

    /// <summary>The file's SHA-256, lower-case hex.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The Python module that builds the equivalent <c>nn.Module</c> (built-in kinds); null for plugin models.</summary>
    public string? Module { get; init; }
}
