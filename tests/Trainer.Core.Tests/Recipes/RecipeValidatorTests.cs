using Trainer.Recipes;

namespace Trainer.Tests.Recipes;

public sealed class RecipeValidatorTests
{
    [Test]
    public void TheDefaultRecipeIsValid() => Assert.That(RecipeValidator.Validate(new RecipeOptions()), Is.Empty);

    [Test]
    public void EveryProblemIsListedWithItsPath()
    {
        var recipe = new RecipeOptions
        {
            Data = new DataOptions { Source = "csv", ValidationFraction = 1.5 },
            Model = new ModelOptions { Activation = "swish", Hidden = [64, 0], Dropout = 1 },
            Optimizer = new OptimizerOptions { Kind = "lbfgs", LearningRate = -1, Beta2 = 1 },
            Training = new TrainingOptions { Epochs = 0, Device = "tpu" },
        };

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Data:Path is required when Data:Source is 'csv': set it to the CSV file.",
            "Data:ValidationFraction must be between 0 and 0.9 (got 1.5).",
            "Model:Activation 'swish' is not supported; use one of: relu, tanh, sigmoid, leaky-relu.",
            "Model:Hidden:1 must be at least 1 (got 0).",
            "Model:Dropout must be in [0, 1) (got 1).",
            "Optimizer:Kind 'lbfgs' is not supported; use one of: sgd, momentum, nesterov, rmsprop, adam, adamw.",
            "Optimizer:LearningRate must be a finite number greater than 0 (got -1).",
            "Optimizer:Beta2 must be in [0, 1) (got 1).",
            "Training:Epochs must be at least 1 (got 0).",
            "Training:Device 'tpu' is not a device; use auto, cpu, cuda or cuda:N.",
        }));
    }

    [Test]
    public void NormalisationMustBeANamedModeAndNotPerFeatureUnderAugmentation()
    {
        var unknown = new RecipeOptions { Data = new DataOptions { Normalize = "per-pixel" } };
        var perPixelAugmented = new RecipeOptions { Data = new DataOptions { Normalize = "per-feature", Augment = new AugmentOptions { HorizontalFlip = true } } };

        Assert.That(RecipeValidator.Validate(unknown), Is.EqualTo(new[]
        {
            "Data:Normalize 'per-pixel' is not supported; use one of: auto, per-feature, per-channel, none.",
        }));
        Assert.That(RecipeValidator.Validate(perPixelAugmented), Is.EqualTo(new[]
        {
            "Data:Normalize 'per-feature' standardises every pixel on its own, which flips and shifts (Data:Augment) do not commute with; " +
            "use per-channel (or auto) for images.",
        }));
        foreach (var accepted in new[] { "auto", "Per-Channel", "none", "true", "False" })
            Assert.That(RecipeValidator.Validate(new RecipeOptions { Data = new DataOptions { Normalize = accepted } }), Is.Empty, accepted);
    }

    [Test]
    public void ImageOptionsAndRandomCropAreChecked()
    {
        var recipe = new RecipeOptions
        {
            Data = new DataOptions
            {
                ImageSize = 0, Channels = 2, Resize = "fit", OnUnreadable = "ignore", Augment = new AugmentOptions { RandomCrop = 17, Shift = 2 },
            },
        };

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Data:Augment:RandomCrop must be between 0 and 16 pixels (got 17).",
            "Data:Augment:RandomCrop and Data:Augment:Shift are the same transform (pad, then crop at a random offset); set only one of them.",
            "Data:ImageSize must be at least 1 pixel (got 0); leave it out to keep the images' own size.",
            "Data:Channels must be 1 (grayscale) or 3 (RGB) (got 2).",
            "Data:Resize 'fit' is not supported; use one of: stretch, crop.",
            "Data:OnUnreadable 'ignore' is not supported; use one of: error, skip.",
        }));
        var valid = new DataOptions { ImageSize = 64, Channels = 1, Resize = "Crop", OnUnreadable = "skip", Augment = new AugmentOptions { RandomCrop = 4 } };
        Assert.That(RecipeValidator.Validate(new RecipeOptions { Data = valid }), Is.Empty);
    }

    [Test]
    public void CrossFieldRulesAreChecked()
    {
        var recipe = new RecipeOptions
        {
            Data = new DataOptions { Source = "IDX" },
            Model = new ModelOptions { BatchNorm = true },
            Optimizer = new OptimizerOptions { Kind = "nesterov", Momentum = 0 },
            Training = new TrainingOptions { BatchSize = 1 },
        };

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Data:Path is required when Data:Source is 'IDX': set it to the folder holding the IDX files.",
            "Optimizer:Momentum must be greater than 0 for nesterov (got 0).",
            "Training:BatchSize must be at least 2 when Model:BatchNorm is true: batch statistics of one example are meaningless.",
        }));
    }

    [TestCase("ftp://mirror.example/fashion-mnist/")]
    [TestCase("mirror.example/fashion-mnist")]
    [TestCase("/srv/fashion-mnist")]
    [TestCase("")]
    public void DownloadUrlMustBeAnAbsoluteHttpUrl(string url)
    {
        var recipe = new RecipeOptions { Data = new DataOptions { Source = "fashion-mnist", Download = true, DownloadUrl = url } };

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            $"Data:DownloadUrl '{url}' must be an absolute http or https URL, such as http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/.",
        }));
    }

    [TestCase("http://127.0.0.1:8080/mirror/")]
    [TestCase("https://mirror.example/fashion-mnist")]
    public void HttpAndHttpsDownloadUrlsAreAccepted(string url) =>
        Assert.That(RecipeValidator.Validate(new RecipeOptions { Data = new DataOptions { Source = "fashion-mnist", Download = true, DownloadUrl = url } }), Is.Empty);

    [Test]
    public void DownloadIsOnlyForFashionMnist()
    {
        var recipe = new RecipeOptions { Data = new DataOptions { Source = "idx", Path = "data", Download = true } };

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            "Data:Download is only supported when Data:Source is 'fashion-mnist' (got 'idx'); remove it and provide the files.",
        }));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void TrainLimitMustBeAtLeastOne(int limit)
    {
        var recipe = new RecipeOptions { Data = new DataOptions { TrainLimit = limit } };

        Assert.That(RecipeValidator.Validate(recipe), Is.EqualTo(new[]
        {
            $"Data:TrainLimit must be at least 1 (got {limit}); leave it out to train on the whole training split.",
        }));
    }

    [Test]
    public void ATrainLimitOfOneIsValid() =>
        Assert.That(RecipeValidator.Validate(new RecipeOptions { Data = new DataOptions { TrainLimit = 1 } }), Is.Empty);

    [TestCase("auto", "auto", null)]
    [TestCase("CPU", "cpu", null)]
    [TestCase("cuda", "cuda", null)]
    [TestCase("cuda:3", "cuda", 3)]
    public void DeviceStringsParse(string text, string kind, int? index)
    {
        Assert.That(DeviceSpec.TryParse(text, out var spec), Is.True);
        Assert.That(spec, Is.EqualTo(new DeviceSpec(kind, index)));
    }

    [TestCase("cuda:")]
    [TestCase("cuda:-1")]
    [TestCase("gpu")]
    public void BadDeviceStringsDoNotParse(string text) => Assert.That(DeviceSpec.TryParse(text, out _), Is.False);
}
