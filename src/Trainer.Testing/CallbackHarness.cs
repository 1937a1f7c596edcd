using Trainer.Callbacks;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Testing;

/// <summary>
/// Tests callbacks without training a model. <see cref="Run"/> raises their hooks in the training loop's order (OnTrainStart;
/// per epoch OnEpochStart, per step OnBatchStart, OnAfterBackward, OnBatchEnd, then OnValidationEnd and OnEpochEnd;
/// OnTrainEnd, or OnException after a failure) through Trainer.Core's own dispatch and contexts, with scripted epoch metrics,
/// per-step losses, accuracies and gradients, and a <see cref="FakeOptimizer"/> that records the learning rates. The model
/// is a tiny real module and the data a few random rows, so hooks that read weights, gradients, tensors or
/// <see cref="CallbackContext.Data"/> work; nothing is trained. Contexts for a single hook come from
/// <see cref="TrainContext"/>, <see cref="EpochContext"/> and <see cref="BatchContext"/>.
/// </summary>
/// <remarks>
/// Set the options with an object initialiser; <see cref="Run"/> may be called more than once (each run starts from the same
/// initial weights, and the callbacks keep their own state). The callbacks are the test's: the harness never disposes them.
/// </remarks>
public sealed partial class CallbackHarness : IDisposable
{
    private readonly TrainingCallback[] callbacks;
    private readonly bool ownsDirectory = true;
    private string? directory;
    private readonly List<Tensor> scratchTensors = [];
    private TrainingSetup? scratchSetup;
    private TrainingState? scratchState;

    /// <summary>Creates a harness for <paramref name="callbacks"/>, in recipe order; throws when two share a state key.</summary>
    public CallbackHarness(params TrainingCallback[] callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        if (CallbackPipeline.Problems(callbacks).FirstOrDefault() is { } problem) throw new ArgumentException(problem, nameof(callbacks));
        this.callbacks = callbacks.ToArray();
    }

    /// <summary>The callbacks, in the order their hooks run.</summary>
    public IReadOnlyList<TrainingCallback> Callbacks => callbacks;

    /// <summary>Epoch metrics by name, one value per epoch (see <see cref="ScriptedMetrics"/>); set before OnValidationEnd, replacing the computed ones.</summary>
    public ScriptedMetrics Metrics { get; init; } = new();

