namespace Trainer.Hosting.Tests.Docs;

/// <summary>Where the guide and its example sources are in the repository.</summary>
internal static class DocsFiles
{
    /// <summary>The repository root: the nearest folder above the test's output that holds Trainer.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>docs/writing-callbacks.md.</summary>
    public static string Guide => Path.Combine(Root, "docs", "writing-callbacks.md");

    /// <summary>README.md.</summary>
    public static string Readme => Path.Combine(Root, "README.md");

    /// <summary>The folder of the guide's example code: tests/Trainer.Hosting.Tests/Docs.</summary>
    public static string Examples => Path.Combine(Root, "tests", "Trainer.Hosting.Tests", "Docs");

    /// <summary>The example recipe the guide shows.</summary>
    public static string Recipe => Path.Combine(Examples, "my-run.json");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Trainer.sln"))) return folder.FullName;
        throw new InvalidOperationException($"No Trainer.sln above {AppContext.BaseDirectory}.");
    }
}
