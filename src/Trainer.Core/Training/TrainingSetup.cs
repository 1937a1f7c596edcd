using Trainer.Data;
using Trainer.Models;
using Trainer.Models.Transfer;
using Trainer.Optimizers;
using Trainer.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>
/// Everything a run trains with, built from a recipe in a fixed order so that a seed reproduces it: device,
/// threads, seed, data (loaded once, moved to the device), model (initialised, its <c>Model:InitFrom</c> tensors copied in,
/// then moved, then <c>Model:Freeze</c> applied), optimizer (after the move, over the parameters that train).
/// </summary>
public sealed class TrainingSetup : IDisposable
{
    private readonly IModelFactory? customModel;
    private Func<nn.Module<Tensor, Tensor>>? modelFactory;

    private TrainingSetup(RecipeOptions recipe, Device device, DataSplits data, Tasks.TrainingTask task, nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer, OptimizerChoice optimizerChoice, IModelFactory? customModel, string cpuKernels)
    {
        Task = task;
        CpuKernels = cpuKernels;
        OptimizerChoice = optimizerChoice;
        this.customModel = customModel;
        Recipe = recipe;
        Device = device;
        Data = data;
        Model = model;
        Optimizer = optimizer;
    }

    /// <summary>The recipe this was built from.</summary>
    public RecipeOptions Recipe { get; }

    /// <summary>The training device.</summary>
    public Device Device { get; }

    /// <summary>The data splits, on <see cref="Device"/>.</summary>
    public DataSplits Data { get; }

    /// <summary>What the run learns: the task's kind, loss, metrics and the model's number of outputs.</summary>
    public Tasks.TrainingTask Task { get; }

    /// <summary>The model, on <see cref="Device"/>.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>
    /// Creates a new instance of the run's model architecture on the CPU, freshly initialised. It draws from
    /// TorchSharp's global generator: save and restore <c>torch.random.get_rng_state()</c> around it when the run's
    /// random sequence must not change (as the gradient check does).
    /// </summary>
    public nn.Module<Tensor, Tensor> CreateModel() => modelFactory is { } create ? create() :
        ModelFactory.Create(Recipe.Model, Data.Train.FeatureShape, Task.Outputs, customModel);

    /// <summary>The plugin model factory named by <c>Model:Type</c>, or null for a built-in kind.</summary>
    internal IModelFactory? CustomModel => customModel;

    /// <summary>What <c>Model:InitFrom</c> loaded into the model; null without it, and on a resumed run (its checkpoint's weights replace the model's).</summary>
    public InitFromResult? InitializedFrom { get; private init; }

    /// <summary>What <c>Model:Freeze</c> froze; <see cref="FrozenTensors.None"/> without it.</summary>
    public FrozenTensors Frozen { get; private init; } = FrozenTensors.None;

    /// <summary>
    /// Puts the model in training mode, except the batch-norm layers <c>Model:Freeze</c> holds in evaluation mode; the loop
    /// calls it instead of <c>model.train()</c>.
    /// </summary>
    public void EnterTrainingMode() => Frozen.EnterTrainingMode(Model);

    /// <summary>The optimizer over the model's parameters that train (all but the frozen ones).</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>Which CPU kernels libtorch uses for convolutions (<c>Training:Mkldnn</c>), and why, for the log.</summary>
    public string CpuKernels { get; }

    /// <summary>Whether <see cref="Optimizer"/> runs libtorch's fused kernel or the managed step, and why.</summary>
    public OptimizerChoice OptimizerChoice { get; }

