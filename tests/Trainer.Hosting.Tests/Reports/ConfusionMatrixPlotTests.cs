using SkiaSharp;
using Trainer.Reports;
using Trainer.Tasks;

namespace Trainer.Hosting.Tests.Reports;

public sealed class ConfusionMatrixPlotTests
{
    [Test]
    public void WritesASquarePngThatDecodes()
    {
        using var folder = new TempFolder();
        var report = ClassificationReport.Create([0, 0, 0, 1, 1, 2, 2, 2, 2, 3], [0, 1, 0, 1, 2, 2, 2, 0, 2, 1], ["cat", "dog", "bird", "fish"]);
        var path = Path.Combine(folder.Path, "evaluation", "confusion.png");

        var written = ConfusionMatrixPlot.Write(path, report);

        Assert.That(written, Is.EqualTo(path));
        using var bitmap = SKBitmap.Decode(path);
        Assert.That(bitmap, Is.Not.Null, "a PNG SkiaSharp decodes");
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((600, 600)));
        Assert.That(Enumerable.Range(0, 60).Select(i => bitmap.GetPixel(300 + i, 300).Blue).Distinct().Count(), Is.GreaterThan(1), "not a blank picture");
    }

    [TestCase(2, 600)]
    [TestCase(10, 600)]
    [TestCase(20, 1000)]
    [TestCase(1000, 2000)]
    public void TheImageGrowsWithTheClassesUpToALimit(int classes, int pixels) => Assert.That(ConfusionMatrixPlot.PixelsFor(classes), Is.EqualTo(pixels));

    [Test]
    public void ManyLongClassNamesAndAnEmptyRowStillDraw()
    {
        using var folder = new TempFolder();
        var names = Enumerable.Range(0, 12).Select(i => $"a rather long class name {i}").ToArray();
        var report = ClassificationReport.Create([0, 1, 2, 3], [0, 1, 3, 3], names);
        var path = Path.Combine(folder.Path, "confusion.png");

        ConfusionMatrixPlot.Write(path, report);

        using var bitmap = SKBitmap.Decode(path);
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((680, 680)));
    }
}
