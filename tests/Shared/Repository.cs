namespace Trainer.Tests.Shared;

/// <summary>Finds files of the repository the tests were built from (tests/Shared, linked into each test project).</summary>
public static class Repository
{
    /// <summary>The repository root: the first parent folder holding Trainer.sln.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Trainer.sln"))) return dir.FullName;
            throw new InvalidOperationException("Trainer.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Recipe(string name) => Path.Combine(Root, "recipes", name);

    /// <summary>The repository's docs/ folder, for the README's screenshots.</summary>
    public static string Docs(string name) => Path.Combine(Root, "docs", name);
}
