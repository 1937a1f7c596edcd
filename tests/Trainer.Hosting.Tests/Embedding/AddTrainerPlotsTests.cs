using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trainer.Hosting.Embedding;
using Trainer.Hosting.Tests.Support;
using Trainer.Runs;

namespace Trainer.Hosting.Tests.Embedding;

/// <summary>Plots are an optional package: an embedded run draws them only when the application adds Trainer.Reports.</summary>
public sealed class AddTrainerPlotsTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task AnEmbeddedRunDrawsItsPlotsExactlyWhenTheApplicationAddsThem(bool addPlots)
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (addPlots) builder.Services.AddTrainerPlots();
        builder.Services.AddTrainer(options =>
        {
            options.RecipeJson = TestRecipes.Digits(epochs: 1);
            options.RunDirectory = folder.File("run");
        });
        using var host = builder.Build();
        var run = host.Services.GetRequiredService<TrainerRun>();

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Completed));
        Assert.That(File.Exists(Path.Combine(folder.File("run"), RunFiles.Summary)), Is.True);
        var plots = Path.Combine(folder.File("run"), RunFiles.Plots);
        Assert.That(Directory.Exists(plots) ? Directory.GetFiles(plots, "*.png") : [], addPlots ? Is.Not.Empty : Is.Empty);
    }
}