    /// <summary>The epochs a run asks for (<see cref="CallbackContext.Epochs"/>). Default: as many as <see cref="Metrics"/> scripts, at least 1.</summary>
    public int Epochs
    {
        get => epochs > 0 ? epochs : Math.Max(1, Metrics.Epochs);
        init => epochs = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "Epochs must be at least 1.");
    }

    private readonly int epochs;

    /// <summary>Optimizer steps (batches) per epoch. Default: 1.</summary>
    public int StepsPerEpoch { get; init; } = 1;

    /// <summary>Examples per batch (<see cref="BatchContext.BatchSize"/>); every batch is full. Default: 4.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>The recipe's learning rate, α0 (<c>Optimizer:LearningRate</c>), which the optimizer starts at. Default: 0.01.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Seeds the model's initial weights and the data. Default: 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The shape of one example (the data's and the default model's input). Default: [4].</summary>
    public long[] FeatureShape { get; init; } = [4];

    /// <summary>The number of classes (the default model's outputs, the logits' width, the labels' range). Default: 3.</summary>
    public int ClassCount { get; init; } = 3;

    /// <summary>
    /// Creates the model, called with the global generator seeded by <see cref="Seed"/> (also by
    /// <see cref="CallbackContext.CreateModel"/>). Default: flatten, Linear(features, 8) "fc1", ReLU, Linear(8, classes) "out".
    /// </summary>
    public Func<nn.Module<Tensor, Tensor>>? Model { get; init; }

    /// <summary>The loss of optimizer step k (from 1; <see cref="BatchContext.Loss"/>, a float32 scalar). Default: the epoch's scripted train_loss, else 1.</summary>
    public Func<long, double>? StepLoss { get; init; }

    /// <summary>
    /// The accuracy of step k (from 1): <see cref="BatchContext.Correct"/> is it times <see cref="BatchSize"/>, rounded.
    /// Default: the epoch's scripted train_accuracy, else 0.5.
    /// </summary>
    public Func<long, double>? StepAccuracy { get; init; }

    /// <summary>
    /// Writes the gradients of step k (from 1) before OnAfterBackward: every parameter has a zeroed gradient tensor to fill,
    /// e.g. <c>p.grad!.fill_(0.5)</c>. Default: every gradient entry is 1, so each step moves every weight by −lr.
    /// </summary>
    public Action<nn.Module<Tensor, Tensor>, long>? Gradients { get; init; }

    /// <summary>Interrupts the run after step k as Ctrl+C would: the epoch is not recorded and OnTrainEnd sees Interrupted. Default: never.</summary>
    public long? InterruptAfterStep { get; init; }

    /// <summary>Changes the recipe the contexts show (<see cref="CallbackContext.Recipe"/>) after the harness filled in its own settings.</summary>
    public Action<RecipeOptions>? ConfigureRecipe { get; init; }

    /// <summary>The run directory the contexts show: a new temporary folder, deleted by <see cref="Dispose"/> unless set.</summary>
    public string RunDirectory
    {
        get => directory ??= Directory.CreateTempSubdirectory("trainer-harness-").FullName;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            directory = value;
            ownsDirectory = false;
        }
    }

    /// <summary>The logger the contexts hand out; it keeps every event (see <see cref="HarnessResult.Events"/>).</summary>
    public RecordingLogger Logger { get; } = new();

    /// <summary>The run id the contexts show. Default: "callback-harness".</summary>
    public string RunId { get; init; } = "callback-harness";

    /// <summary>The recipe the contexts show: the harness's settings, then <see cref="ConfigureRecipe"/>.</summary>
    public RecipeOptions CreateRecipe()
    {
        var recipe = new RecipeOptions
        {
            Name = RunId,
            Optimizer = new OptimizerOptions { Kind = "sgd", LearningRate = LearningRate },
            Training = new TrainingOptions { Epochs = Epochs, BatchSize = BatchSize, Device = "cpu", Seed = Seed },
        };
        ConfigureRecipe?.Invoke(recipe);
        return recipe;
    }

    /// <summary>Deletes the temporary run directory and the tensors of the contexts built.</summary>
    public void Dispose()
    {
        ReleaseScratch();
        scratchState?.Dispose();
        scratchSetup?.Dispose();
        if (ownsDirectory && directory is not null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <summary>A set-up of the harness's model, data and fake optimizer; the caller disposes it.</summary>
    private TrainingSetup CreateSetup()
    {
        var recipe = CreateRecipe();
        var features = FeatureShape.Aggregate(1L, (a, b) => a * b);
        nn.Module<Tensor, Tensor> CreateModel()
        {
            manual_seed(Seed);
            return Model?.Invoke() ?? nn.Sequential(("flatten", nn.Flatten()), ("fc1", nn.Linear(features, 8)), ("relu", nn.ReLU()),
                ("out", nn.Linear(8, ClassCount)));
        }
        DataSplits? data = null;
        nn.Module<Tensor, Tensor>? model = null;
        try
        {
            using var generator = new Generator((ulong)Seed);
            Dataset Rows(long count) => new(randn([count, .. FeatureShape], generator: generator), arange(count, ScalarType.Int64).remainder(ClassCount), ClassCount);
            data = new DataSplits(Rows((long)StepsPerEpoch * BatchSize), Rows(BatchSize), Rows(BatchSize), null);
            model = CreateModel();
            var optimizer = new FakeOptimizer(model.parameters(), recipe.Optimizer.LearningRate);
            return TrainingSetup.FromParts(recipe, CPU, data, model, optimizer, CreateModel);
        }
        catch
        {
            model?.Dispose();
            data?.Dispose();
            throw;
        }
    }
}
