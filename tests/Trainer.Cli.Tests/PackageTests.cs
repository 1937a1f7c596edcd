using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>
/// Packs the solution as README.md's "Packages" section says (<c>dotnet pack -c Release -o DIR</c>) once, into a
/// temporary folder with its own build and intermediate folders (UseArtifactsOutput), so it neither reads nor
/// writes the repository's bin/ and obj/ that a concurrent build of the same projects uses. Then checks the
/// library packages, installs the trainer tool from the folder and runs it, and builds an application against the
/// library packages. Nothing is fetched from the network: every restore reads the NuGet global packages folder that
/// restoring this solution filled (the tool package has no dependencies).
/// </summary>
[NonParallelizable]
public sealed partial class PackageTests
{
    private static readonly string[] Libraries =
    [
        "Trainer.Agent", "Trainer.Core", "Trainer.Hosting", "Trainer.Plugins.Checkpoints", "Trainer.Plugins.EarlyStopping",
        "Trainer.Plugins.GradientCheck", "Trainer.Plugins.ImageFolder", "Trainer.Plugins.LearningRate", "Trainer.Plugins.RunningStats",
        "Trainer.Plugins.TensorBoard", "Trainer.Reports", "Trainer.Search", "Trainer.Terminal", "Trainer.Testing",
    ];

    private static readonly string[] BuiltInPlugins =
        ["Checkpoint", "EarlyStopping", "GradientCheck", "LayerStats", "LearningRateSchedule", "RunningStats", "TensorBoard"];

    private TempFolder folder = null!;
    private string packages = null!;
    private string version = null!;
    private string? tool;

    private static string Rid =>
        OperatingSystem.IsWindows() ? "win-x64" : OperatingSystem.IsMacOS() ? "osx-arm64" : "linux-x64";

    [OneTimeSetUp]
    public void PackTheSolution()
    {
        version = Property("Directory.Build.props", "VersionPrefix");
        folder = new TempFolder();
        packages = folder.File("packages");
        var clock = Stopwatch.StartNew();
        // Restored from the global packages folder alone (restoring the solution for this test run filled it): no network.
        DotnetCommand.Run(Repository.Root, TimeSpan.FromMinutes(20),
            "pack", Path.Combine(Repository.Root, "Trainer.sln"), "-c", "Release", "-o", packages,
            "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={folder.File("build")}", "--source", GlobalPackagesFolder(),
            "-nodeReuse:false");
        TestContext.Progress.WriteLine($"PackageTests: packed the solution in {clock.Elapsed.TotalSeconds:0} s.");
    }

    [OneTimeTearDown]
    public void DeleteTheFolder() => folder?.Dispose();

    [Test]
    public void TheLibrariesAndTheToolArePackedAndNothingElse()
    {
        var packed = Directory.GetFiles(packages, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.That(packed, Is.EqualTo(Libraries.Append("trainer").Select(id => $"{id}.{version}.nupkg").Order(StringComparer.Ordinal)));
    }

    [TestCaseSource(nameof(Libraries))]
    public void ALibraryPackageHasItsReadmeLicenseXmlDocsAndSymbols(string id)
    {
        using var package = ZipFile.OpenRead(Package(id));
        var metadata = Nuspec(package);
        var files = package.Entries.Select(e => e.FullName).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(Text(metadata, "id"), Is.EqualTo(id));
            Assert.That(Text(metadata, "version"), Is.EqualTo(version));
            Assert.That(Text(metadata, "description"), Is.Not.Empty);
            Assert.That(metadata.Element(metadata.Name.Namespace + "license")?.Attribute("type")?.Value, Is.EqualTo("expression"));
            Assert.That(Text(metadata, "license"), Is.EqualTo("MIT"));
            Assert.That(Text(metadata, "readme"), Is.EqualTo("README.md"));
            Assert.That(files, Does.Contain($"lib/net10.0/{id}.dll"));
            Assert.That(files, Does.Contain($"lib/net10.0/{id}.xml"), "XML documentation");
        });
        using (var readme = new StreamReader(package.GetEntry("README.md")!.Open()))
            Assert.That(readme.ReadToEnd(), Does.StartWith($"# {id}").And.Contain($"dotnet add package {id}").And.Contain("libtorch-cpu-linux-x64"));

