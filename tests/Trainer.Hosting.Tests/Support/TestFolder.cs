namespace Trainer.Hosting.Tests.Support;

/// <summary>A temporary folder, made the working directory while it lives, deleted on dispose.</summary>
public sealed class TestFolder : IDisposable
{
    private readonly string previous = Directory.GetCurrentDirectory();

    public TestFolder()
    {
        Path = Directory.CreateTempSubdirectory("trainer-hosting-").FullName;
        Directory.SetCurrentDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The run directories created under runs/.</summary>
    public string[] Runs => Directory.Exists(File("runs")) ? Directory.GetDirectories(File("runs")) : [];

    public void Dispose()
    {
        Directory.SetCurrentDirectory(previous);
        Directory.Delete(Path, recursive: true);
    }
}
