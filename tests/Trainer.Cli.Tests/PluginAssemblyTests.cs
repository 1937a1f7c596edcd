using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Versioning;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>
/// A plugin built on its own (plugins/Example.Extensions, not referenced by the CLI) is loaded at run time from a
/// recipe's <c>Plugins</c> list: its callback and its model train a run; load problems are one clear line each.
/// </summary>
public sealed class PluginAssemblyTests
{
    private static string PluginFolder = "";

    [OneTimeSetUp]
    public static void BuildTheExamplePluginOnItsOwn()
    {
        PluginFolder = Path.Combine(Path.GetTempPath(), $"trainer-example-plugin-{Guid.NewGuid():N}");
        var project = Path.Combine(Repository.Root, "plugins", "Example.Extensions", "Example.Extensions.csproj");
        var start = new ProcessStartInfo("dotnet", ["build", project, "--no-dependencies", "-nologo", "-o", PluginFolder])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync();
        Assert.That(build.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "dotnet build of the example plugin timed out");
        Assert.That(build.ExitCode, Is.Zero, output.Result);
        Assert.That(File.Exists(Path.Combine(PluginFolder, "Example.Extensions.dll")));
        Assert.That(File.Exists(Path.Combine(PluginFolder, "Trainer.Core.dll")), Is.False, "the plugin shares the trainer's Trainer.Core");
    }

    [OneTimeTearDown]
    public static void RemoveTheBuild()
    {
        if (Directory.Exists(PluginFolder)) Directory.Delete(PluginFolder, recursive: true);
    }

