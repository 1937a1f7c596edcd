using System.IO.Compression;
using Trainer.Checkpoints;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Tests.Checkpoints;

public sealed class CheckpointFileTests
{
    private static TrainingCheckpoint Sample(long globalStep = 40, double? learningRate = null, int? bestEpoch = 1) => new()
    {
        CompletedEpochs = 1, GlobalStep = globalStep, Reason = "epoch", LearningRate = learningRate,
        History = [new EpochMetrics(1, 0.5, 100, new Dictionary<string, double> { ["train_loss"] = 0.25, ["val_loss"] = double.NaN })],
        BestEpoch = bestEpoch,
        Partial = new PartialEpoch([2, 0, 1], 1, 12.5, 1, 2, 0.25),
        CallbackStates = new Dictionary<string, string> { ["EarlyStopping[val_loss,min]"] = """{"best":0.5}""" },
        RecipeJson = """{"Name":"x"}""",
        Model = new byte[] { 1, 2, 3 }, Optimizer = new byte[] { 4, 5 }, TorchRandomState = new byte[] { 6 }, ShuffleState = new byte[] { 7, 8 },
    };

    [Test]
    public void RoundTripsEveryField()
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, "a.ckpt");

        CheckpointFile.Write(path, Sample());
        var read = CheckpointFile.Read(path);

        Assert.That((read.CompletedEpochs, read.GlobalStep, read.Reason, read.BestEpoch, read.RecipeJson), Is.EqualTo((1, 40L, "epoch", (int?)1, """{"Name":"x"}""")));
        Assert.That(read.History.Single().Values["train_loss"], Is.EqualTo(0.25));
        Assert.That(read.History.Single().Values["val_loss"], Is.NaN);
        Assert.That(read.Partial!.Order, Is.EqualTo(new long[] { 2, 0, 1 }));
        Assert.That((read.Partial.NextBatch, read.Partial.LossSum, read.Partial.Correct, read.Partial.Samples), Is.EqualTo((1, 12.5, 1L, 2L)));
        Assert.That(read.CallbackStates["EarlyStopping[val_loss,min]"], Is.EqualTo("""{"best":0.5}"""));
        Assert.That((read.Model.ToArray(), read.Optimizer.ToArray(), read.TorchRandomState.ToArray(), read.ShuffleState.ToArray()),
            Is.EqualTo((new byte[] { 1, 2, 3 }, new byte[] { 4, 5 }, new byte[] { 6 }, new byte[] { 7, 8 })));
        Assert.That(File.Exists(path + ".tmp"), Is.False);
    }

    [Test]
    public void AnEntryThatWouldInflatePastTheFileIsRefusedBeforeItIsRead()
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, "bomb.ckpt");
        CheckpointFile.Write(path, Sample());
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("model.bin")!.Delete();
            using var model = zip.CreateEntry("model.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++) model.Write(zeros); // 64 MiB of zeros, a few hundred KB compressed
        }
        Assert.That(new FileInfo(path).Length, Is.LessThan(1 << 20));

        var error = Assert.Throws<RecipeException>(() => CheckpointFile.Read(path));

        Assert.That(error!.Message, Is.EqualTo($"Checkpoint '{path}' is damaged (model.bin would inflate to 67108864 bytes, more than the file holds); it cannot be used."));
    }

    [TestCase("learningRate", -1.0, "its learning rate -1 is not a number above 0")]
    [TestCase("globalStep", -5.0, "its position (epochs 1, step -5) is negative")]
    [TestCase("bestEpoch", 7.0, "its best epoch 7 is not one of its 1 epochs")]
    public void AManifestWithValuesNoRunWritesIsRefusedThoughItsChecksumsMatch(string field, double value, string problem)
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, "odd.ckpt");
        var sample = field switch
        {
            "learningRate" => Sample(learningRate: value),
            "globalStep" => Sample(globalStep: (long)value),
            _ => Sample(bestEpoch: (int)value),
        };
        CheckpointFile.Write(path, sample);

        var error = Assert.Throws<RecipeException>(() => CheckpointFile.Read(path));

        Assert.That(error!.Message, Is.EqualTo($"Checkpoint '{path}' is damaged ({problem}); it cannot be used."));
    }

    [Test]
    public void ATruncatedFileIsRefusedNamingIt()
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, "a.ckpt");
        CheckpointFile.Write(path, Sample());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<RecipeException>(() => CheckpointFile.Read(path));

        Assert.That(error!.Message, Does.StartWith($"Checkpoint '{path}' is damaged (").And.EndWith("); it cannot be used."));
    }

    [Test]
    public void AnAlteredEntryFailsItsChecksum()
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, "a.ckpt");
        CheckpointFile.Write(path, Sample());
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("model.bin")!.Delete();
            using var stream = zip.CreateEntry("model.bin").Open();
            stream.Write([1, 2, 4]);
        }

        var error = Assert.Throws<RecipeException>(() => CheckpointFile.Read(path));

        Assert.That(error!.Message, Is.EqualTo($"Checkpoint '{path}' is damaged (model.bin does not match its checksum); it cannot be used."));
    }

    [Test]
    public void TheLatestValidCheckpointIsFoundAndDamagedOnesAreSkipped()
    {
        using var dir = new TempFolder();
        var latest = Path.Combine(dir.Path, "epoch-0001-step-00000020.ckpt"); // named lower, but holds the most training
        CheckpointFile.Write(latest, Sample(globalStep: 60));
        CheckpointFile.Write(Path.Combine(dir.Path, "epoch-0002-step-00000040.ckpt"), Sample());
        CheckpointFile.Write(Path.Combine(dir.Path, "best.ckpt"), Sample(globalStep: 60));
        File.WriteAllBytes(Path.Combine(dir.Path, "epoch-0003-step-00000060.ckpt"), [0x50, 0x4b, 3, 4]);
        var skipped = new List<string>();

        var found = CheckpointStore.FindLatest(dir.Path, skipped);

        Assert.That(found!.Value.Path, Is.EqualTo(latest));
        Assert.That(skipped.Single(), Does.StartWith($"Checkpoint '{Path.Combine(dir.Path, "epoch-0003-step-00000060.ckpt")}' is damaged"));
    }
}
