using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using Trainer.Checkpoints;
using Trainer.Data;
using Trainer.Models;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Tasks;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Inference;

/// <summary>
/// A trained model loaded from a model package (<c>RUN_DIR/model</c>), a run directory or a checkpoint, ready to predict
/// without a host or a recipe: inputs are prepared with the preprocessing fitted on the training split (a table's
/// encoding, the input standardisation), the model runs in evaluation mode without gradients in batches, and outputs
/// come back as class probabilities and labels, or values in the target's own units. Loading is paid once;
/// <see cref="Predict(Tensor, IReadOnlyList{string}?)"/> is safe to call from many threads at once.
/// </summary>
public sealed partial class TrainedModel : IDisposable
{
    /// <summary>Examples per forward pass.</summary>
    public const int BatchSize = ModelEvaluator.BatchSize;

    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Standardizer? normalization;
    private readonly IReadOnlyList<IDataSource> sources;
    /// <summary>255, held for the process: a Scalar made per call would be left to the finalizer.</summary>
    private static readonly Scalar PixelScale = 255f.ToScalar();
    private static readonly Scalar One = 1f.ToScalar();
    /// <summary>−μ and 255 as tensors, for byte pixels' two-operation preparation on the CPU; null where it does not apply.</summary>
    private readonly Tensor? negativeMean;
    private readonly Tensor? pixelDivisor;

    private TrainedModel(string directory, ModelManifest manifest, nn.Module<Tensor, Tensor> model, TrainingTask task, Standardizer? normalization,
        TableSchema? table, DataOptions data, Device device, IReadOnlyList<IDataSource> sources)
    {
        PackageDirectory = directory;
        Manifest = manifest;
        this.model = model;
        Task = task;
        this.normalization = normalization;
        Table = table;
        Data = data;
        Device = device;
        this.sources = sources;
        // On the CPU only: there libtorch divides by 255 exactly, as the pipeline does; CUDA's division by a scalar multiplies by
        // its reciprocal, which the preparation below would not reproduce.
        if (device.type == DeviceType.CPU && normalization is { Mean.dtype: ScalarType.Float32, Std.dtype: ScalarType.Float32 })
        {
            negativeMean = normalization.Mean.neg().DetachFromDisposeScope();
            pixelDivisor = tensor(255f, device: device).DetachFromDisposeScope();
        }
    }

    /// <summary>The package folder the model was loaded from.</summary>
    public string PackageDirectory { get; }

    /// <summary>The package's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The task: kind, outputs, class names, threshold, target scaling, loss and metrics.</summary>
    public TrainingTask Task { get; }

    /// <summary>The shape of one example as the model takes it.</summary>
    public long[] InputShape => Manifest.InputShape;

    /// <summary>The classes' names, by index, where the data named them.</summary>
    public IReadOnlyList<string>? ClassNames => Task.ClassNames;

    /// <summary>A table's encoding (column names, categories) when the model was trained on a table; else null.</summary>
    public TableSchema? Table { get; }

    /// <summary>The data section the model was trained with (source, image size, channels, …).</summary>
    public DataOptions Data { get; }

    /// <summary>The device the model predicts on.</summary>
    public Device Device { get; }

