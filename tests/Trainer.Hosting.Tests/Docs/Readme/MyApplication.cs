// The README's embedding example, compiled as printed (DocsSnippetTests compares the text); AddTrainerTests runs it.
// begin-snippet: readme-embedding
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Hosting.Embedding;

namespace MyApplication;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddTrainingCallback<EpochLogger>();     // a callback built by DI (it may take your services)
        builder.Services.AddTrainer(options =>
        {
            options.RecipePath = "recipes/quickstart.json";
            options.Overrides.Add("--Training:Epochs=3");
            options.StopApplicationWhenDone = true;              // false: keep serving after training
        });
        using var host = builder.Build();
        var run = host.Services.GetRequiredService<TrainerRun>();
        await host.RunAsync();
        var summary = await run.Completion;                       // also in the run directory's summary.json
        Console.WriteLine($"{summary?.Status}: test accuracy {summary?.Metrics.GetValueOrDefault("test_accuracy")}");
        return run.ExitCode ?? 1;
    }
}

public sealed class EpochLogger(ILogger<EpochLogger> logger) : TrainingCallback
{
    public override void OnEpochEnd(EpochContext context) => logger.LogInformation("Epoch {Epoch} done", context.Epoch);
}
// end-snippet
