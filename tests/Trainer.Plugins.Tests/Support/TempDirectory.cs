namespace Trainer.Plugins.Tests.Support;

/// <summary>A temporary folder deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("trainer-plugin-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
