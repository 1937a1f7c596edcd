namespace Trainer.Training;

/// <summary>The recorded metrics of one finished epoch.</summary>
public sealed class EpochMetrics
{
    /// <summary>Creates the record.</summary>
    public EpochMetrics(int epoch, double seconds, double samplesPerSecond, IReadOnlyDictionary<string, double> values)
    {
        Epoch = epoch;
        Seconds = seconds;
        SamplesPerSecond = samplesPerSecond;
        Values = values;
    }

    /// <summary>The epoch, counted from 1.</summary>
    public int Epoch { get; }

    /// <summary>Wall-clock seconds of the epoch, training and validation.</summary>
    public double Seconds { get; }

    /// <summary>Training examples per second during the epoch's training phase.</summary>
    public double SamplesPerSecond { get; }

    /// <summary>Every metric of the epoch by name (see <see cref="MetricNames"/>).</summary>
    public IReadOnlyDictionary<string, double> Values { get; }

    /// <summary>The value of metric <paramref name="name"/>, or null when the epoch did not log it.</summary>
    public double? this[string name] => Values.TryGetValue(name, out var v) ? v : null;
}
