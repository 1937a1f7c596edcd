using System.Text.Json;
using Trainer.Runs;
using Trainer.Tasks;

namespace Trainer.Tests.Runs;

public sealed class EvaluationFileTests
{
    private static EvaluationResult Classifier() => new()
    {
        Model = "runs/fashion/model",
        Data = "fashion-mnist test split",
        Examples = 5,
        Loss = 0.4321,
        Metrics = new Dictionary<string, double> { ["accuracy"] = 0.6 },
        Classification = EvaluationClassification.From(ClassificationReport.Create([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], ["a", "b", "c"])),
        CreatedAt = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero),
    };

    [Test]
    public void WritesCamelCaseJsonWithTheConfusionMatrixAsArraysOfArrays()
    {
        using var folder = new TempFolder();
        var evaluation = EvaluationFiles.DefaultFolder(folder.File("run"));

        var path = EvaluationFile.Write(evaluation, Classifier());

        Assert.That(path, Is.EqualTo(Path.Combine(folder.File("run"), "evaluation", "evaluation.json")));
        Assert.That(File.Exists(path + ".tmp"), Is.False);
        var json = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        Assert.That(json.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "model", "data", "examples", "loss", "metrics", "classification", "createdAt" }));
        var classification = json.GetProperty("classification");
        Assert.That(classification.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()),
            Is.EqualTo(new[] { new long[] { 1, 1, 0 }, [1, 2, 0], [0, 0, 0] }));
        Assert.That(classification.GetProperty("classNames").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { "a", "b", "c" }));
        var b = classification.GetProperty("classes")[1];
        Assert.That(b.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "name", "precision", "recall", "f1", "support" }));
        Assert.That(classification.GetProperty("macroAverage").GetProperty("name").GetString(), Is.EqualTo("macro avg"));
        Assert.That(classification.GetProperty("accuracy").GetDouble(), Is.EqualTo(0.6).Within(1e-12));
    }

    [Test]
    public void WhatWasWrittenReadsBack()
    {
        using var folder = new TempFolder();
        var written = Classifier();

        EvaluationFile.Write(folder.Path, written);
        var read = EvaluationFile.Read(folder.Path);

        Assert.That((read.Model, read.Data, read.Examples, read.Loss, read.CreatedAt), Is.EqualTo((written.Model, written.Data, written.Examples, written.Loss, written.CreatedAt)));
        Assert.That(read.Metrics, Is.EquivalentTo(written.Metrics));
        Assert.That(read.Classification!.Classes, Is.EqualTo(written.Classification!.Classes));
        Assert.That(read.Classification.Confusion, Is.EqualTo(written.Classification.Confusion));
        Assert.That((read.Classification.MacroAverage, read.Classification.WeightedAverage), Is.EqualTo((written.Classification.MacroAverage, written.Classification.WeightedAverage)));
    }

    [Test]
    public void ARegressionHasNoClassificationAndAnUnknownLossIsNull()
    {
        using var folder = new TempFolder();

        EvaluationFile.Write(folder.Path, new EvaluationResult { Model = "m", Data = "d", Examples = 3, Metrics = new Dictionary<string, double> { ["rmse"] = 1.5 } });
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, EvaluationFiles.Results))).RootElement;
        var read = EvaluationFile.Read(folder.Path);

        Assert.That((json.GetProperty("classification").ValueKind, json.GetProperty("loss").ValueKind), Is.EqualTo((JsonValueKind.Null, JsonValueKind.Null)));
        Assert.That((read.Classification, double.IsNaN(read.Loss), read.Metrics["rmse"]), Is.EqualTo(((EvaluationClassification?)null, true, 1.5)));
    }

    [TestCase("{ \"model\": ", "is not a valid evaluation")]
    [TestCase("null", "holds null, not an evaluation.")]
    [TestCase("{\"metrics\": null}", "metrics is null")]
    [TestCase("{\"classification\": {\"classNames\": [\"a\", \"b\"], \"classes\": [], \"confusion\": []}}", "classification has 2 class names but 0 classes.")]
    public void AMalformedFileIsInvalidDataNamingIt(string text, string message)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, EvaluationFiles.Results);
        File.WriteAllText(path, text);

        var e = Assert.Throws<InvalidDataException>(() => EvaluationFile.Read(folder.Path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain(message));
        Assert.That(EvaluationFile.TryRead(folder.Path), Is.Null);
    }

    [Test]
    public void AConfusionMatrixOfTheWrongShapeIsInvalidData()
    {
        using var folder = new TempFolder();
        var good = JsonSerializer.Serialize(Classifier(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        File.WriteAllText(Path.Combine(folder.Path, EvaluationFiles.Results), good.Replace("[1,2,0]", "[1,2]"));

        Assert.That(() => EvaluationFile.Read(folder.Path), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("classification.confusion is not 3×3"));
    }

    [Test]
    public void AFolderWithoutTheFileIsFileNotFoundAndTryReadGivesNull()
    {
        using var folder = new TempFolder();

        Assert.That(() => EvaluationFile.Read(folder.Path), Throws.InstanceOf<FileNotFoundException>());
        Assert.That(EvaluationFile.TryRead(folder.Path), Is.Null);
    }
}
