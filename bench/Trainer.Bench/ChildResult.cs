namespace Trainer.Bench;

/// <summary>What one child process measured, printed as one JSON line.</summary>
/// <param name="Variant">"trainer" or "raw".</param>
/// <param name="SamplesPerSecond">Training samples per second over all epochs (training phase only).</param>
/// <param name="StepsPerSecond">Optimizer steps per second over the same time.</param>
/// <param name="PeakRssMegabytes">The process's peak resident memory.</param>
/// <param name="RssMegabytesByEpoch">Resident memory after each epoch.</param>
public sealed record ChildResult(string Variant, double SamplesPerSecond, double StepsPerSecond, double PeakRssMegabytes, double[] RssMegabytesByEpoch);
