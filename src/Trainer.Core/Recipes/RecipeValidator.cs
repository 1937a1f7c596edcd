using System.Globalization;
using Trainer.Data;

namespace Trainer.Recipes;

/// <summary>Checks a bound recipe and lists every problem at once, each naming its configuration path.</summary>
public static class RecipeValidator
{
    /// <summary>The built-in values of <c>Data:Source</c> (plugins add more; the host checks the name against both).</summary>
    public static readonly IReadOnlyList<string> DataSources = ["digits", "idx", "csv", "fashion-mnist"];
    /// <summary>Accepted values of <c>Data:Loading</c>.</summary>
    public static readonly IReadOnlyList<string> DataLoadingModes = ["auto", "memory", "stream"];

    /// <summary>Accepted values of <c>Data:Cache</c>.</summary>
    public static readonly IReadOnlyList<string> DataCacheModes = ["none", "disk"];
    /// <summary>Accepted values of <c>Model:Kind</c>.</summary>
    public static readonly IReadOnlyList<string> ModelKinds = ["mlp", "cnn"];
    /// <summary>Accepted values of <c>Model:Activation</c>.</summary>
    public static readonly IReadOnlyList<string> Activations = ["relu", "tanh", "sigmoid", "leaky-relu"];
    /// <summary>Accepted values of <c>Model:Init</c>.</summary>
    public static readonly IReadOnlyList<string> InitSchemes = ["he", "xavier", "lecun", "normal-0.01", "zeros"];
    /// <summary>Accepted values of <c>Optimizer:Kind</c>.</summary>
    public static readonly IReadOnlyList<string> OptimizerKinds = ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"];

    /// <summary>The most intra-op threads a recipe may ask for (libtorch starts them all; far more than cores only slows it down).</summary>
    public const int MaxThreads = 1024;

