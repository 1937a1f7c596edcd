namespace Trainer.Bench;

/// <summary>The models the benchmark trains: the MLP 784-256-256-10 with batch norm, the small CNN, and a 784-10 linear model.</summary>
public enum BenchModel
{
    /// <summary>MLP 784-256-256-10 with batch norm.</summary>
    Mlp,

    /// <summary>Two 3x3 conv blocks (32, 64) with batch norm, 128 hidden.</summary>
    Cnn,

    /// <summary>784-10 linear: where per-step overhead shows.</summary>
    Linear,
}
