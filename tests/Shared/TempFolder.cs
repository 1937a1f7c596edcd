namespace Trainer.Tests.Shared;

/// <summary>A temporary folder, deleted on dispose; <see cref="AsWorkingDirectory"/> also makes it the working directory while it lives.</summary>
public sealed class TempFolder : IDisposable
{
    private readonly string? previousDirectory;

    /// <summary>Creates an empty folder under the system's temporary folder.</summary>
    public TempFolder() => Path = Directory.CreateTempSubdirectory("trainer-test-").FullName;

    private TempFolder(string previousDirectory) : this()
    {
        this.previousDirectory = previousDirectory;
        Directory.SetCurrentDirectory(Path);
    }

    /// <summary>A temporary folder that is the working directory until disposed (runs/ and relative paths land in it).</summary>
    public static TempFolder AsWorkingDirectory() => new(Directory.GetCurrentDirectory());

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> (creating its folders); returns its full path.</summary>
    public string Write(string name, string text)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The run directories created under runs/.</summary>
    public string[] Runs => Directory.Exists(File("runs")) ? Directory.GetDirectories(File("runs")) : [];

    /// <summary>Restores the working directory (if it was changed) and deletes the folder.</summary>
    public void Dispose()
    {
        if (previousDirectory is not null) Directory.SetCurrentDirectory(previousDirectory);
        Directory.Delete(Path, recursive: true);
    }
}