        var symbols = Path.ChangeExtension(Package(id), ".snupkg");
        Assert.That(symbols, Does.Exist);
        using var symbolPackage = ZipFile.OpenRead(symbols);
        Assert.That(symbolPackage.Entries.Select(e => e.FullName), Does.Contain($"lib/net10.0/{id}.pdb"));
    }

    [Test]
    public void LibraryPackagesDependOnTheManagedTorchSharpAndLeaveTheNativeBackendToTheApplication()
    {
        var dependencies = Libraries.ToDictionary(id => id, Dependencies);

        Assert.Multiple(() =>
        {
            Assert.That(dependencies["Trainer.Core"], Does.ContainKey("TorchSharp"));
            foreach (var (id, ids) in dependencies)
            {
                Assert.That(ids.Keys, Has.None.StartWith("libtorch").IgnoreCase, id);
                Assert.That(ids.Keys, Has.None.StartWith("TorchSharp-").IgnoreCase, id);
                // Each library depends on Trainer.Core, directly or through another Trainer library, of its own version.
                var trainer = ids.Where(d => d.Key.StartsWith("Trainer.", StringComparison.Ordinal)).ToList();
                if (id != "Trainer.Core") Assert.That(trainer.Select(d => d.Value), Is.Not.Empty.And.All.EqualTo(version), id);
            }
        });
        using var core = ZipFile.OpenRead(Package("Trainer.Core"));
        Assert.That(core.GetEntry("buildTransitive/Trainer.Core.targets"), Is.Not.Null, "the libLibTorchSharp.so patch for applications");
    }

    [Test]
    public void TheToolPackageCarriesTheProgramThePluginsAndTheNativeLibraries()
    {
        using var package = ZipFile.OpenRead(Package("trainer"));
        var metadata = Nuspec(package);
        var files = package.Entries.Select(e => e.FullName).ToList();
        const string toolFolder = "tools/net10.0/any/";

        Assert.Multiple(() =>
        {
            Assert.That(metadata.Descendants(metadata.Name.Namespace + "packageType").Select(t => t.Attribute("name")?.Value), Does.Contain("DotnetTool"));
            Assert.That(Text(metadata, "readme"), Is.EqualTo("README.md"));
            Assert.That(files, Does.Contain("README.md"));
            Assert.That(files, Does.Contain(toolFolder + "DotnetToolSettings.xml"));
            Assert.That(files, Does.Contain(toolFolder + "trainer.dll"));
            foreach (var plugin in Libraries.Where(l => l.StartsWith("Trainer.Plugins.", StringComparison.Ordinal)))
                Assert.That(files, Does.Contain($"{toolFolder}{plugin}.dll"));
            Assert.That(files, Has.Some.Matches<string>(f => f.StartsWith($"{toolFolder}runtimes/{Rid}/native/", StringComparison.Ordinal) && f.Contains("torch_cpu", StringComparison.Ordinal)),
                "the native libtorch of this OS");
            Assert.That(files, Has.None.Matches<string>(f => f.StartsWith(toolFolder + "runtimes/", StringComparison.Ordinal) && f.EndsWith(".pdb", StringComparison.Ordinal)),
                "native debug symbols are left out");
        });
        TestContext.Progress.WriteLine($"PackageTests: the tool package is {new FileInfo(Package("trainer")).Length / 1e6:0} MB.");
    }

    [Test]
    [Platform("Linux", Reason = "libLibTorchSharp.so is patched when the tool is packed on Linux")]
    public void TheToolsLibTorchSharpNeedsGlibcxx3432OnlyWeakly()
    {
        using var package = ZipFile.OpenRead(Package("trainer"));
        var entry = package.GetEntry("tools/net10.0/any/runtimes/linux-x64/native/libLibTorchSharp.so")!;
        using var bytes = new MemoryStream();
        using (var stream = entry.Open()) stream.CopyTo(bytes);

        var needs = ElfVersionNeeds.Read(bytes.ToArray());

        Assert.That(needs, Does.ContainKey("GLIBCXX_3.4.32"));
        Assert.That(needs["GLIBCXX_3.4.32"] & ElfVersionNeeds.Weak, Is.EqualTo(ElfVersionNeeds.Weak));
        Assert.That(needs["GLIBCXX_3.4.21"] & ElfVersionNeeds.Weak, Is.Zero, "only the one need is weakened");
    }

    [Test]
    public void TheInstalledToolTrainsTheEmbeddedQuickstart()
    {
        var trainer = InstallTheTool();
        var work = Directory.CreateDirectory(folder.File("work-run")).FullName;

        var (code, output) = DotnetCommand.TryRunProgram(trainer, work, TimeSpan.FromMinutes(3), "run", "--Training:Epochs=2", "--run-dir", "run");

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), output);
        var summary = RunSummaryFile.Read(Path.Combine(work, "run"));
        Assert.That(summary.Status, Is.EqualTo("completed"));
        Assert.That(summary.Epochs, Is.EqualTo(2));
        Assert.That(output, Does.Contain("Epoch 2/2"));
    }

    [Test]
    public void TheInstalledToolListsTheBuiltInPlugins()
    {
        var trainer = InstallTheTool();

        var output = DotnetCommand.RunProgram(trainer, folder.Path, TimeSpan.FromMinutes(1), "plugins");

        var names = output.Split('\n').Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0])).Select(l => l.Split(' ')[0].Trim());
        Assert.That(names, Is.SupersetOf(BuiltInPlugins));
    }

    [Test]
    public void AnApplicationReferencingTheLibraryPackagesAndABackendBuildsAndRuns()
    {
        var app = Directory.CreateDirectory(folder.File("app")).FullName;
        var globalPackages = GlobalPackagesFolder();
        // Trainer's packages from the packed folder, everything else from the global packages folder, read in place
        // (a fallback folder): no network, and the packages restored for the app go to its own folder.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="trainer" value="{packages}" />
                <add key="global-packages" value="{globalPackages}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Path.Combine(app, "packages")}</RestorePackagesPath>
                <RestoreFallbackFolders>{globalPackages}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Trainer.Hosting" Version="{version}" />
                <PackageReference Include="Trainer.Plugins.EarlyStopping" Version="{version}" />
                <PackageReference Include="libtorch-cpu-{Rid}" Version="{Property("Directory.Packages.props", "LibTorchVersion")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Trainer.Hosting.Plugins;
            Console.WriteLine("plugins: " + string.Join(",", PluginCatalog.FromApplicationDirectory().Plugins.Select(p => p.Name)));
            using var x = TorchSharp.torch.ones(2, 3);
            Console.WriteLine("sum: " + x.sum().item<float>());
            """);

        DotnetCommand.Run(app, TimeSpan.FromMinutes(10), "build", "-nodeReuse:false");
        var output = DotnetCommand.Run(app, TimeSpan.FromMinutes(1), Path.Combine(app, "bin", "Debug", "net10.0", "App.dll"));

        Assert.That(output, Does.Contain("plugins: EarlyStopping"));
        Assert.That(output, Does.Contain("sum: 6"));
        // Hosting is the small composition root: search stores, plots and the terminal UI come only with their packages.
        var assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        Assert.That(new[] { "Npgsql/", "Microsoft.Data.Sqlite/", "ScottPlot/", "Spectre.Console/" }.Where(assets.Contains), Is.Empty);
    }

    [Test]
    public void TheCallbackTemplateMakesAPluginThatBuildsAgainstThePackagesAndTrains()
    {
        var hive = folder.File("template-hive"); // a private template store: the user's own is left alone
        var generated = folder.File("Acme.Callbacks");
        var globalPackages = GlobalPackagesFolder();
        DotnetCommand.Run(folder.Path, TimeSpan.FromMinutes(2),
            "new", "install", Path.Combine(Repository.Root, "plugins", "Trainer.Templates", "trainer-callback"), "--debug:custom-hive", hive);
        DotnetCommand.Run(folder.Path, TimeSpan.FromMinutes(2),
            "new", "trainer-callback", "-n", "Acme.Callbacks", "-o", generated, "--PackagesFolder", packages,
            "--TrainerVersion", version, "--debug:custom-hive", hive);
        Assert.That(File.ReadAllText(Path.Combine(generated, "nuget.config")), Does.Contain(packages));

        // Trainer.Core from the packed folder; restored into the project's own folder, so the NuGet cache never holds it.
        DotnetCommand.Run(generated, TimeSpan.FromMinutes(5), "build", "--source", packages, "--source", globalPackages,
            $"-p:RestorePackagesPath={Path.Combine(generated, "packages")}", $"-p:RestoreFallbackFolders={globalPackages}", "-nodeReuse:false");
        var (listCode, listing, _) = TrainerProcess.Run(generated, "plugins", "--plugin", Path.Combine("bin", "Debug", "net10.0"));
        var (runCode, output, error) = TrainerProcess.Run(generated, "run", "recipe.json", "--run-dir", "run");

        Assert.That(listCode, Is.EqualTo(ExitCodes.Completed));
        Assert.That(listing, Does.Contain("StopAtTarget  (Acme.Callbacks.StopAtTargetCallback, Acme.Callbacks)"));
        Assert.That(runCode, Is.EqualTo(ExitCodes.Completed), error);
        var summary = RunSummaryFile.Read(Path.Combine(generated, "run"));
        Assert.That(summary.StopReason, Is.EqualTo("target-reached"));
        Assert.That(summary.Metrics["val_accuracy"], Is.GreaterThanOrEqualTo(0.95));
        Assert.That(output, Does.Contain("reached the target 0.95"));
    }

    private string Package(string id) => Path.Combine(packages, $"{id}.{version}.nupkg");

    private string InstallTheTool()
    {
        if (tool is not null) return tool;
        var config = folder.File("tool-nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="trainer" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var tools = folder.File("tools");
        var clock = Stopwatch.StartNew();
        DotnetCommand.Run(folder.Path, TimeSpan.FromMinutes(10),
            "tool", "install", "trainer", "--tool-path", tools, "--configfile", config, "--version", version);
        TestContext.Progress.WriteLine($"PackageTests: installed the tool in {clock.Elapsed.TotalSeconds:0} s.");
        tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "trainer.exe" : "trainer");
        Assert.That(tool, Does.Exist);
        return tool;
    }

    private Dictionary<string, string> Dependencies(string id)
    {
        using var package = ZipFile.OpenRead(Package(id));
        var metadata = Nuspec(package);
        return metadata.Descendants(metadata.Name.Namespace + "dependency")
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value, StringComparer.OrdinalIgnoreCase);
    }

    private static XElement Nuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        var root = XDocument.Load(stream).Root!;
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    private static string? Text(XElement metadata, string name) => metadata.Element(metadata.Name.Namespace + name)?.Value;

    /// <summary>An MSBuild property's value in one of the repository's root files.</summary>
    private static string Property(string file, string name)
    {
        var match = Regex.Match(File.ReadAllText(Path.Combine(Repository.Root, file)), $"<{name}>([^<]+)</{name}>");
        Assert.That(match.Success, $"{name} in {file}");
        return match.Groups[1].Value.Trim();
    }

    private static string GlobalPackagesFolder()
    {
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set) return set;
        var output = DotnetCommand.Run(Repository.Root, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list");
        var match = GlobalPackagesLine().Match(output);
        Assert.That(match.Success, output);
        return match.Groups[1].Value.Trim();
    }

    [GeneratedRegex(@"global-packages:\s*(\S.*)")]
    private static partial Regex GlobalPackagesLine();
}
