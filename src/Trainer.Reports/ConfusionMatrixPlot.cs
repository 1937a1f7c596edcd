using System.Globalization;
using ScottPlot;
using Trainer.Tasks;

namespace Trainer.Reports;

/// <summary>
/// A classifier's confusion matrix as a PNG heat map (<c>confusion.png</c> of <c>trainer evaluate</c>): actual classes
/// as rows, predicted classes as columns, each cell's count written in it and coloured by its share of the row (the
/// recall of the diagonal), class names on both axes.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Writes the heat map of <paramref name="report"/> to <paramref name="path"/> (its folder is created); returns the path.</summary>
    /// <remarks>The image is square: <see cref="PixelsFor"/> pixels a side.</remarks>
    public static string Write(string path, ClassificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var k = report.Classes.Count;
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Blues();
        for (var actual = 0; actual < k; actual++)
        {
            long row = 0;
            for (var predicted = 0; predicted < k; predicted++) row += report.Confusion[actual, predicted];
            for (var predicted = 0; predicted < k; predicted++)
            {
                var count = report.Confusion[actual, predicted];
                var share = row == 0 ? 0 : (double)count / row;
                double x = predicted, y = k - 1 - actual; // the first class's row at the top
                var cell = plot.Add.Rectangle(x - 0.5, x + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = colormap.GetColor(0.97 - 0.92 * share); // ScottPlot's Blues runs from dark (0) to light (1)
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
                var label = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), x, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = k > 20 ? 9 : k > 10 ? 12 : 16;
                label.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
            }
        }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        var names = report.ClassNames.Select(n => n.Length > 18 ? n[..17] + "…" : n).ToArray();
        plot.Axes.Bottom.SetTicks(positions, names);
        plot.Axes.Left.SetTicks(positions, names.Reverse().ToArray());
        if (k > 4 && names.Any(n => n.Length > 5))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        }
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.HideGrid();
        plot.Title($"Confusion matrix: accuracy {report.Accuracy.ToString("0.0000", CultureInfo.InvariantCulture)}, {report.Examples} examples");
        plot.XLabel("predicted");
        plot.YLabel("actual (colour: share of the row)");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var side = PixelsFor(k);
        plot.SavePng(path, side, side);
        return path;
    }

    /// <summary>The side of the square image for <paramref name="classes"/> classes: 600 pixels up to 10 classes, 40 more for each further one, at most 2000.</summary>
    public static int PixelsFor(int classes) => Math.Clamp(600 + 40 * (classes - 10), 600, 2000);
}
