using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Plugins.TensorBoard;
using Trainer.Plugins.Tests.Support;

namespace Trainer.Plugins.Tests.TensorBoard;

public sealed class TensorBoardCallbackTests
{
    /// <summary>Reads the TFRecord framing of an event file: [uint64 length][uint32 crc][data][uint32 crc] per record.</summary>
    private static List<byte[]> Records(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        for (var offset = 0; offset < bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset));
            records.Add(bytes[(offset + 12)..(offset + 12 + length)]);
            offset += 12 + length + 4;
        }
        return records;
    }

    private static int Count(List<byte[]> records, string tag) => records.Count(r => Encoding.UTF8.GetString(r).Contains(tag, StringComparison.Ordinal));

    [Test]
    public void EveryEpochMetricBecomesAScalarAndHistogramsFollowTheirInterval()
    {
        using var dir = new TempFolder();
        var callback = new TensorBoardCallback(new TensorBoardOptions { HistogramEvery = 2 });

        TestTraining.TrainIn(dir.Path, TestTraining.Digits(4, seed: 3), null, NullLogger.Instance, CancellationToken.None, null, callback);

        var file = Directory.GetFiles(Path.Combine(dir.Path, "tensorboard"), "events.out.tfevents.*").Single();
        var records = Records(file);
        Assert.That(Count(records, "train_loss"), Is.EqualTo(4), "one scalar per epoch");
        Assert.That(Count(records, "val_accuracy"), Is.EqualTo(4));
        Assert.That(Count(records, "layers.fc1.weight"), Is.EqualTo(2), "histograms after epochs 2 and 4");
    }
}