    [Test]
    public void TheExampleRecipeTrainsThePluginsModelAndWritesItsConfusionMatrix()
    {
        using var folder = new TempFolder();
        var recipe = WriteRecipe(folder, $"\"Plugins\": [\"{Escape(PluginFolder)}\"],");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var matrix = File.ReadAllLines(folder.File("run/confusion-matrix.csv")).Skip(1)
            .Select(line => line.Split(',').Skip(1).Select(long.Parse).ToArray()).ToArray();
        Assert.That(matrix, Has.Length.EqualTo(10));
        var correct = Enumerable.Range(0, 10).Sum(i => matrix[i][i]);
        var total = matrix.Sum(row => row.Sum());
        var summary = RunSummaryFile.Read(folder.File("run"));
        Assert.That(total, Is.EqualTo(359), "the digits test split");
        Assert.That((double)correct / total, Is.EqualTo(summary.Metrics["test_accuracy"]).Within(1e-9), "the matrix's diagonal is the test accuracy");
        Assert.That(output, Does.Contain("class 0: recall"));
        using var resolved = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.File("run/recipe.json")));
        var model = resolved.RootElement.GetProperty("Model");
        Assert.That(model.GetProperty("Type").GetString(), Is.EqualTo("ResidualMlp"));
        Assert.That(model.GetProperty("Options").GetProperty("Width").GetInt32(), Is.EqualTo(32), "the plugin model's options are part of the run's recipe");
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix permissions")]
    [UnsupportedOSPlatform("windows")]
    public void APluginFolderOtherUsersCanWriteIsRefusedUnlessTheRecipeSaysItIsTrusted()
    {
        using var folder = new TempFolder();
        var shared = Directory.CreateDirectory(folder.File("shared-plugins")).FullName;
        foreach (var file in Directory.GetFiles(PluginFolder)) File.Copy(file, Path.Combine(shared, Path.GetFileName(file)));
        File.SetUnixFileMode(shared, (UnixFileMode)0b111_111_111); // drwxrwxrwx
        var recipe = WriteRecipe(folder, $"\"Plugins\": [\"{Escape(shared)}\"],");

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");
        var (trusted, _, trustedError) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "trusted", "--Trainer:AllowWritablePlugins=true");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(error.Trim(), Is.EqualTo($"error: Plugins:0: '{shared}' can be written by other users, so any of them could replace the code this run loads; " +
                                             "remove their write permission (chmod o-w), or set Trainer:AllowWritablePlugins=true if you trust them."));
        Assert.That(Directory.Exists(folder.File("run")), Is.False, "nothing is written");
        Assert.That(trusted, Is.EqualTo(ExitCodes.Completed), trustedError);
    }

    [Test]
    public void APluginScheduleSetsEachEpochsLearningRateByItsFormula()
    {
        using var folder = new TempFolder();
        var recipe = WriteRecipe(folder, $$"""
            "Plugins": ["{{Escape(PluginFolder)}}"],
            "Optimizer": { "Kind": "adam", "LearningRate": 0.004 },
            """, callbacks: """{ "Type": "WarmRestarts", "Options": { "CycleEpochs": 3, "MinFraction": 0.1 } }""");

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run", "--Training:Epochs=7");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var rates = File.ReadAllLines(folder.File("run/metrics.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var expected = Enumerable.Range(0, 7).Select(e => 0.0004 + (0.004 - 0.0004) * (1 + Math.Cos(Math.PI * (e % 3) / 3.0)) / 2).ToArray();
        Assert.That(rates, Is.EqualTo(expected).Within(1e-9), "α(e) = αmin + (α0 − αmin)(1 + cos(π (e mod C)/C))/2, restarting every 3 epochs");
    }

    [Test]
    public void APluginSamplerChoosesTheTrialsOfASearch()
    {
        using var folder = new TempFolder();
        var recipe = WriteRecipe(folder, $$"""
            "Plugins": ["{{Escape(PluginFolder)}}"],
            "Search": {
              "Study": "halton", "Objective": "val_accuracy", "Trials": 3,
              "Sampler": { "Type": "Halton", "Options": { "Skip": 1 } },
              "Space": { "Optimizer:LearningRate": { "Distribution": "LogUniform", "Min": 1e-4, "Max": 1e-1 } }
            },
            """, callbacks: "");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "search", recipe, "--storage", "sqlite:s.db", "--out", "study", "--Training:Epochs=1");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error + output);
        for (var trial = 0; trial < 3; trial++)
        {
            var resolved = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.File($"study/trials/trial-{trial:D4}/recipe.json")));
            var rate = resolved.RootElement.GetProperty("Optimizer").GetProperty("LearningRate").GetDouble();
            var u = HaltonBase2(trial + 1);
            Assert.That(Math.Log10(rate), Is.EqualTo(-4 + 3 * u).Within(1e-9), $"trial {trial}: the Halton point {u} on the log scale");
        }
    }

    /// <summary>The base-2 radical inverse: 1 → 0.5, 2 → 0.25, 3 → 0.75.</summary>
    private static double HaltonBase2(int index)
    {
        var (result, fraction) = (0.0, 0.5);
        for (var i = index; i > 0; i /= 2, fraction /= 2) result += (i % 2) * fraction;
        return result;
    }

    [Test]
    public void TheExampleRecipeInTheRepositoryNamesThePluginsBuildOutput()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "plugins", "Example.Extensions", "example-recipe.json"));
        Assert.That(text, Does.Contain("\"Plugins\": [ \"bin/Debug/net10.0/Example.Extensions.dll\" ]"));
        Assert.That(text, Does.Contain("\"Type\": \"ResidualMlp\"").And.Contain("\"Type\": \"ConfusionMatrix\""));
    }

    [Test]
    public void PluginsListsTheCallbacksAndModelsOfALoadedPlugin()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "plugins", "--plugin", PluginFolder);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        Assert.That(output, Does.Contain("ConfusionMatrix  (Example.Extensions.ConfusionMatrixCallback, Example.Extensions)"));
        Assert.That(output, Does.Contain("model ResidualMlp  (Example.Extensions.ResidualMlpModelFactory, Example.Extensions;"));
        Assert.That(output, Does.Contain("EarlyStopping"), "the built-in plugins are still listed");
    }

    [Test]
    public void APluginDataSourceNamedByTheRecipeTrainsTheRun()
    {
        using var folder = new TempFolder();
        var recipe = WriteRecipe(folder, $"\"Plugins\": [\"{Escape(PluginFolder)}\"],", callbacks: "",
            data: """{ "Source": "gaussian-blobs", "Options": { "Examples": 2000, "Classes": 4, "Features": 6, "Spread": 0.5, "Seed": 3 } }""");

        var (code, _, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run", "--Optimizer:Kind=adam", "--Optimizer:LearningRate=0.01");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var summary = RunSummaryFile.Read(folder.File("run"));
        Assert.That(summary.Metrics["test_accuracy"], Is.GreaterThan(0.9), "four well-separated blobs (chance is 0.25)");
        using var resolved = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.File("run/recipe.json")));
        var data = resolved.RootElement.GetProperty("Data");
        Assert.That(data.GetProperty("Source").GetString(), Is.EqualTo("gaussian-blobs"));
        Assert.That(data.GetProperty("Options").GetProperty("Classes").GetInt32(), Is.EqualTo(4), "the source's options are part of the run's recipe");
    }

    [Test]
    public void GradcheckBuildsThePluginDataSourceTheRecipeNames()
    {
        using var folder = new TempFolder();
        var recipe = WriteRecipe(folder, $"\"Plugins\": [\"{Escape(PluginFolder)}\"], \"Model\": {{ \"Hidden\": [8] }},", withModel: false, callbacks: "",
            data: """{ "Source": "gaussian-blobs", "Options": { "Examples": 200, "Features": 5 } }""");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "gradcheck", recipe, "--max-entries", "3");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error + output);
        Assert.That(output, Does.Match(@"layers\.fc1\.weight\s+\[8x5\]"), "the model's input is the source's 5 features");
    }

    [TestCase("""{ "Source": "gaussian-blob" }""",
        "error: Data:Source 'gaussian-blob' is not supported; use one of: digits, idx, csv, fashion-mnist, gaussian-blobs, image-folder.")]
    [TestCase("""{ "Source": "gaussian-blobs", "Options": { "Spread": -1 } }""", "error: Data:Options:Spread: The field Spread must be between 0 and 100.")]
    [TestCase("""{ "Source": "gaussian-blobs", "Options": { "Clases": 3 } }""", "error: Data:Options: ")]
    public void DataSourceMistakesNameTheField(string data, string expected)
    {
        using var folder = new TempFolder();
        var recipe = WriteRecipe(folder, $"\"Plugins\": [\"{Escape(PluginFolder)}\"],", callbacks: "", data: data);

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, expected, "");
    }

    [Test]
    public void PluginsListsTheDataSourcesBuiltInAndOfALoadedPlugin()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "plugins", "--plugin", PluginFolder);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        Assert.That(output, Does.Contain("data source csv  (built-in;"));
        Assert.That(output, Does.Contain("data source gaussian-blobs  (Example.Extensions.GaussianBlobsDataSource, Example.Extensions; " +
                                         "\"Data\": { \"Source\": \"gaussian-blobs\", \"Options\": {…} })"));
        Assert.That(output, Does.Match(@"\n\s+Spread\s+Double\s+default 1\s+Standard deviation of each blob around its centre\."));
    }

    [Test]
    public void AMissingPluginIsOneLineNamingTheEntryAndTheFix()
    {
        using var folder = new TempFolder();
        var recipe = WriteRecipe(folder, "\"Plugins\": [\"nowhere/MyCallbacks.dll\"],");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, "error: Plugins:0: 'nowhere/MyCallbacks.dll' does not exist (looked at ",
            "build the plugin project (dotnet build) and give its .dll or output folder.");
    }

    [Test]
    public void AFileThatIsNotADotNetAssemblyIsRefused()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("Fake.dll"), "not a portable executable");
        var recipe = WriteRecipe(folder, "\"Plugins\": [\"Fake.dll\"],");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, "error: Plugins:0: '", "Fake.dll' is not a .NET assembly; give the plugin's managed .dll.");
    }

    [Test]
    public void APluginBuiltForANewerFrameworkIsRefusedNamingTheTargetToUse()
    {
        using var folder = new TempFolder();
        EmitAssembly(folder.File("Future.dll"), "Future", ".NETCoreApp,Version=v99.0");
        var recipe = WriteRecipe(folder, "\"Plugins\": [\"Future.dll\"],");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, "error: Plugins:0: 'Future.dll' is built for net99.0, but Trainer runs on .NET ",
            "set <TargetFramework>net10.0</TargetFramework> in the plugin project.");
    }

    [Test]
    public void AFolderWhosePluginIsBuiltForANewerFrameworkSaysSo()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("future"));
        EmitAssembly(folder.File("future/Future.dll"), "Future", ".NETCoreApp,Version=v99.0");
        var recipe = WriteRecipe(folder, "\"Plugins\": [\"future\"],");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, "error: Plugins:0: 'Future.dll' is built for net99.0", "in the plugin project.");
    }

    [Test]
    public void APluginWhoseDependencyIsMissingFromItsFolderNamesTheDependency()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("broken"));
        // Broken.dll's callback derives from a class in Helpers.dll, which the folder lacks (as if copied without it).
        var helpers = EmitCallbackBase(folder.File("Helpers.dll"));
        EmitDerivedCallback(folder.File("broken/Broken.dll"), helpers);
        var recipe = WriteRecipe(folder, "\"Plugins\": [\"broken/Broken.dll\"],", withModel: false, callbacks: "");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, "error: Plugins: the types of 'Broken' could not be loaded (",
            "give the plugin's build output folder, which holds its dependencies and .deps.json.");
        Assert.That(error, Does.Contain("Helpers"), "the message names the missing assembly");
    }

    private static Type EmitCallbackBase(string path)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("Helpers"), typeof(object).Assembly);
        var type = assembly.DefineDynamicModule("Helpers").DefineType("Helpers.CallbackBase",
            TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Abstract, typeof(Trainer.Callbacks.TrainingCallback));
        type.DefineDefaultConstructor(MethodAttributes.Family);
        var created = type.CreateType();
        assembly.Save(path);
        return created;
    }

    private static void EmitDerivedCallback(string path, Type baseType)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("Broken"), typeof(object).Assembly);
        assembly.SetCustomAttribute(new CustomAttributeBuilder(typeof(TargetFrameworkAttribute).GetConstructor([typeof(string)])!, [".NETCoreApp,Version=v10.0"]));
        var type = assembly.DefineDynamicModule("Broken").DefineType("Broken.BrokenCallback", TypeAttributes.Public | TypeAttributes.Class, baseType);
        type.SetCustomAttribute(new CustomAttributeBuilder(typeof(Trainer.Callbacks.CallbackNameAttribute).GetConstructor([typeof(string)])!, ["Broken"]));
        type.DefineDefaultConstructor(MethodAttributes.Public);
        type.CreateType();
        assembly.Save(path);
    }

    [Test]
    public void AnAssemblyWithoutTrainerTypesIsRefused()
    {
        using var folder = new TempFolder();
        EmitAssembly(folder.File("Unrelated.dll"), "Unrelated", ".NETCoreApp,Version=v10.0");
        var recipe = WriteRecipe(folder, "\"Plugins\": [\"Unrelated.dll\"],");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, "error: Plugins:0: 'Unrelated.dll' does not reference Trainer.Core", "give the plugin's own assembly.");
    }

    [Test]
    public void TwoPluginsWithTheSameCallbackNameAreAnErrorNamingBoth()
    {
        using var folder = new TempFolder();
        var copy = folder.File("copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(PluginFolder)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var recipe = WriteRecipe(folder, $"\"Plugins\": [\"{Escape(PluginFolder)}\", \"copy\"],");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, "error: Plugins: Two plugins are named 'ConfusionMatrix': Example.Extensions.ConfusionMatrixCallback (Example.Extensions)",
            "rename one with [CallbackName].");
    }

    [TestCase("\"Model\": { \"Type\": \"ResNet\" },", "error: Model:Type 'ResNet' is not a known model; known: ResidualMlp.")]
    [TestCase("\"Model\": { \"Type\": \"ResidualMlp\", \"Options\": { \"Widht\": 64 } },", "error: Model:Options: ")]
    [TestCase("\"Model\": { \"Type\": \"ResidualMlp\", \"Options\": { \"Width\": 0 } },", "error: Model:Options:Width: ")]
    [TestCase("\"Model\": { \"Options\": { \"Width\": 64 } },", "error: Model:Options belongs to a plugin model: name it with Model:Type, or remove Model:Options.")]
    public void ModelMistakesNameTheField(string model, string expected)
    {
        using var folder = new TempFolder();
        var recipe = WriteRecipe(folder, $"\"Plugins\": [\"{Escape(PluginFolder)}\"], {model}", withModel: false);

        var (code, output, error) = TrainerProcess.Run(folder.Path, "run", recipe, "--run-dir", "run");

        AssertInvalid(code, output, error, folder, expected, "");
    }

    private static void AssertInvalid(int code, string output, string error, TempFolder folder, string startsWith, string endsWith)
    {
        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), output + error);
        var lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith(startsWith).And.EndWith(endsWith));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace for a user error");
        Assert.That(Directory.Exists(folder.File("run")), Is.False, "nothing is written before the input is valid");
    }

    private static string WriteRecipe(TempFolder folder, string extra, bool withModel = true, string callbacks = "{ \"Type\": \"ConfusionMatrix\" }",
        string data = "{ \"Source\": \"digits\" }")
    {
        var path = folder.File("recipe.json");
        File.WriteAllText(path, $$"""
            {
              "Name": "plugin-test",
              {{extra}}
              {{(withModel ? "\"Model\": { \"Type\": \"ResidualMlp\", \"Options\": { \"Width\": 32, \"Blocks\": 1 } }," : "")}}
              "Data": {{data}},
              "Training": { "Epochs": 3, "Seed": 7 },
              "Callbacks": [ {{callbacks}} ]
            }
            """);
        return path;
    }

    private static string Escape(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal);

    /// <summary>Writes a minimal assembly with the given target framework and no reference to Trainer.</summary>
    private static void EmitAssembly(string path, string name, string targetFramework)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName(name), typeof(object).Assembly);
        assembly.SetCustomAttribute(new CustomAttributeBuilder(typeof(TargetFrameworkAttribute).GetConstructor([typeof(string)])!, [targetFramework]));
        assembly.DefineDynamicModule(name).DefineType($"{name}.Marker", TypeAttributes.Public | TypeAttributes.Class).CreateType();
        assembly.Save(path);
    }
}
