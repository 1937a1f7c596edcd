// The README's callback example, compiled as printed (DocsSnippetTests compares the text).
// This project's global using of NUnit.Framework has a RangeAttribute too; a plugin project needs no alias.
using RangeAttribute = System.ComponentModel.DataAnnotations.RangeAttribute;
// begin-snippet: readme-callback
using System.ComponentModel.DataAnnotations;
using Trainer.Callbacks;

namespace MyCallbacks;

public sealed class StopAtAccuracyOptions
{
    [Range(0.0, 1.0)] public double Target { get; set; } = 0.99;
}

public sealed class StopAtAccuracyCallback(StopAtAccuracyOptions options) : TrainingCallback
{
    public override void OnValidationEnd(EpochContext context)
    {
        if (context.Metrics["val_accuracy"] >= options.Target)
            context.RequestStop("target-reached", $"val_accuracy reached {options.Target}");
    }
}
// end-snippet
