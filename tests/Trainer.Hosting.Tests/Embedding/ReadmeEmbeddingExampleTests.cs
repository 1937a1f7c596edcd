using Trainer.Hosting.Tests.Docs;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Embedding;

/// <summary>The README's Generic Host example runs as printed: it trains the quickstart recipe and prints the result.</summary>
[NonParallelizable] // it sets the process's current directory, as a user's application would start in its own
public sealed class ReadmeEmbeddingExampleTests
{
    [Test]
    public async Task TheReadmesEmbeddingExampleTrainsTheQuickstartRecipeAndExitsWithZero()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        Directory.CreateDirectory(folder.File("recipes"));
        File.Copy(Path.Combine(DocsFiles.Root, "recipes", "quickstart.json"), folder.File("recipes/quickstart.json"));
        var previousDirectory = Environment.CurrentDirectory;
        var previousOut = Console.Out;
        using var output = new StringWriter();
        int exitCode;
        try
        {
            Environment.CurrentDirectory = folder.Path;
            Console.SetOut(output);
            exitCode = await MyApplication.Program.Main([]).WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            Console.SetOut(previousOut);
            Environment.CurrentDirectory = previousDirectory;
        }

        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(output.ToString(), Does.Match(@"completed: test accuracy 0\.\d+"));
        Assert.That(Directory.EnumerateFiles(folder.Path, "summary.json", SearchOption.AllDirectories).ToList(), Has.Count.EqualTo(1),
            "the run directory is under the application's current directory");
    }
}
