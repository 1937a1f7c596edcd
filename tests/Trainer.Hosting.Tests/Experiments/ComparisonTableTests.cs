using Trainer.Hosting.Experiments;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Experiments;

public sealed class ComparisonTableTests
{
    [Test]
    public void TheComparisonTableTextAlignsItsColumns()
    {
        var record = new ExperimentRecord
        {
            Name = "t", Recipe = "t.json", Objective = "val_loss",
            Variants =
            [
                new ExperimentVariantRecord
                {
                    Name = "long-name", Overrides = new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(), Directory = "variants/long-name",
                    Status = "completed", Epochs = 3, BestObjective = 0.123456, BestObjectiveEpoch = 2, DurationSeconds = 1.26,
                    Metrics = new Dictionary<string, double> { ["train_accuracy"] = 0.9, ["val_accuracy"] = 0.75, ["val_loss"] = 0.5 },
                },
                new ExperimentVariantRecord
                {
                    Name = "x,\"y\"", Overrides = new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(), Directory = "variants/x__y_",
                    Status = "failed", Error = "boom",
                },
            ],
        };

        var (header, rows) = ComparisonTable.Cells(record);

        Assert.That(header, Is.EqualTo(new[]
        {
            "variant", "status", "epochs", "best_val_loss", "best_epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy", "test_accuracy", "gap", "seconds",
        }));
        Assert.That(rows[0], Is.EqualTo(new[] { "long-name", "completed", "3", "0.1235", "2", "", "0.5", "0.9", "0.75", "", "0.15", "1.3" }));
        Assert.That(rows[1], Is.EqualTo(new[] { "x,\"y\"", "failed", "0", "", "", "", "", "", "", "", "", "0.0" }));
        var text = ComparisonTable.Text(record).Split(Environment.NewLine);
        Assert.That(text, Has.Length.EqualTo(4));
        Assert.That(text[1], Does.StartWith("long-name  completed"));
        Assert.That(text[2], Does.StartWith("x,\"y\"" + new string(' ', 9) + "failed"), "names padded right, cells padded left");
        Assert.That(text[3], Is.EqualTo("x,\"y\": boom"));

        using var folder = TempFolder.AsWorkingDirectory();
        ComparisonTable.WriteCsv(folder.File("c.csv"), record);
        Assert.That(File.ReadAllLines(folder.File("c.csv"))[2], Is.EqualTo("\"x,\"\"y\"\"\",failed,0,,,,,,,,,0.0"), "a name with a comma or quote is quoted");
    }
}
