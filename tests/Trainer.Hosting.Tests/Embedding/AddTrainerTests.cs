using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trainer.Hosting.Embedding;
using Trainer.Hosting.Tests.Support;
using Trainer.Runs;

namespace Trainer.Hosting.Tests.Embedding;

/// <summary>An application on the Generic Host adds the trainer with AddTrainer and registers callbacks through DI.</summary>
public sealed class AddTrainerTests
{
    [Test]
    public async Task AHostedTrainerTrainsTheRecipeWithCallbacksFromDependencyInjection()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var logs = new ListLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<EpochCounter>();
        builder.Services.AddTrainingCallback<CountingCallback>();
        builder.Services.AddTrainer(options =>
        {
            options.RecipeJson = TestRecipes.Digits(epochs: 5);
            options.RunDirectory = folder.File("run");
            options.Overrides.Add("--Training:Epochs=3");
        });
        using var host = builder.Build();
        var run = host.Services.GetRequiredService<TrainerRun>(); // RunAsync disposes the services when the application stops
        var counter = host.Services.GetRequiredService<EpochCounter>();

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var summary = await run.Completion;
        Assert.That(summary, Is.Not.Null);
        Assert.That(summary!.Status, Is.EqualTo("completed"));
        Assert.That(summary.Epochs, Is.EqualTo(3), "the override applies");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Completed));
        Assert.That(counter.Epochs, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(RunSummaryFile.Read(folder.File("run")).RunId, Is.EqualTo(summary.RunId));
        Assert.That(logs.Messages, Has.Some.StartsWith("Run completed: test accuracy"), "the run logs through the application's logging");
    }

    [Test]
    public async Task AnInvalidRecipeIsReportedAndLoggedWithoutCrashingTheApplication()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var logs = new ListLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Services.AddTrainer(options =>
        {
            options.RecipeJson = TestRecipes.Digits();
            options.RunDirectory = folder.File("run");
            options.Overrides.Add("--Optimizer:Kind=adagrad");
        });
        using var host = builder.Build();
        var run = host.Services.GetRequiredService<TrainerRun>();

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(await run.Completion, Is.Null);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(run.Errors, Has.Count.EqualTo(1).And.Some.StartsWith("Optimizer:Kind 'adagrad' is not supported"));
        Assert.That(logs.Messages, Has.Some.StartsWith("Recipe is invalid: Optimizer:Kind 'adagrad'"));
        Assert.That(Directory.Exists(folder.File("run")), Is.False, "nothing is written for an invalid recipe");
    }

    [Test]
    public async Task WithoutStopApplicationWhenDoneTheApplicationKeepsRunning()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddTrainer(options =>
        {
            options.RecipeJson = TestRecipes.Digits(epochs: 1);
            options.RunDirectory = folder.File("run");
            options.StopApplicationWhenDone = false;
        });
        using var host = builder.Build();
        await host.StartAsync();

        var summary = await host.Services.GetRequiredService<TrainerRun>().Completion.WaitAsync(TimeSpan.FromMinutes(1));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        Assert.That(summary!.Status, Is.EqualTo("completed"));
        Assert.That(lifetime.ApplicationStopping.IsCancellationRequested, Is.False);
        await host.StopAsync();
    }
}
