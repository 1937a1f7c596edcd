using System.Text;
using Trainer.Models;
using Trainer.Optimizers;
using Trainer.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Tests.Optimizers;

/// <summary>libtorch's fused kernels against TorchSharp's managed optimizers, on a real model in float64.</summary>
public sealed class FusedOptimizerTests
{
    private const int Features = 12, Classes = 4, Batch = 16;

    private static nn.Module<Tensor, Tensor> Model(int seed)
    {
        manual_seed(seed);
        var model = ModelFactory.Create(new ModelOptions { Hidden = [24, 16], BatchNorm = true }, [Features], Classes);
        model.to(ScalarType.Float64);
        return model;
    }

    private static OptimizerOptions Options(string kind, string implementation, double weightDecay = 0) => new()
    {
        Kind = kind, Implementation = implementation, LearningRate = kind.StartsWith("adam", StringComparison.Ordinal) ? 0.01 : 0.05,
        WeightDecay = weightDecay, Momentum = 0.9,
    };

    /// <summary>Trains <paramref name="steps"/> steps on fixed random batches; returns every parameter, flattened.</summary>
    private static double[] Train(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, int steps, int firstStep = 0, Action<int>? beforeStep = null)
    {
        for (var step = firstStep; step < firstStep + steps; step++)
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)(1000 + step));
            var x = randn([Batch, Features], ScalarType.Float64, generator: generator);
            var y = randint(Classes, [Batch], generator: generator);
            beforeStep?.Invoke(step);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(x), y).backward();
            optimizer.step();
        }
        return Flatten(model);
    }

    private static double[] Flatten(nn.Module<Tensor, Tensor> model)
    {
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().flatten()).ToList(), 0).data<double>().ToArray();
    }

    private static void AssertClose(double[] actual, double[] expected, double tolerance)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        var worst = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance), $"largest difference {worst:E2}");
    }

    [TestCase("adam", 0.0)]
    [TestCase("adam", 0.01)]
    [TestCase("adamw", 0.05)]
    [TestCase("sgd", 0.001)]
    [TestCase("momentum", 0.0)]
    [TestCase("nesterov", 0.001)]
    public void FusedAndManagedAgreeOverFiftyStepsOfARealModel(string kind, double weightDecay)
    {
        using var fusedModel = Model(7);
        using var managedModel = Model(7);
        using var fused = OptimizerFactory.Create(Options(kind, "fused", weightDecay), fusedModel.parameters());
        using var managed = OptimizerFactory.Create(Options(kind, "managed", weightDecay), managedModel.parameters());
        Assert.That(fused.GetType().Name, Does.StartWith("Fused"));
        Assert.That(managed.GetType().Name, Does.Not.StartWith("Fused"));
        var before = Flatten(fusedModel);

        var afterFused = Train(fusedModel, fused, 50);
        var afterManaged = Train(managedModel, managed, 50);

        AssertClose(afterFused, afterManaged, 1e-12);
        Assert.That(afterFused.Zip(before, (a, b) => Math.Abs(a - b)).Max(), Is.GreaterThan(1e-3), "the parameters moved");
    }

    [TestCase("adam")]
    [TestCase("momentum")]
    public void ALearningRateChangeMidRunReachesTheFusedStep(string kind)
    {
        using var fusedModel = Model(3);
        using var managedModel = Model(3);
        using var unchangedModel = Model(3);
        using var fused = OptimizerFactory.Create(Options(kind, "fused"), fusedModel.parameters());
        using var managed = OptimizerFactory.Create(Options(kind, "managed"), managedModel.parameters());
        using var unchanged = OptimizerFactory.Create(Options(kind, "fused"), unchangedModel.parameters());

        var changedFused = Train(fusedModel, fused, 20, beforeStep: step => { if (step == 10) OptimizerFactory.SetLearningRate(fused, 0.3); });
        var changedManaged = Train(managedModel, managed, 20, beforeStep: step => { if (step == 10) OptimizerFactory.SetLearningRate(managed, 0.3); });
        var notChanged = Train(unchangedModel, unchanged, 20);

        AssertClose(changedFused, changedManaged, 1e-12);
        Assert.That(changedFused.Zip(notChanged, (a, b) => Math.Abs(a - b)).Max(), Is.GreaterThan(1e-3), "the new rate took effect");
    }

    [TestCase("adam", "managed", "fused")]
    [TestCase("adam", "fused", "managed")]
    [TestCase("adamw", "fused", "managed")]
    [TestCase("nesterov", "managed", "fused")]
    [TestCase("momentum", "fused", "managed")]
    public void StateSavedOnOnePathResumesOnTheOther(string kind, string savedOn, string resumedOn)
    {
        // The uninterrupted run, on the path that resumes.
        using var straightModel = Model(11);
        using var straight = OptimizerFactory.Create(Options(kind, resumedOn, 0.01), straightModel.parameters());
        var expected = Train(straightModel, straight, 8);

        // Five steps on one path, saved; a fresh model and optimizer on the other path load it and take three more.
        byte[] modelBytes, optimizerState;
        using (var firstModel = Model(11))
        using (var first = OptimizerFactory.Create(Options(kind, savedOn, 0.01), firstModel.parameters()))
        {
            Train(firstModel, first, 5);
            modelBytes = Save(w => firstModel.save(w));
            optimizerState = OptimizerStateBytes.Save(first);
        }
        using var resumedModel = Model(99);
        using (var reader = new BinaryReader(new MemoryStream(modelBytes))) resumedModel.load(reader);
        using var resumed = OptimizerFactory.Create(Options(kind, resumedOn, 0.01), resumedModel.parameters());
        OptimizerStateBytes.Load(resumed, optimizerState);
        var actual = Train(resumedModel, resumed, 3, firstStep: 5);

        AssertClose(actual, expected, 1e-12);
    }

    private static byte[] Save(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) write(writer);
        return stream.ToArray();
    }

    [Test]
    public void AnotherOptimizersStateIsRefusedWithAClearError()
    {
        using var w = nn.Parameter(zeros(3));
        using var adam = OptimizerFactory.Create(new OptimizerOptions { Kind = "adam" }, [w]);
        using var sgd = OptimizerFactory.Create(new OptimizerOptions { Kind = "momentum" }, [w]);

        var error = Assert.Throws<InvalidDataException>(() => OptimizerStateBytes.Load(sgd, OptimizerStateBytes.Save(adam)));

        Assert.That(error!.Message, Is.EqualTo("The saved optimizer state is Adam's, but this run's optimizer is SGD; resume with the recipe the run started with."));
    }

    [Test]
    public void ANonContiguousParameterIsRejectedWithAClearErrorInsteadOfCrashing()
    {
        using var w = nn.Parameter(randn(3, 4, ScalarType.Float64).t());
        using var optimizer = OptimizerFactory.Create(new OptimizerOptions { Kind = "adam", Implementation = "fused" }, [w]);
        (w * 2).sum().backward();
        var before = w.detach().clone();

        var error = Assert.Throws<InvalidOperationException>(() => optimizer.step());

        Assert.That(error!.Message, Does.Contain("parameter 0 ([4, 3], Float64)").And.Contain("not contiguous").And.Contain("Optimizer:Implementation"));
        Assert.That(w.detach().eq(before).all().item<bool>(), Is.True, "nothing was updated");
    }

    [Test]
    public void AGradientOfAnotherShapeIsRejectedBeforeTheKernelRuns()
    {
        using var w = nn.Parameter(zeros(4, ScalarType.Float64));
        using var optimizer = OptimizerFactory.Create(new OptimizerOptions { Kind = "sgd", Implementation = "fused" }, [w]);
        using (no_grad()) w.grad = ones(4, ScalarType.Float64);
        // A state tensor of the wrong shape, as a corrupt or foreign state would leave it, must not reach the kernel.
        using var momentum = OptimizerFactory.Create(new OptimizerOptions { Kind = "momentum", Implementation = "fused" }, [w]);
        momentum.step();
        var state = ((TorchSharp.Modules.OptimizerHelper)momentum).state_dict().State[0] as TorchSharp.Modules.SGD.State;
        state!.momentum_buffer = zeros(5, ScalarType.Float64);

        var error = Assert.Throws<InvalidOperationException>(() => momentum.step());

        Assert.That(error!.Message, Does.Contain("shape [5]").And.Contain("the parameter [4]"));
    }

    [Test]
    public void AutoFallsBackToTheManagedOptimizerWhenTheKernelIsMissing()
    {
        var missing = FusedKernels.Load("libtrainer-no-such-libtorch.so");
        Assert.That((missing.HasAdam, missing.HasAdamW, missing.HasSgd), Is.EqualTo((false, false, false)));

        var choice = OptimizerFactory.Choose(new OptimizerOptions { Kind = "adam" }, missing);
        using var w = nn.Parameter(zeros(2));
        using var optimizer = OptimizerFactory.Create(new OptimizerOptions { Kind = "adam" }, [w], missing);

        Assert.That(choice.Implementation, Is.EqualTo(OptimizerImplementation.Managed));
        Assert.That(choice.Reason, Does.Contain("_fused_adam_ is not available").And.Contain("libtrainer-no-such-libtorch.so"));
        Assert.That(optimizer, Is.TypeOf<TorchSharp.Modules.Adam>());
    }

    [Test]
    public void ALibraryWithoutTheKernelsNamesWhatIsMissing()
    {
        var libc = FusedKernels.Load("libc.so.6");

        Assert.That(libc.HasAdam, Is.False);
        Assert.That(libc.Reason, Does.Contain("does not export _fused_adam_, _fused_adamw_, _fused_sgd_"));
        Assert.That(OptimizerFactory.Choose(new OptimizerOptions { Kind = "momentum" }, libc).Implementation, Is.EqualTo(OptimizerImplementation.Managed));
    }

    [Test]
    public void AskingForFusedWhereItIsMissingIsARecipeErrorNamingTheField()
    {
        var missing = FusedKernels.Load("libtrainer-no-such-libtorch.so");

        var noKernel = Assert.Throws<RecipeException>(() => OptimizerFactory.Choose(new OptimizerOptions { Kind = "adam", Implementation = "fused" }, missing));
        var noFusedRmsprop = Assert.Throws<RecipeException>(() => OptimizerFactory.Choose(new OptimizerOptions { Kind = "rmsprop", Implementation = "fused" }));

        Assert.That(noKernel!.Message, Does.StartWith("Optimizer:Implementation is fused, but _fused_adam_ is not available").And.EndWith("use auto or managed."));
        Assert.That(noFusedRmsprop!.Message, Does.Contain("libtorch has no fused kernel for rmsprop"));
    }

    [Test]
    public void TheLoadedLibtorchProvidesAllThreeKernels()
    {
        var kernels = FusedKernels.Default;

        Assert.That((kernels.HasAdam, kernels.HasAdamW, kernels.HasSgd, kernels.Reason), Is.EqualTo((true, true, true, (string?)null)));
        Assert.That(OptimizerFactory.Choose(new OptimizerOptions { Kind = "adam" }).Reason, Does.Contain("_fused_adam_"));
        Assert.That(OptimizerFactory.Choose(new OptimizerOptions { Kind = "rmsprop" }).Implementation, Is.EqualTo(OptimizerImplementation.Managed));
    }
}
