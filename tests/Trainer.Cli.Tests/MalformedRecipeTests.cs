using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>
/// A corpus of malformed recipes: each must exit with code 2, print one line that names the field or file, and show
/// no stack trace. Most are caught before anything is written; data-file problems fail the run and say why in its summary.
/// </summary>
public sealed class MalformedRecipeTests
{
    private const string Valid = """
        { "Name": "m", "Data": { "Source": "digits" }, "Model": { "Kind": "mlp", "Hidden": [16] },
          "Optimizer": { "Kind": "adam" }, "Training": { "Epochs": 1, "BatchSize": 64, "Device": "cpu" } }
        """;

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, string recipe, string expected, params string[] overrides) =>
            new TestCaseData(recipe, overrides, expected).SetName($"Malformed_{name}");
        TestCaseData Override(string name, string expected, params string[] overrides) => Case(name, Valid, expected, overrides);

        yield return Case("TruncatedJson", """{ "Name": "m", "Training": { "Epochs": 3 """, "is not valid JSON");
        yield return Case("TrailingGarbage", Valid + " }", "is not valid JSON");
        yield return Case("EmptyFile", "", "is not valid JSON");
        yield return Case("TopLevelArray", "[1, 2]", "is not valid JSON");
        yield return Override("EpochsNotANumber", "Training:Epochs 'abc' is not a whole number.", "--Training:Epochs=abc");
        yield return Override("EpochsNegative", "Training:Epochs must be at least 1 (got -1).", "--Training:Epochs=-1");
        yield return Override("BatchSizeZero", "Training:BatchSize must be at least 1 (got 0).", "--Training:BatchSize=0");
        yield return Override("DeviceUnknown", "Training:Device 'tpu' is not a device", "--Training:Device=tpu");
        yield return Override("SeedFractional", "Training:Seed '1.5' is not a whole number.", "--Training:Seed=1.5");
        yield return Override("ThreadsNegative", "Training:Threads must be 0 (libtorch default) or more (got -2).", "--Training:Threads=-2");
        yield return Override("TrainingKeyMisspelt", "Training:Epoch is not a recipe setting", "--Training:Epoch=3");
        yield return Override("OptimizerUnknown", "Optimizer:Kind 'adagrad' is not supported", "--Optimizer:Kind=adagrad");
        yield return Override("LearningRateZero", "Optimizer:LearningRate must be a finite number greater than 0 (got 0).", "--Optimizer:LearningRate=0");
        yield return Override("LearningRateText", "Optimizer:LearningRate 'fast' is not a number.", "--Optimizer:LearningRate=fast");
        yield return Override("Beta1One", "Optimizer:Beta1 must be in [0, 1) (got 1).", "--Optimizer:Beta1=1");
        yield return Override("Beta2Negative", "Optimizer:Beta2 must be in [0, 1) (got -0.1).", "--Optimizer:Beta2=-0.1");
        yield return Override("EpsilonZero", "Optimizer:Epsilon must be greater than 0 (got 0).", "--Optimizer:Epsilon=0");
        yield return Override("WeightDecayNegative", "Optimizer:WeightDecay must be 0 or more (got -1).", "--Optimizer:WeightDecay=-1");
        yield return Override("NesterovWithoutMomentum", "Optimizer:Momentum must be greater than 0 for nesterov (got 0).", "--Optimizer:Kind=nesterov", "--Optimizer:Momentum=0");
        yield return Override("ModelKindUnknown", "Model:Kind 'rnn' is not supported", "--Model:Kind=rnn");
        yield return Override("HiddenNotAList", "Model:Hidden 'abc' is not a list", "--Model:Hidden=abc");
        yield return Override("HiddenZeroWidth", "Model:Hidden:1 must be at least 1 (got 0).", "--Model:Hidden:1=0");
        yield return Override("ActivationUnknown", "Model:Activation 'swish' is not supported", "--Model:Activation=swish");
        yield return Override("InitUnknown", "Model:Init 'random' is not supported", "--Model:Init=random");
        yield return Override("DropoutOne", "Model:Dropout must be in [0, 1) (got 1).", "--Model:Dropout=1");
        yield return Override("BatchNormNotABoolean", "Model:BatchNorm 'yes' is not true or false.", "--Model:BatchNorm=yes");
        yield return Override("BatchNormWithBatchSizeOne", "Training:BatchSize must be at least 2 when Model:BatchNorm is true", "--Model:BatchNorm=true", "--Training:BatchSize=1");
        yield return Override("DataSourceUnknown", "Data:Source 'imagenet' is not supported", "--Data:Source=imagenet");
        yield return Override("ValidationFractionTooLarge", "Data:ValidationFraction must be between 0 and 0.9 (got 2).", "--Data:ValidationFraction=2");
        yield return Override("TestFractionZero", "Data:TestFraction must be greater than 0 and at most 0.9 (got 0).", "--Data:TestFraction=0");
        yield return Override("CsvWithoutPath", "Data:Path is required when Data:Source is 'csv'", "--Data:Source=csv");
        yield return Override("SectionMisspelt", "Trainig is not a recipe setting; sections are:", "--Trainig:Epochs=3");
        yield return Override("SectionGivenAValue", "Model must be a section (a JSON object with settings), not the value '5'.", "--Model=5");
        yield return Override("NameWithSlash", "Name 'a/b' must be a non-empty name usable in a file name (no control characters, '/', '\\' or ':').", "--Name=a/b");
        yield return Override("NameWithNewline", "Name 'a\\u000a[12:00:00 INF] forged' must be a non-empty name usable in a file name", "--Name=a\n[12:00:00 INF] forged");
        yield return Override("CallbackUnknown", "Callbacks:0:Type 'EarlyStoping' is not a known callback; known:", "--Callbacks:0:Type=EarlyStoping");
        yield return Override("CallbackWithoutType", "Callbacks:0:Type is required", "--Callbacks:0:Options:Patience=3");
        yield return Override("CallbackKeyMisspelt", "Callbacks:0:Typ is not a callback setting", "--Callbacks:0:Type=EarlyStopping", "--Callbacks:0:Typ=x");
        yield return Override("CallbackOptionOutOfRange", "Callbacks:0:Options:Patience: The field Patience must be between 1 and 100000.",
            "--Callbacks:0:Type=EarlyStopping", "--Callbacks:0:Options:Patience=0");
        yield return Override("CallbackOptionMisspelt", "'Patiance'", "--Callbacks:0:Type=EarlyStopping", "--Callbacks:0:Options:Patiance=3");
        yield return Override("CallbackOptionWrongType", "Callbacks:0:Options:", "--Callbacks:0:Type=EarlyStopping", "--Callbacks:0:Options:Patience=many");
        yield return Override("ScheduleMissingMilestones", "Callbacks:0:Options:Milestones: MultiStep needs Milestones",
            "--Callbacks:0:Type=LearningRateSchedule", "--Callbacks:0:Options:Schedule=MultiStep");
        yield return Override("ScheduleUnknown", "Callbacks:0:Options:", "--Callbacks:0:Type=LearningRateSchedule", "--Callbacks:0:Options:Schedule=Linear");
        yield return Override("SerilogLevelUnknown", "Serilog: ", "--Serilog:MinimumLevel=Loud");
        yield return Override("HiddenTooLarge", "Model:Hidden:0 '3000000000' is out of range; use a whole number from -2147483648 to 2147483647.",
            "--Model:Hidden:0=3000000000");
        yield return Override("EpochsTooLarge", "Training:Epochs '99999999999' is out of range", "--Training:Epochs=99999999999");
        yield return Override("NormalizeUnknown", "Data:Normalize 'per-pixel' is not supported; use one of: auto, per-feature, per-channel, none.", "--Data:Normalize=per-pixel");
        yield return Override("NormalizePerFeatureWithAugmentation", "Data:Normalize 'per-feature' standardises every pixel on its own",
            "--Data:Normalize=per-feature", "--Data:Augment:HorizontalFlip=true");
        yield return Override("MkldnnUnknown", "Training:Mkldnn 'maybe' is not supported; use one of: auto, on, off.", "--Training:Mkldnn=maybe");
        yield return Override("ThreadsTooMany", "Training:Threads must be at most 1024 (got 100000); use 0 for one per core.", "--Training:Threads=100000");
        yield return Override("RhoOne", "Optimizer:Rho must be in [0, 1) (got 1).", "--Optimizer:Rho=1");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task ExitsTwoWithOneLineNamingTheFieldAndNoStackTrace(string recipe, string[] overrides, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("recipe.json");
        File.WriteAllText(path, recipe);
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await TrainerCommandLine.InvokeAsync(["run", path, "--run-dir", folder.File("run"), .. overrides], output, error);

        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), error.ToString());
        Assert.That(lines, Has.Length.EqualTo(1), error.ToString());
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(expected));
        Assert.That(error.ToString(), Does.Not.Contain("   at "));
        Assert.That(Directory.Exists(folder.File("run")), Is.False, "nothing is written for a recipe that does not check out");
    }

    public static IEnumerable<TestCaseData> DataFileCases()
    {
        yield return new TestCaseData("csv", "missing.csv", null, "Data:Path file '{0}' does not exist.").SetName("DataFile_MissingCsv");
        yield return new TestCaseData("csv", "folder", "folder", "Data:Path '{0}' is a folder; give the CSV file.").SetName("DataFile_FolderForCsv");
        yield return new TestCaseData("csv", "bad.csv", "1,2,0\n1,x,1\n", "Data file '{0}' line 2 column 2: 'x' is not a finite number.").SetName("DataFile_CsvNotNumeric");
        yield return new TestCaseData("idx", "idx", "idx-corrupt", "Data file '{0}' is not a valid IDX file").SetName("DataFile_CorruptIdx");
        yield return new TestCaseData("csv", "one-line.csv", "huge-line",
            "Data file '{0}' line 1 is longer than 4 MiB without a line break; is it a CSV file with one row per line?").SetName("DataFile_CsvWithoutLineBreaks");
        yield return new TestCaseData("idx", "empty", "folder", "Data file '{0}[.gz]' does not exist; Data:Path must hold the four IDX files.").SetName("DataFile_MissingIdx");
    }

    [TestCaseSource(nameof(DataFileCases))]
    public void ADataFileProblemExitsTwoAndTheSummarySaysWhy(string source, string name, string? content, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File(name);
        string named = path;
        switch (content)
        {
            case "folder":
                Directory.CreateDirectory(path);
                named = source == "idx" ? Path.Combine(path, "train-images-idx3-ubyte") : path;
                break;
            case "idx-corrupt":
                Directory.CreateDirectory(path);
                foreach (var file in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
                    File.WriteAllBytes(Path.Combine(path, file), [1, 2, 3]);
                named = Path.Combine(path, "train-images-idx3-ubyte");
                break;
            case "huge-line":
                File.WriteAllText(path, string.Concat(Enumerable.Repeat("1,", 3 << 20))); // 6 MiB, no line break
                break;
            case not null:
                File.WriteAllText(path, content);
                break;
        }
        File.WriteAllText(folder.File("recipe.json"), Valid);

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", "recipe.json", "--run-dir", "run", $"--Data:Source={source}", $"--Data:Path={name}");

        var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, named);
        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain(message).And.Not.Contain("   at "));
        Assert.That(RunSummaryFile.Read(folder.File("run")).Error, Does.StartWith(message));
    }
}
