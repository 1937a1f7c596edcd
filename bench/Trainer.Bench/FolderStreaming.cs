using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Data;
using Trainer.Inference;
using Trainer.Plugins.ImageFolder;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Bench;

/// <summary>
/// <c>streaming-folder</c>: the CNN on Fashion-MNIST written as 70,000 PNG files (recipes/tools/fashion-mnist-to-png.py),
/// Trainer's image-folder source loaded into memory vs streamed from the files (<c>Data:Loading</c>), against PyTorch's
/// <c>ImageFolder</c> + <c>DataLoader</c> (torchvision 0.14) with 0, 1 and 2 workers feeding the same CNN (the package's
/// model.py for the bench recipe), all on a seeded subset of the training images, 2 threads.
/// </summary>
public static class FolderStreaming
{
    /// <summary>Writes the PNG folder with the repository's script into a new temporary folder.</summary>
    public static string Prepare()
    {
        var folder = Directory.CreateTempSubdirectory("trainer-bench-png-").FullName;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine("recipes", "tools", "fashion-mnist-to-png.py"), folder }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"fashion-mnist-to-png.py failed: {error.Result}");
        return folder;
    }

    /// <summary>The Trainer side in this process: the bench CNN on the PNG folder through one data path.</summary>
    public static ChildResult Run(string loading, int epochs, string folder, int trainLimit)
    {
        var recipe = BenchSettings.Recipe(BenchModel.Cnn, epochs);
        recipe.Data = new DataOptions
        {
            Source = "image-folder", Path = folder, Channels = 1, ValidationFraction = 0.1, Normalize = "per-channel", TrainLimit = trainLimit,
            Loading = loading == "stream-cache" ? "stream" : loading, Cache = loading == "stream-cache" ? "disk" : "none",
        };
        return Streaming.Measure(recipe, loading, [.. DataPipeline.BuiltInSources, new ImageFolderDataSource()]);
    }

    /// <summary>The PyTorch side: ImageFolder + DataLoader with <paramref name="workers"/> workers, the same CNN, Adam, batch 128.</summary>
    public static ChildResult PyTorch(int workers, int epochs, string folder, int trainLimit)
    {
        var module = Directory.CreateTempSubdirectory("trainer-bench-module-").FullName;
        try
        {
            var recipe = BenchSettings.Recipe(BenchModel.Cnn, epochs);
            File.WriteAllText(Path.Combine(module, "model.py"), PyTorchModuleWriter.Write(recipe.Model, [1, 28, 28], 10)!);
            var script = $$"""
                import resource, sys, time, torch, torch.nn.functional as F
                from torch.utils.data import DataLoader, Subset
                from torchvision import datasets, transforms
                sys.path.insert(0, r'{{module}}')
                import model
                torch.manual_seed({{BenchSettings.Seed}})
                torch.set_num_threads({{BenchSettings.Threads}})
                net = model.TrainerModel().train()
                tf = transforms.Compose([transforms.Grayscale(1), transforms.ToTensor(), transforms.Normalize([0.2860], [0.3530])])
                data = datasets.ImageFolder(r'{{Path.Combine(folder, "train")}}', transform=tf)
                subset = Subset(data, torch.randperm(len(data))[:{{trainLimit}}].tolist())
                loader = DataLoader(subset, batch_size={{recipe.Training.BatchSize}}, shuffle=True, num_workers={{workers}}, persistent_workers={{(workers > 0 ? "True" : "False")}})
                opt = torch.optim.Adam(net.parameters(), lr=1e-3)
                rates = []
                for epoch in range({{epochs}}):
                    start, n = time.perf_counter(), 0
                    for x, y in loader:
                        opt.zero_grad()
                        loss = F.cross_entropy(net(x), y)
                        loss.backward()
                        opt.step()
                        n += len(y)
                    rates.append(n / (time.perf_counter() - start))
                later = rates[1:] or rates
                rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
                print(f"RESULT {len(later) / sum(1 / r for r in later)} {rss}")
                """;
            var values = PyTorchTwin.RunScript(script, "The PyTorch side");
            var rate = values[0];
            return new ChildResult($"pytorch-{workers}", rate, rate / recipe.Training.BatchSize, values[1], []);
        }
        finally
        {
            Directory.Delete(module, recursive: true);
        }
    }

    /// <summary>Runs the sides interleaved over <paramref name="rounds"/> rounds and appends the report.</summary>
    public static void Compare(int rounds, int epochs, int trainLimit, Func<string[], ChildResult> child, StringBuilder report, Dictionary<string, object> results)
    {
        var folder = Prepare();
        try
        {
            string[] sides = ["memory", "stream", "stream-cache", "pytorch-0", "pytorch-1", "pytorch-2"];
            var measured = sides.ToDictionary(s => s, _ => new List<ChildResult>());
            for (var round = 0; round < rounds; round++)
                for (var k = 0; k < sides.Length; k++)
                {
                    var side = sides[(round + k) % sides.Length];
                    var e = epochs.ToString(CultureInfo.InvariantCulture);
                    var limit = trainLimit.ToString(CultureInfo.InvariantCulture);
                    var result = side.StartsWith("pytorch", StringComparison.Ordinal)
                        ? PyTorch(int.Parse(side["pytorch-".Length..], CultureInfo.InvariantCulture), epochs, folder, trainLimit)
                        : child(["streaming-folder", side, e, folder, limit]);
                    Console.Error.WriteLine($"  {side}: {result.SamplesPerSecond:0} samples/s, peak RSS {result.PeakRssMegabytes:0} MB");
                    measured[side].Add(result);
                }
            report.Append(CultureInfo.InvariantCulture, $"**streaming-folder** (CNN on Fashion-MNIST as 60,000 training PNG files, {trainLimit} per epoch, batch 128, ")
                .AppendLine(CultureInfo.InvariantCulture, $"{BenchSettings.Threads} threads, samples/s of epochs 2–{epochs}, {rounds} interleaved rounds; Trainer: Data:Workers 2, Prefetch 4)");
            report.AppendLine();
            report.AppendLine("| side | samples/s | peak RSS MB |");
            report.AppendLine("| --- | --- | --- |");
            foreach (var (side, runs) in measured)
                report.AppendLine($"| {side} | {Statistics.Describe([.. runs.Select(r => r.SamplesPerSecond)], "0")} | {Statistics.Describe([.. runs.Select(r => r.PeakRssMegabytes)], "0")} |");
            var stream = Statistics.Median([.. measured["stream"].Select(r => r.SamplesPerSecond)]);
            var cached = Statistics.Median([.. measured["stream-cache"].Select(r => r.SamplesPerSecond)]);
            var memory = Statistics.Median([.. measured["memory"].Select(r => r.SamplesPerSecond)]);
            var bestPyTorch = sides.Where(s => s.StartsWith("pytorch", StringComparison.Ordinal)).Max(s => Statistics.Median([.. measured[s].Select(r => r.SamplesPerSecond)]));
            report.AppendLine();
            report.Append(CultureInfo.InvariantCulture, $"- stream / memory (medians): {stream / memory:0.00} (target ≥ 0.9); ")
                .AppendLine(CultureInfo.InvariantCulture, $"stream / best PyTorch DataLoader: {stream / bestPyTorch:0.00} (target ≥ 1.0)");
            report.Append(CultureInfo.InvariantCulture, $"- with Data:Cache disk (decoded examples kept in a file from their first read): stream-cache / memory ")
                .AppendLine(CultureInfo.InvariantCulture, $"{cached / memory:0.00}, stream-cache / best PyTorch DataLoader {cached / bestPyTorch:0.00}");
            string Paired(string side) =>
                string.Join(", ", measured[side].Zip(measured["memory"], (a, b) => (a.SamplesPerSecond / b.SamplesPerSecond).ToString("0.00", CultureInfo.InvariantCulture)));
            report.AppendLine(CultureInfo.InvariantCulture,
                $"- paired by round (the machine's speed drifts between rounds): stream / memory {Paired("stream")}; stream-cache / memory {Paired("stream-cache")}");
            report.AppendLine();
            results["streaming-folder"] = new
            {
                measured, streamOverMemory = stream / memory, streamOverPyTorch = stream / bestPyTorch, cachedOverMemory = cached / memory,
                cachedOverPyTorch = cached / bestPyTorch,
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
