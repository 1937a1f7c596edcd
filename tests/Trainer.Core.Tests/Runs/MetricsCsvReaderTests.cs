using Trainer.Runs;
using Trainer.Tests.Support;
using Trainer.Training;

namespace Trainer.Tests.Runs;

public sealed class MetricsCsvReaderTests
{
    private static EpochMetrics Epoch(int epoch, double seconds, params (string Name, double Value)[] values) =>
        new(epoch, seconds, 123.0, values.ToDictionary(v => v.Name, v => v.Value));

    [Test]
    public void WhatTheWriterWroteReadsBackExactly()
    {
        using var folder = new TempFolder();
        var path = folder.File("metrics.csv");
        EpochMetrics[] written =
        [
            Epoch(1, 1.25, (MetricNames.LearningRate, 0.1), (MetricNames.TrainLoss, 2.302585092994046), (MetricNames.TrainAccuracy, 1.0 / 3),
                (MetricNames.ValLoss, 1.9), (MetricNames.ValAccuracy, 0.4), ("layer01_act_std", 0.61400722708558264), ("ewma_train_loss", 2.1)),
            Epoch(2, 2.5, (MetricNames.LearningRate, 0.05), (MetricNames.TrainLoss, double.NaN), (MetricNames.TrainAccuracy, 0.1),
                (MetricNames.ValLoss, double.PositiveInfinity), (MetricNames.ValAccuracy, 0.1), ("layer01_act_std", 1e-300), ("ewma_train_loss", double.NegativeInfinity)),
            // An epoch without the extra metrics and without validation: empty cells.
            Epoch(3, 0.001, (MetricNames.LearningRate, 0.025), (MetricNames.TrainLoss, 0.5), (MetricNames.TrainAccuracy, 0.875)),
        ];
        using (var writer = new MetricsCsvWriter(path))
            foreach (var epoch in written) writer.Write(epoch);

        var read = MetricsCsvReader.Read(path);

        Assert.That(File.ReadAllLines(path)[0], Is.EqualTo("epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,layer01_act_std,ewma_train_loss,seconds,samples_per_second"));
        Assert.That(read, Has.Count.EqualTo(3));
        for (var i = 0; i < written.Length; i++)
        {
            Assert.That(read[i].Epoch, Is.EqualTo(written[i].Epoch));
            Assert.That(read[i].Seconds, Is.EqualTo(written[i].Seconds), $"epoch {i + 1} seconds");
            Assert.That(read[i].Values.Keys, Is.EquivalentTo(written[i].Values.Keys), $"epoch {i + 1}: empty cells are left out");
            foreach (var (name, value) in written[i].Values)
                Assert.That(read[i][name], Is.EqualTo(value), $"epoch {i + 1} {name}: bit for bit, NaN and infinities included");
        }
        Assert.That(double.IsNaN(read[1][MetricNames.TrainLoss]!.Value), Is.True);
        Assert.That(read.Select(e => e.SamplesPerSecond), Is.All.EqualTo(123.0), "throughput is in the file (samples_per_second)");
    }

    [Test]
    public void AMissingOrEmptyFileHasNoEpochs()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("empty.csv"), "");

        Assert.That(MetricsCsvReader.Read(folder.File("missing.csv")), Is.Empty);
        Assert.That(MetricsCsvReader.Read(folder.File("empty.csv")), Is.Empty);
    }

    [Test]
    public void BlankLinesShortRowsAndColumnsInAnyOrderAreRead()
    {
        using var folder = new TempFolder();
        var path = folder.File("metrics.csv");
        File.WriteAllText(path, "val_loss,seconds,epoch,custom\n0.5,3,1,7\n\n0.25,4,2\n");

        var read = MetricsCsvReader.Read(path);

        Assert.That(read.Select(e => (e.Epoch, e.Seconds)), Is.EqualTo(new[] { (1, 3.0), (2, 4.0) }));
        Assert.That(read[0].Values, Is.EquivalentTo(new Dictionary<string, double> { ["val_loss"] = 0.5, ["custom"] = 7 }));
        Assert.That(read[1].Values, Is.EquivalentTo(new Dictionary<string, double> { ["val_loss"] = 0.25 }), "a short row lacks the last columns");
    }

    [Test]
    public void ACellThatIsNotANumberIsAnErrorNamingTheLineAndColumn()
    {
        using var folder = new TempFolder();
        var path = folder.File("metrics.csv");
        File.WriteAllText(path, "epoch,lr,val_loss,seconds\n1,0.1,0.5,1.0\n2,0.1,abc,1.0\n");

        var error = Assert.Throws<InvalidDataException>(() => MetricsCsvReader.Read(path))!;

        Assert.That(error.Message, Is.EqualTo($"'{path}' line 3: 'abc' in column 'val_loss' is not a number."));
    }

    [Test]
    public void TheLineNumberCountsBlankLinesAndTheHeader()
    {
        using var folder = new TempFolder();
        var path = folder.File("metrics.csv");
        File.WriteAllText(path, "epoch,val_loss,seconds\n1,0.5,1\n\nsecond,0.4,1\n");

        var error = Assert.Throws<InvalidDataException>(() => MetricsCsvReader.Read(path))!;

        Assert.That(error.Message, Is.EqualTo($"'{path}' line 4: 'second' in column 'epoch' is not a number."));
    }

    [Test]
    public void AHeaderWithoutAnEpochColumnIsAnError()
    {
        using var folder = new TempFolder();
        var path = folder.File("metrics.csv");
        File.WriteAllText(path, "lr,val_loss\n0.1,0.5\n");

        var error = Assert.Throws<InvalidDataException>(() => MetricsCsvReader.Read(path))!;

        Assert.That(error.Message, Is.EqualTo($"'{path}' has no 'epoch' column in its header."));
    }
}
