using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Data;
using Trainer.Training;
using static TorchSharp.torch;

namespace Example.Extensions;

/// <summary>
/// Writes <c>confusion-matrix.csv</c> (rows: true class, columns: predicted class) for the test or validation split
/// when training ends, and logs each class's recall with named properties. Counting happens on the device
/// (<c>bincount</c>); the matrix is read back once.
/// </summary>
[CallbackName("ConfusionMatrix")]
public sealed partial class ConfusionMatrixCallback(ConfusionMatrixOptions options) : TrainingCallback
{
    /// <summary>The file written into the run directory.</summary>
    public const string FileName = "confusion-matrix.csv";

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        if (options.EveryEpochs == 0 || context.Epoch % options.EveryEpochs != 0 || context.Data.Validation is not { } validation) return;
        LogRecall(context.Logger, context.Epoch, Count(context.Model, validation));
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainEndContext context)
    {
        if (context.Status is not (RunStatus.Completed or RunStatus.StoppedEarly)) return;
        var split = options.Split == "validation" ? context.Data.Validation : context.Data.Test;
        if (split is null) return;
        // After every callback's OnTrainEnd: restored best weights (early stopping) are the ones evaluated, as for the test metrics.
        context.AfterHook(() =>
        {
            var matrix = Count(context.Model, split);
            File.WriteAllText(Path.Combine(context.RunDirectory, FileName), ToCsv(matrix));
            LogRecall(context.Logger, context.Epoch, matrix);
        });
    }

    /// <summary>The confusion matrix of <paramref name="model"/> on <paramref name="data"/>: [true class, predicted class] counts.</summary>
    public static long[,] Count(nn.Module<Tensor, Tensor> model, Dataset data)
    {
        var classes = data.ClassCount;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var counts = zeros(classes * classes, dtype: ScalarType.Int64, device: data.Features.device);
            const int chunk = 4096;
            for (long start = 0; start < data.Count; start += chunk)
            {
                var length = Math.Min(chunk, data.Count - start);
                var predicted = model.forward(data.Features.narrow(0, start, length)).argmax(1);
                var truth = data.Labels.narrow(0, start, length);
                counts.add_(bincount(truth * classes + predicted, minlength: classes * classes));
            }
            var flat = counts.cpu().data<long>().ToArray();
            var matrix = new long[classes, classes];
            for (var i = 0; i < classes; i++)
                for (var j = 0; j < classes; j++)
                    matrix[i, j] = flat[i * classes + j];
            return matrix;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static string ToCsv(long[,] matrix)
    {
        var classes = matrix.GetLength(0);
        var text = new StringBuilder("true\\predicted");
        for (var j = 0; j < classes; j++) text.Append(CultureInfo.InvariantCulture, $",{j}");
        text.AppendLine();
        for (var i = 0; i < classes; i++)
        {
            text.Append(i.ToString(CultureInfo.InvariantCulture));
            for (var j = 0; j < classes; j++) text.Append(CultureInfo.InvariantCulture, $",{matrix[i, j]}");
            text.AppendLine();
        }
        return text.ToString();
    }

    private static void LogRecall(ILogger logger, int epoch, long[,] matrix)
    {
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            long total = 0;
            for (var j = 0; j < matrix.GetLength(1); j++) total += matrix[i, j];
            ClassRecall(logger, epoch, i, total == 0 ? 0 : (double)matrix[i, i] / total, total);
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Epoch {Epoch} class {Class}: recall {Recall:0.0000} of {Examples} examples")]
    private static partial void ClassRecall(ILogger logger, int epoch, int @class, double recall, long examples);
}
