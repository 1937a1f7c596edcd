using System.Diagnostics.Metrics;
using Trainer.Training;

namespace Trainer.Serving.Live;

/// <summary>
/// The <c>Trainer</c> meter (<c>dotnet-counters monitor --counters Trainer</c>, and /metrics): observable instruments
/// that read values the run already has (the loop's published position, the last epoch's metrics), only when collected.
/// </summary>
internal sealed class TrainerMeter : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string Name = "Trainer";

    private readonly Meter meter = new(Name, typeof(TrainerMeter).Assembly.GetName().Version?.ToString());

    public TrainerMeter(LiveRun live)
    {
        var run = new KeyValuePair<string, object?>("run", live.RunId);
        meter.CreateObservableGauge("trainer.epoch", () => new Measurement<int>(live.Control.Progress.Epoch, run), "{epoch}", "The current epoch.");
        meter.CreateObservableCounter("trainer.step", () => new Measurement<long>(live.Control.Progress.Step, run), "{step}", "Optimizer steps taken.");
        meter.CreateObservableGauge("trainer.loss", () => Split(live, MetricNames.TrainLoss, MetricNames.ValLoss, run), null,
            "Mean cross-entropy of the last finished epoch (split: train, validation).");
        meter.CreateObservableGauge("trainer.accuracy", () => Split(live, MetricNames.TrainAccuracy, MetricNames.ValAccuracy, run), null,
            "Accuracy of the last finished epoch (split: train, validation).");
        meter.CreateObservableGauge("trainer.learning_rate", () => Optional(live.LearningRate, run), null, "The learning rate.");
        meter.CreateObservableGauge("trainer.samples_per_second", () => Optional(live.Status().SamplesPerSecond, run), "{sample}/s",
            "Training examples per second in the last finished epoch.");
        meter.CreateObservableGauge("trainer.paused", () => new Measurement<int>(live.Control.Progress.Paused ? 1 : 0, run), null,
            "1 while the run is paused.");
    }

    public void Dispose() => meter.Dispose();

    private static IEnumerable<Measurement<double>> Split(LiveRun live, string train, string validation, KeyValuePair<string, object?> run)
    {
        if (live.Last(train) is { } t) yield return new Measurement<double>(t, run, new("split", "train"));
        if (live.Last(validation) is { } v) yield return new Measurement<double>(v, run, new("split", "validation"));
    }

    private static IEnumerable<Measurement<double>> Optional(double? value, KeyValuePair<string, object?> run)
    {
        if (value is { } v) yield return new Measurement<double>(v, run);
    }
}