    /// <summary>
    /// Loads a model: <paramref name="path"/> is a model package folder, a run directory, or a checkpoint inside a run
    /// directory (its weights, described by the run's package). Throws <see cref="RecipeException"/> with one line naming
    /// the file and the fix when the package is missing, damaged (SHA-256 mismatch) or needs a plugin that is not given.
    /// </summary>
    public static TrainedModel Load(string path, TrainedModelOptions? options = null)
    {
        options ??= new TrainedModelOptions();
        var directory = ModelPackage.Locate(path);
        var checkpoint = File.Exists(path) && path.EndsWith(CheckpointFile.Extension, StringComparison.OrdinalIgnoreCase) ? Path.GetFullPath(path) : null;
        var manifest = ModelPackage.ReadManifest(directory, verifyWeights: checkpoint is null);
        var manifestPath = Path.Combine(directory, ModelPackageFiles.Manifest);
        var recipe = manifest.RecipeJson;
        var modelOptions = Section<ModelOptions>(recipe, "Model", manifestPath);
        var data = Section<DataOptions>(recipe, "Data", manifestPath);
        var taskOptions = Section<TaskOptions>(recipe, "Task", manifestPath);
        var sources = (options.DataSources ?? DataPipeline.BuiltInSources).ToList();

        var custom = options.ModelFactory;
        if (manifest.Architecture.Type is { } type && custom is null)
            throw new RecipeException($"Model '{path}' was trained with the plugin model '{type}' ({manifest.Architecture.Factory} in " +
                                      $"{manifest.Architecture.Assembly}.dll), which is not loaded: put that assembly in the plugins folder (or pass --plugins).");

        var task = TaskOf(manifest, taskOptions, options.Tasks, manifestPath);
        var normalization = ReadNormalization(manifest, manifestPath);
        var table = manifest.Table is { } tableJson ? Wrap(() => TableSchemaFile.FromJson(tableJson, manifestPath)) : null;
        nn.Module<Tensor, Tensor>? model = null;
        var device = options.Device ?? CPU;
        try
        {
            var generator = random.get_rng_state(); // building the model draws initial weights: the caller's random sequence is kept
            try
            {
                model = ModelFactory.Create(modelOptions, manifest.InputShape, task.Outputs, custom);
            }
            finally
            {
                random.set_rng_state(generator);
                generator.Dispose();
            }
            LoadWeights(model, checkpoint ?? Path.Combine(directory, ModelPackageFiles.Weights), checkpoint is not null, path);
            model.to(device);
            model.eval();
            if (normalization is not null && device.type != DeviceType.CPU)
            {
                var moved = Standardizer.FromStatistics(normalization.Mode, normalization.Mean.to(device).DetachFromDisposeScope(), normalization.Std.to(device).DetachFromDisposeScope());
                normalization.Dispose();
                normalization = moved;
            }
            return new TrainedModel(directory, manifest, model, task, normalization, table, data, device, sources);
        }
        catch
        {
            model?.Dispose();
            normalization?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The model's raw outputs (logits, or standardised values for regression) for prepared inputs: already encoded and
    /// standardised, shape [N, ..<see cref="InputShape"/>], on any device. No gradients; evaluation mode.
    /// </summary>
    public Tensor Forward(Tensor prepared)
    {
        using var noGrad = no_grad();
        return model.forward(prepared.device == Device ? prepared : prepared.to(Device));
    }

    /// <summary>
    /// Inputs as the data source delivers them (byte pixels 0–255, or float32 features: pixels in [0, 1], a table's encoded
    /// columns) prepared for the model: float32, standardised with the training split's statistics, on <see cref="Device"/>.
    /// </summary>
    public Tensor Prepare(Tensor features)
    {
        CheckShape(features);
        return PrepareChecked(features);
    }

    /// <summary><see cref="Prepare"/> for features whose shape was checked.</summary>
    private Tensor PrepareChecked(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = features.to(Device);
        var own = false; // whether x is a tensor made here, which may be changed in place
        if (x.dtype == ScalarType.Byte && negativeMean is not null && pixelDivisor is not null)
        {
            // ((float)pixel / 255 − μ) / σ in two operations instead of four, with the same roundings: addcdiv takes the bytes and
            // computes −μ + pixel / 255 (the product with 1 is exact), which is pixel / 255 − μ rounded once; then ÷ σ.
            return addcdiv(negativeMean, x, pixelDivisor, One).div_(normalization!.Std).MoveToOuterDisposeScope();
        }
        if (x.dtype == ScalarType.Byte)
        {
            // As the data pipeline scales pixels (float32, divided by 255: the same rounding, so the inputs are the training
            // inputs bit for bit). Converting first and dividing in place is two vectorised passes; dividing the bytes directly
            // promotes element by element through libtorch's dynamic-casting loop, slower on a batch of images.
            x = x.to_type(ScalarType.Float32).div_(PixelScale);
            own = true;
        }
        else if (x.dtype != ScalarType.Float32)
        {
            x = x.to_type(ScalarType.Float32);
            own = true;
        }
        if (normalization is not null) x = own ? x.sub_(normalization.Mean).div_(normalization.Std) : normalization.Transform(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predictions for a batch of examples as the data source delivers them (see <see cref="Prepare"/>), in chunks of
    /// <see cref="BatchSize"/>. Safe to call from many threads.
    /// </summary>
    /// <param name="features">[N, ..<see cref="InputShape"/>] on the CPU or the model's device.</param>
    /// <param name="ids">An id per example; default: the examples' indices.</param>
    public IReadOnlyList<Prediction> Predict(Tensor features, IReadOnlyList<string>? ids = null)
    {
        CheckShape(features);
        var count = features.size(0);
        if (ids is not null && ids.Count != count) throw new ArgumentException($"{ids.Count} ids for {count} examples.", nameof(ids));
        var predictions = new List<Prediction>((int)count);
        // Inference mode, not only no_grad: libtorch skips the version counters and view tracking as well. Safe here because
        // no tensor made inside leaves this method (the scores are copied into the predictions); Forward and Prepare, which
        // hand tensors back, keep no_grad so that their results can still be used with autograd.
        using var inference = inference_mode();
        for (long start = 0; start < count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(BatchSize, count - start);
            var outputs = model.forward(PrepareChecked(features.narrow(0, start, length)));
            // A classifier's softmax is taken on the host (HostSoftmax): a libtorch call for a few thousand values costs more.
            var classifies = Task.Kind == TaskKind.Classification;
            var scores = (classifies ? outputs : Task.Predict(outputs)).to_type(ScalarType.Float32).cpu().contiguous();
            ReadOnlySpan<float> flat = MemoryMarshal.Cast<byte, float>(scores.bytes); // the CPU tensor's memory, not an element-wise accessor copy
            var width = (int)(flat.Length / length);
            if (classifies)
            {
                var probabilities = new float[flat.Length];
                HostSoftmax.Rows(flat, width, probabilities);
                flat = probabilities;
            }
            for (var i = 0; i < length; i++)
            {
                var row = flat.Slice(i * width, width).ToArray();
                var id = ids?[(int)(start + i)] ?? (start + i).ToString(CultureInfo.InvariantCulture);
                predictions.Add(Describe(id, row));
            }
        }
        return predictions;
    }

    /// <summary>The prediction for one example's features (flattened row-major to <see cref="InputShape"/>; pixels in [0, 1]).</summary>
    public Prediction Predict(float[] example) => Predict([example])[0];

    /// <summary>Predictions for examples given as float arrays, each flattened row-major to <see cref="InputShape"/> (pixels in [0, 1]).</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<float[]> examples)
    {
        var width = InputShape.Aggregate(1L, (a, b) => a * b);
        var flat = new float[examples.Count * width];
        for (var i = 0; i < examples.Count; i++)
        {
            if (examples[i].Length != width)
                throw new RecipeException($"Example {i} has {examples[i].Length} values; the model takes {width} ([{string.Join(", ", InputShape)}]).");
            examples[i].CopyTo(flat, i * width);
        }
        using var features = tensor(flat, [examples.Count, .. InputShape]);
        return Predict(features);
    }

    /// <summary>
    /// Predictions for table rows given as column name → value (a model trained on a table), encoded with the training
    /// split's categories and means; columns the model does not use are ignored.
    /// </summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        var schema = Table ?? throw new RecipeException("This model was not trained on a table; give features, not rows.");
        var columns = schema.Columns.Select(c => c.Name).Append(schema.Target).Distinct().ToList();
        var file = new TableFile("rows", "rows", columns, [.. rows.Select(r => columns.Select(c => r.TryGetValue(c, out var v) ? v : "").ToArray())],
            [.. Enumerable.Range(2, rows.Count)]);
        var (features, targets) = TableEncoder.EncodeWith(file, schema);
        using (features)
        using (targets)
            return Predict(features);
    }

    /// <summary>
    /// Reads examples to predict on from <paramref name="path"/> the way the model's data source reads them: a CSV file
    /// (a table model), IDX files, an image file or folder (the image-folder plugin), or any plugin source's files.
    /// </summary>
    public ExampleInputs ReadInputs(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new RecipeException($"Input '{path}' does not exist.");
        if (Table is { } schema)
        {
            if (Directory.Exists(path)) throw new RecipeException($"Input '{path}' is a folder; this model was trained on a table: give a CSV file.");
            var file = CsvTable.Read(path, "--input", schema.Delimiter.Length == 1 ? schema.Delimiter[0] : ',');
            var (features, targets) = TableEncoder.EncodeWith(file, schema);
            var idColumn = Enumerable.Range(0, file.Columns.Count).FirstOrDefault(i => string.Equals(file.Columns[i], "id", StringComparison.OrdinalIgnoreCase), -1);
            var ids = idColumn >= 0 && schema.Columns.All(c => c.Name != file.Columns[idColumn])
                ? file.Rows.Select(r => r[idColumn]).ToList()
                : Enumerable.Range(1, file.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
            return new ExampleInputs(features, ids, targets) { ClassNames = schema.Classes };
        }
        var source = sources.FirstOrDefault(s => string.Equals(s.Name, Data.Source, StringComparison.OrdinalIgnoreCase))
            ?? throw new RecipeException($"This model was trained on Data:Source '{Data.Source}', which is not loaded: put its plugin in the plugins folder (or pass --plugins).");
        var full = Path.GetFullPath(path);
        if (source is IPredictionInputSource reader) return reader.ReadInputs(Data, full);
        var raw = source.Load(Data.WithPaths(full, null));
        raw.Test?.Dispose();
        raw.Validation?.Dispose();
        var data = raw.Train;
        return new ExampleInputs(data.Features, [.. Enumerable.Range(0, (int)data.Count).Select(i => i.ToString(CultureInfo.InvariantCulture))], data.Labels) { ClassNames = data.ClassNames };
    }

    /// <summary>
    /// The task's loss and metrics on labelled inputs (<see cref="ReadInputs"/>), their predictions, and the labels in the
    /// model's class indices (an input's own class names are matched to the model's by name).
    /// </summary>
    public (Evaluation Result, IReadOnlyList<Prediction> Predictions, Tensor Labels) Evaluate(ExampleInputs inputs)
    {
        if (inputs.Labels is null) throw new RecipeException("The input has no labels (targets) to evaluate against; give labelled data.");
        var labels = ModelLabels(inputs);
        var targets = Task.TargetScaling is { } scaling ? scaling.Standardize(labels.to_type(ScalarType.Float32)) : labels.alias();
        using var prepared = Prepare(inputs.Features);
        var dataset = new Dataset(prepared.alias(), targets, Task.Kind == TaskKind.Classification ? Task.Outputs : 0);
        Evaluation result;
        try
        {
            result = ModelEvaluator.Evaluate(model, dataset, Device, Task); // the model stays in evaluation mode throughout
        }
        finally
        {
            dataset.Dispose();
        }
        return (result, Predict(inputs.Features, inputs.Ids), labels);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        model.Dispose();
        normalization?.Dispose();
        negativeMean?.Dispose();
        pixelDivisor?.Dispose();
    }

    private Tensor ModelLabels(ExampleInputs inputs)
    {
        var labels = inputs.Labels!;
        if (Task.Kind != TaskKind.Classification || inputs.ClassNames is not { } own || ClassNames is not { } names || own.SequenceEqual(names)) return labels.alias();
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => (long)p.i, StringComparer.Ordinal);
        var unknown = own.Where(n => !index.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new RecipeException($"The input has the class{(unknown.Count == 1 ? "" : "es")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which the model does not know " +
                                      $"(it knows: {string.Join(", ", names)}).");
        using var map = tensor(own.Select(n => index[n]).ToArray());
        return map.index_select(0, labels.to_type(ScalarType.Int64));
    }

    private Prediction Describe(string id, float[] scores) => Task.Kind switch
    {
        TaskKind.Classification => Named(id, ArgMax(scores), scores),
        TaskKind.Binary => Named(id, scores[0] >= Task.Threshold ? 1 : 0, scores),
        TaskKind.Multilabel => new Prediction(id, null, null, scores)
        {
            PositiveLabels = [.. Enumerable.Range(0, scores.Length).Where(i => scores[i] >= Task.Threshold)],
        },
        _ => new Prediction(id, null, null, scores),
    };

    /// <summary>The first index of the largest score, NaN ignored (0 when all are NaN): <c>IndexOf(Max())</c> in one pass.</summary>
    private static int ArgMax(float[] scores)
    {
        var best = -1;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!float.IsNaN(scores[i]) && (best < 0 || scores[i] > scores[best])) best = i;
        }
        return Math.Max(best, 0);
    }

    private Prediction Named(string id, int label, float[] scores) =>
        new(id, label, ClassNames is { } names && label < names.Count ? names[label] : null, scores);

    private void CheckShape(Tensor features)
    {
        var shape = features.shape;
        if (shape.Length == InputShape.Length + 1 && shape.AsSpan(1).SequenceEqual(InputShape)) return;
        throw new RecipeException($"Input of shape [{string.Join(", ", shape)}] does not fit the model: it takes examples of shape [{string.Join(", ", InputShape)}] " +
                                  $"(batches [N, {string.Join(", ", InputShape)}]){ImageHint()}.");
    }

    private string ImageHint() => InputShape.Length == 3
        ? $"; images are {InputShape[0]} channel{(InputShape[0] == 1 ? "" : "s")} of {InputShape[1]}x{InputShape[2]} pixels"
        : "";

    private static void LoadWeights(nn.Module<Tensor, Tensor> model, string weights, bool checkpoint, string path)
    {
        try
        {
            if (checkpoint)
            {
                var bytes = CheckpointFile.Read(weights).Model;
                using var stream = new MemoryStream(bytes.ToArray(), writable: false);
                model.load(stream);
            }
            else
            {
                model.load(weights);
            }
        }
        catch (Exception e) when (e is not RecipeException)
        {
            throw new RecipeException($"Model weights '{weights}' do not fit the architecture the manifest describes ({NativeErrors.Message(e)}); " +
                                      $"the package or checkpoint '{path}' does not belong together: use the run's own package.");
        }
    }

    private static TrainingTask TaskOf(ModelManifest manifest, TaskOptions options, TaskCatalog? catalog, string path)
    {
        var json = manifest.Task;
        if (!TaskKinds.TryParse(json["kind"]?.GetValue<string>(), out var kind))
            throw new RecipeException($"Model manifest '{path}': task kind '{json["kind"]}' is not one this Trainer knows ({string.Join(", ", TaskKinds.Names)}).");
        var outputs = json["outputs"]!.GetValue<int>();
        var threshold = json["threshold"]?.GetValue<double>() ?? 0.5;
        var names = json["classNames"] is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : null;
        var scaling = json["targetScaling"] is JsonObject s
            ? new TargetScaling([.. s["mean"]!.AsArray().Select(v => v!.GetValue<double>())], [.. s["std"]!.AsArray().Select(v => v!.GetValue<double>())])
            : null;
        var errors = new List<string>();
        var loss = (catalog ?? TaskCatalog.BuiltIn).Loss(options, kind, errors);
        var metrics = (catalog ?? TaskCatalog.BuiltIn).Metrics(options, kind, errors);
        if (errors.Count > 0)
        {
            // A plugin loss or metric that is not loaded: predictions do not need them, evaluation uses the kind's defaults.
            var defaults = new TaskOptions { Kind = options.Kind, Threshold = options.Threshold, HuberDelta = options.HuberDelta };
            errors.Clear();
            loss = TaskCatalog.BuiltIn.Loss(defaults, kind, errors);
            metrics = TaskCatalog.BuiltIn.Metrics(defaults, kind, errors);
        }
        return new TrainingTask(kind, loss!, metrics, outputs, threshold, scaling, names);
    }

    private static Standardizer? ReadNormalization(ModelManifest manifest, string path) =>
        Wrap(() => NormalizationFile.FromJson(manifest.Normalization, path));

    private static T Wrap<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new RecipeException($"{e.Message} The package is damaged: use the run's package again or retrain.", e);
        }
    }

    private static T Section<T>(JsonObject recipe, string name, string path) where T : new()
    {
        var node = recipe.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        if (node is null) return new T();
        try
        {
            return node.Deserialize<T>(SectionJson) ?? new T();
        }
        catch (JsonException e)
        {
            throw new RecipeException($"Model manifest '{path}': its recipe's {name} section cannot be read ({e.Message}); the package is damaged.");
        }
    }

    private static readonly JsonSerializerOptions SectionJson = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };
}