    /// <summary>
    /// Builds the set-up. Call it on the thread that will train: <c>Training:Threads</c> applies to the calling thread.
    /// </summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <param name="baseDirectory">Folder that relative data paths resolve against.</param>
    /// <param name="sources">Data sources to choose from; defaults to the built-in ones.</param>
    /// <param name="customModel">The plugin model factory named by <c>Model:Type</c>, if any.</param>
    /// <param name="tasks">The losses and metrics to choose from (plugins added); defaults to the built-in ones.</param>
    /// <param name="resuming">True when the run will restore a checkpoint: <c>Model:InitFrom</c> is not read, as the
    /// checkpoint's weights replace the model's.</param>
    public static TrainingSetup Create(RecipeOptions recipe, string baseDirectory, IEnumerable<IDataSource>? sources = null, IModelFactory? customModel = null,
        Tasks.TaskCatalog? tasks = null, bool resuming = false)
    {
        var device = DeviceResolver.Resolve(recipe.Training.Device);
        if (device.type == DeviceType.CUDA) ConfigureCuda(recipe.Training);
        if (recipe.Training.Threads > 0) set_num_threads(recipe.Training.Threads);
        manual_seed(recipe.Training.Seed);

        DataSplits? cpuData = null;
        DataSplits? data = null;
        nn.Module<Tensor, Tensor>? model = null;
        try
        {
            cpuData = DataPipeline.Load(recipe.Data, baseDirectory, recipe.Training.Seed, sources, recipe.Task);
            var task = Tasks.TrainingTask.Create(recipe.Task, cpuData.Train, cpuData.TargetScaling, tasks);
            data = device.type == DeviceType.CPU ? cpuData : MoveTo(cpuData, device);
            model = ModelFactory.Create(recipe.Model, data.Train.FeatureShape, task.Outputs, customModel);
            // Copied after the seeded initialisation and before the move: the tensors not loaded keep exactly their initial values.
            var initialized = resuming || recipe.Model.InitFrom is not { } from ? null
                : ModelTransfer.InitFrom(model, DataPipeline.Resolve(from, baseDirectory)!, recipe.Model.InitFromSkip);
            model.to(device);
            var frozen = ModelTransfer.Freeze(model, recipe.Model.Freeze);
            var cpuKernels = ConfigureMkldnn(recipe.Training.Mkldnn, model);
            var choice = OptimizerFactory.Choose(recipe.Optimizer);
            MemoryEstimate.Check(recipe, data, model);
            var optimizer = OptimizerFactory.Create(recipe.Optimizer, model.parameters().Where(p => p.requires_grad));
            return new TrainingSetup(recipe, device, data, task, model, optimizer, choice, customModel, cpuKernels)
            {
                InitializedFrom = initialized, Frozen = frozen,
            };
        }
        catch
        {
            model?.Dispose();
            if (data is not null) data.Dispose(); // the moved splits (MoveTo disposed the CPU ones), or the CPU splits themselves
            else cpuData?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A set-up from parts already made, for Trainer.Testing's harness: no data is loaded, nothing is seeded or moved, and
    /// <see cref="CreateModel"/> calls <paramref name="createModel"/>. The set-up owns and disposes the parts.
    /// </summary>
    internal static TrainingSetup FromParts(RecipeOptions recipe, Device device, DataSplits data, nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer, Func<nn.Module<Tensor, Tensor>> createModel) =>
        new(recipe, device, data, Tasks.TrainingTask.Classification(data.Train.ClassCount), model, optimizer, new OptimizerChoice(OptimizerImplementation.Managed, "a test harness's optimizer"), null,
            "a test harness's set-up") { modelFactory = createModel };

    private static void ConfigureCuda(TrainingOptions training)
    {
        backends.cuda.matmul.allow_tf32 = training.AllowTf32;
        backends.cudnn.allow_tf32 = training.AllowTf32;
        if (training.CudnnBenchmark && !LibTorchContext.IsAvailable)
            throw new RecipeException("Training:CudnnBenchmark cannot be turned on here: the loaded libtorch's C++ entry points are not reachable " +
                                      "(Windows or another libtorch version); set it to false.");
        if (LibTorchContext.IsAvailable) LibTorchContext.CudnnBenchmark = training.CudnnBenchmark; // also resets an earlier run's choice
    }

    /// <summary>The fewest channels at which oneDNN's convolution backward pass was not seen to return garbage.</summary>
    public const int MkldnnSafeChannels = 16;

    /// <summary>
    /// Applies <c>Training:Mkldnn</c> (process-wide, like libtorch's setting) and says what the CPU kernels are. Auto
    /// turns oneDNN off when a convolution whose input gradient is computed (every one but the first) has fewer than
    /// <see cref="MkldnnSafeChannels"/> input or output channels: there its backward pass returned NaN, or wrong finite
    /// values, in up to 40% of passes; with 16 or more channels none was seen, and it is 1.5–3 times faster.
    /// </summary>
    private static string ConfigureMkldnn(string setting, nn.Module model)
    {
        var wanted = setting.ToLowerInvariant();
        var narrow = NarrowConvolution(model);
        if (!LibTorchContext.IsAvailable)
        {
            if (wanted == "auto") return "libtorch's default (oneDNN where it applies): Training:Mkldnn cannot be changed on this platform";
            throw new RecipeException($"Training:Mkldnn cannot be set to '{setting}' here: the loaded libtorch's C++ entry points are not reachable " +
                                      "(Windows or another libtorch version); leave it at auto.");
        }
        var enabled = wanted == "on" || (wanted == "auto" && narrow is null);
        LibTorchContext.MkldnnEnabled = enabled; // also resets an earlier run's choice in this process
        return (enabled, wanted) switch
        {
            (true, "on") => "oneDNN (Training:Mkldnn on)",
            (true, _) => $"oneDNN (Training:Mkldnn auto: every convolution has at least {MkldnnSafeChannels} channels)",
            (false, "off") => "libtorch's own, oneDNN off (Training:Mkldnn off)",
            _ => $"libtorch's own, oneDNN off (Training:Mkldnn auto: {narrow} has fewer than {MkldnnSafeChannels} channels, where oneDNN's backward pass is unreliable)",
        };
    }

    /// <summary>The name of a convolution past the first with fewer than <see cref="MkldnnSafeChannels"/> channels in or out, or null.</summary>
    private static string? NarrowConvolution(nn.Module model)
    {
        var convolutions = model.named_modules().Where(m => m.module is TorchSharp.Modules.Convolution).ToList();
        for (var i = 0; i < convolutions.Count; i++)
        {
            var conv = (TorchSharp.Modules.Convolution)convolutions[i].module;
            var weight = conv.weight!;
            long outputs = weight.size(0), inputs = weight.size(1) * conv.groups;
            if (outputs < MkldnnSafeChannels || (i > 0 && inputs < MkldnnSafeChannels)) return convolutions[i].name;
        }
        return null;
    }

    private static DataSplits MoveTo(DataSplits cpu, Device device)
    {
        // On the streaming path only the labels move; the splits' batches are read to the device as they are needed.
        var moved = cpu with { Train = cpu.Train.To(device), Validation = cpu.Validation?.To(device), Test = cpu.Test.To(device) };
        cpu.Train.Dispose();
        cpu.Validation?.Dispose();
        cpu.Test.Dispose();
        return moved;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
        Data.Dispose();
    }
}
