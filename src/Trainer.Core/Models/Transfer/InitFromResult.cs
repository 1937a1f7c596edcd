namespace Trainer.Models.Transfer;

/// <summary>What <c>Model:InitFrom</c> did to a model: which of its tensors came from the file and which kept their initialisation.</summary>
public sealed class InitFromResult
{
    /// <summary>The file the tensors were read from (a package's <c>weights.dat</c>, a checkpoint, a <c>.pt</c> file, …).</summary>
    public required string File { get; init; }

    /// <summary>The file's format in words, e.g. "a model package" or "a PyTorch state_dict".</summary>
    public required string Format { get; init; }

    /// <summary>The model's tensors (state-dictionary names) copied from the file, in the model's order.</summary>
    public required IReadOnlyList<string> Loaded { get; init; }

    /// <summary>The model's tensors left at their seeded initialisation because <c>Model:InitFromSkip</c> names them.</summary>
    public required IReadOnlyList<string> Skipped { get; init; }

    /// <summary>The model's tensors left at their seeded initialisation because the file does not have them.</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    /// <summary>The file's tensors the model does not have (or that <c>Model:InitFromSkip</c> names), not used.</summary>
    public required IReadOnlyList<string> Unused { get; init; }

    /// <summary>The number of tensors in the model's state dictionary (parameters and buffers).</summary>
    public int Total => Loaded.Count + Skipped.Count + Missing.Count;

    /// <summary>One line for the run's log, e.g. "6 of 8 tensors loaded from runs/a/model/weights.dat (a model package); kept their initialisation: layers.out.weight, layers.out.bias".</summary>
    public string Summary
    {
        get
        {
            var kept = Skipped.Concat(Missing).ToList();
            var line = $"{Loaded.Count} of {Total} tensors loaded from {File} ({Format})";
            if (kept.Count > 0) line += $"; kept their initialisation: {TensorNamePattern.Brief(kept)}";
            if (Unused.Count > 0) line += $"; not used from the file: {TensorNamePattern.Brief(Unused)}";
            return line;
        }
    }
}