    /// <summary>Returns every problem of <paramref name="recipe"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(RecipeOptions recipe)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(recipe.Name) || recipe.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || recipe.Name.Any(char.IsControl) ||
            recipe.Name.IndexOfAny(['/', '\\', ':']) >= 0 || recipe.Name is "." or "..")
            errors.Add($"Name '{Printable(recipe.Name)}' must be a non-empty name usable in a file name (no control characters, '/', '\\' or ':').");

        var d = recipe.Data;
        var source = d.Source.ToLowerInvariant();
        if (source is "idx" or "csv" && string.IsNullOrWhiteSpace(d.Path))
            errors.Add($"Data:Path is required when Data:Source is '{d.Source}': set it to the " +
                       (source == "idx" ? "folder holding the IDX files." : "CSV file."));
        Range(errors, "Data:ValidationFraction", d.ValidationFraction, 0, 0.9);
        if (!NormalizationModes.TryParse(d.Normalize, out var normalization))
            errors.Add($"Data:Normalize '{d.Normalize}' is not supported; use one of: {string.Join(", ", NormalizationModes.Names)}.");
        else if (normalization == NormalizationMode.PerFeature && d.Augment.Enabled)
            errors.Add("Data:Normalize 'per-feature' standardises every pixel on its own, which flips and shifts (Data:Augment) do not commute with; " +
                       "use per-channel (or auto) for images.");
        if (d.Augment.Shift is < 0 or > 16) errors.Add($"Data:Augment:Shift must be between 0 and 16 pixels (got {d.Augment.Shift}).");
        if (d.Augment.RandomCrop is < 0 or > 16) errors.Add($"Data:Augment:RandomCrop must be between 0 and 16 pixels (got {d.Augment.RandomCrop}).");
        if (d.Augment.RandomCrop > 0 && d.Augment.Shift > 0)
            errors.Add("Data:Augment:RandomCrop and Data:Augment:Shift are the same transform (pad, then crop at a random offset); set only one of them.");
        if (d.ImageSize is < 1) errors.Add($"Data:ImageSize must be at least 1 pixel (got {d.ImageSize}); leave it out to keep the images' own size.");
        if (d.Channels is not (1 or 3)) errors.Add($"Data:Channels must be 1 (grayscale) or 3 (RGB) (got {d.Channels}).");
        OneOf(errors, "Data:Resize", d.Resize, ["stretch", "crop"]);
        OneOf(errors, "Data:OnUnreadable", d.OnUnreadable, ["error", "skip"]);
        if (!(d.TestFraction > 0 && d.TestFraction <= 0.9))
            errors.Add($"Data:TestFraction must be greater than 0 and at most 0.9 (got {F(d.TestFraction)}).");
        if (d.Download && source != "fashion-mnist" && DataSources.Contains(source))
            errors.Add($"Data:Download is only supported when Data:Source is 'fashion-mnist' (got '{d.Source}'); remove it and provide the files.");
        if (d.DownloadUrl is not null && !IsHttpUrl(d.DownloadUrl))
            errors.Add($"Data:DownloadUrl '{d.DownloadUrl}' must be an absolute http or https URL, such as {FashionMnistDataSource.DefaultDownloadUrl}.");
        if (d.Classes is { } classes && (classes.Length < 2 || classes.Distinct().Count() != classes.Length || classes.Any(c => c < 0)))
            errors.Add($"Data:Classes [{string.Join(", ", classes)}] must list at least two distinct class indices of 0 or more, such as [0, 6]; " +
                       "leave it out to keep every class.");
        if (d.TrainLimit is < 1)
            errors.Add($"Data:TrainLimit must be at least 1 (got {d.TrainLimit}); leave it out to train on the whole training split.");
        TableRules(errors, d, source);
        OneOf(errors, "Data:Loading", d.Loading, DataLoadingModes);
        if (d.MemoryBudgetMB < 0) errors.Add($"Data:MemoryBudgetMB must be 0 (half the available memory) or more (got {d.MemoryBudgetMB}).");
        if (d.Workers is < 1 or > 64) errors.Add($"Data:Workers must be between 1 and 64 (got {d.Workers}).");
        if (d.Prefetch is < 1 or > 1024) errors.Add($"Data:Prefetch must be between 1 and 1024 batches (got {d.Prefetch}).");
        OneOf(errors, "Data:Cache", d.Cache, DataCacheModes);

        var m = recipe.Model;
        if (m.Type is null) OneOf(errors, "Model:Kind", m.Kind, ModelKinds);
        OneOf(errors, "Model:Activation", m.Activation, Activations);
        OneOf(errors, "Model:Init", m.Init, InitSchemes);
        for (var i = 0; i < (m.Hidden?.Length ?? 0); i++)
            if (m.Hidden![i] < 1) errors.Add($"Model:Hidden:{i} must be at least 1 (got {m.Hidden[i]}).");
        for (var i = 0; i < (m.Channels?.Length ?? 0); i++)
            if (m.Channels![i] < 1) errors.Add($"Model:Channels:{i} must be at least 1 (got {m.Channels[i]}).");
        if (!(m.Dropout >= 0 && m.Dropout < 1))
            errors.Add($"Model:Dropout must be in [0, 1) (got {F(m.Dropout)}).");
        if (!(m.LeakySlope >= 0 && m.LeakySlope < 1))
            errors.Add($"Model:LeakySlope must be in [0, 1) (got {F(m.LeakySlope)}).");
        TransferRules(errors, m);

        var o = recipe.Optimizer;
        OneOf(errors, "Optimizer:Kind", o.Kind, OptimizerKinds);
        OneOf(errors, "Optimizer:Implementation", o.Implementation, ["auto", "fused", "managed"]);
        if (!(o.LearningRate > 0 && double.IsFinite(o.LearningRate)))
            errors.Add($"Optimizer:LearningRate must be a finite number greater than 0 (got {F(o.LearningRate)}).");
        Below1(errors, "Optimizer:Momentum", o.Momentum);
        if (o.Kind.Equals("nesterov", StringComparison.OrdinalIgnoreCase) && !(o.Momentum > 0))
            errors.Add($"Optimizer:Momentum must be greater than 0 for nesterov (got {F(o.Momentum)}).");
        Below1(errors, "Optimizer:Beta1", o.Beta1);
        Below1(errors, "Optimizer:Beta2", o.Beta2);
        Below1(errors, "Optimizer:Rho", o.Rho);
        if (!(o.Epsilon > 0)) errors.Add($"Optimizer:Epsilon must be greater than 0 (got {F(o.Epsilon)}).");
        if (!(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay)))
            errors.Add($"Optimizer:WeightDecay must be 0 or more (got {F(o.WeightDecay)}).");

        var t = recipe.Training;
        if (t.Epochs < 1) errors.Add($"Training:Epochs must be at least 1 (got {t.Epochs}).");
        if (t.BatchSize < 1) errors.Add($"Training:BatchSize must be at least 1 (got {t.BatchSize}).");
        else if (t.BatchSize < 2 && m.BatchNorm)
            errors.Add("Training:BatchSize must be at least 2 when Model:BatchNorm is true: batch statistics of one example are meaningless.");
        if (t.MemoryLimitMB < 0) errors.Add($"Training:MemoryLimitMB must be 0 (no check) or more (got {t.MemoryLimitMB}).");
        if (t.Threads < 0) errors.Add($"Training:Threads must be 0 (libtorch default) or more (got {t.Threads}).");
        else if (t.Threads > MaxThreads) errors.Add($"Training:Threads must be at most {MaxThreads} (got {t.Threads}); use 0 for one per core.");
        if (t.NonFiniteCheckEvery < 0) errors.Add($"Training:NonFiniteCheckEvery must be 0 (epoch end only) or more (got {t.NonFiniteCheckEvery}).");
        OneOf(errors, "Training:Mkldnn", t.Mkldnn, ["auto", "on", "off"]);
        if (!DeviceSpec.TryParse(t.Device, out _))
            errors.Add($"Training:Device '{t.Device}' is not a device; use auto, cpu, cuda or cuda:N.");

        // Callbacks are checked where they are built, by the plugin catalog: their types and options in one pass.
        return errors;
    }

    /// <summary>Model:InitFrom, Model:InitFromSkip and Model:Freeze: a path that is not blank, patterns that are not empty.</summary>
    private static void TransferRules(List<string> errors, ModelOptions m)
    {
        if (m.InitFrom is { } from && string.IsNullOrWhiteSpace(from))
            errors.Add("Model:InitFrom is empty: give a model package folder, a run directory, a checkpoint (.ckpt), TorchSharp weights (.dat, .bin) " +
                       "or a PyTorch state_dict (.pt, .pth), or leave it out.");
        if (m.InitFromSkip is { Length: > 0 } && m.InitFrom is null)
            errors.Add("Model:InitFromSkip applies only with Model:InitFrom: set Model:InitFrom, or remove Model:InitFromSkip.");
        foreach (var (path, patterns) in new[] { ("Model:InitFromSkip", m.InitFromSkip), ("Model:Freeze", m.Freeze) })
            for (var i = 0; i < (patterns?.Length ?? 0); i++)
                if (string.IsNullOrWhiteSpace(patterns![i]))
                    errors.Add($"{path}:{i} is empty; give a tensor name pattern such as \"layers.fc1.*\" (* matches any characters, ? one).");
    }

    /// <summary>The csv table settings: one delimiter character, the modes, and no table setting without <c>Data:Target</c>.</summary>
    private static void TableRules(List<string> errors, DataOptions d, string source)
    {
        if (d.Delimiter is not { Length: 1 } || !IsDelimiter(d.Delimiter[0]))
            errors.Add($"Data:Delimiter '{Printable(d.Delimiter ?? "")}' must be one character other than a quote or a line break, such as ',', ';' or a tab.");
        OneOf(errors, "Data:MissingValues", d.MissingValues, TableEncoder.MissingValueModes);
        OneOf(errors, "Data:UnseenCategory", d.UnseenCategory, TableEncoder.UnseenCategoryModes);
        if (d.Target is { } target && string.IsNullOrWhiteSpace(target))
            errors.Add("Data:Target must name the target column of the file's header row; leave it out for a headerless file with the label last.");
        if (d.Target is not null || source != "csv") return;
        (string Name, bool Set)[] tableOnly =
        [
            ("Features", d.Features is not null), ("Categorical", d.Categorical is not null),
            ("MissingValues", !string.Equals(d.MissingValues, "error", StringComparison.OrdinalIgnoreCase)),
            ("UnseenCategory", !string.Equals(d.UnseenCategory, "error", StringComparison.OrdinalIgnoreCase)),
        ];
        foreach (var (name, _) in tableOnly.Where(t => t.Set))
            errors.Add($"Data:{name} applies to a table with a header row: name its target column in Data:Target.");
    }

    private static bool IsDelimiter(char c)
    {
        if (c is '"' or '\n' or '\r') return false;
        try
        {
            _ = nietras.SeparatedValues.Sep.New(c);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void OneOf(List<string> errors, string path, string value, IReadOnlyList<string> accepted)
    {
        if (!accepted.Contains(value, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{path} '{value}' is not supported; use one of: {string.Join(", ", accepted)}.");
    }

    private static void Range(List<string> errors, string path, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
            errors.Add($"{path} must be between {F(min)} and {F(max)} (got {F(value)}).");
    }

    private static void Below1(List<string> errors, string path, double value)
    {
        if (!(value >= 0 && value < 1)) errors.Add($"{path} must be in [0, 1) (got {F(value)}).");
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary><paramref name="text"/> with control characters written as \uXXXX, so an error about it stays one line.</summary>
    public static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
