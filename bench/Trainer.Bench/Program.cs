using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Trainer.Bench;
using Trainer.Data;
using Trainer.Recipes;

// dotnet run -c Release --project bench/Trainer.Bench -- [overhead|floor|memory|data|all] [--rounds N] [--epochs N] [--out DIR]
// (from the repository root; results go to bench/results/SCENARIO.md and .json unless --out says otherwise)
// Each side runs in its own process, interleaved A B / B A, so that machine noise hits both alike.
if (args.Length >= 3 && args[0] == "child")
{
    var model = Enum.Parse<BenchModel>(args[2], ignoreCase: true);
    var epochs = int.Parse(args[3], CultureInfo.InvariantCulture);
    var result = args[1] == "raw" ? RawLoop.Run(model, epochs) : TrainerSide.Run(model, epochs);
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
    return 0;
}

var scenario = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal)))
    .FirstOrDefault() ?? "overhead";
int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
var rounds = Option("--rounds", 4);
var report = new StringBuilder();
var results = new Dictionary<string, object>();
report.AppendLine(CultureInfo.InvariantCulture, $"Trainer.Bench `{string.Join(' ', args)}` on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {rounds} interleaved rounds, medians (min–max).");
report.AppendLine();

if (scenario is "overhead" or "all")
    foreach (var model in new[] { BenchModel.Mlp, BenchModel.Cnn })
        Compare($"overhead-{model.ToString().ToLowerInvariant()}", model, Option("--epochs", model == BenchModel.Cnn ? 1 : 3));
if (scenario is "floor" or "all")
    Compare("floor-linear", BenchModel.Linear, Option("--epochs", 2));
if (scenario is "memory" or "all")
    Memory(Option("--epochs", 50));
if (scenario is "data" or "all")
    Data();

Console.WriteLine(report.ToString());
var folder = Array.IndexOf(args, "--out") is var o and >= 0 && o + 1 < args.Length ? args[o + 1] : Path.Combine("bench", "results");
Directory.CreateDirectory(folder);
File.WriteAllText(Path.Combine(folder, $"{scenario}.md"), report.ToString());
File.WriteAllText(Path.Combine(folder, $"{scenario}.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Written: {Path.Combine(folder, scenario)}.md and .json");
return 0;

void Compare(string name, BenchModel model, int epochs)
{
    var trainer = new List<ChildResult>();
    var raw = new List<ChildResult>();
    for (var round = 0; round < rounds; round++)
    {
        foreach (var side in round % 2 == 0 ? new[] { "trainer", "raw" } : ["raw", "trainer"])
            (side == "trainer" ? trainer : raw).Add(Child(side, model, epochs));
    }
    var ratios = trainer.Zip(raw, (t, r) => t.SamplesPerSecond / r.SamplesPerSecond).ToList();
    report.AppendLine(CultureInfo.InvariantCulture, $"**{name}** ({model}, batch {BenchSettings.BatchSize(model)}, {epochs} epoch(s) per run, {BenchSettings.Threads} threads)");
    report.AppendLine();
    report.AppendLine("| side | samples/s | steps/s | peak RSS MB |");
    report.AppendLine("| --- | --- | --- | --- |");
    foreach (var (label, side) in new[] { ("Trainer (realistic callbacks)", trainer), ("hand-written TorchSharp loop", raw) })
        report.AppendLine($"| {label} | {Statistics.Describe([.. side.Select(s => s.SamplesPerSecond)], "0")} | {Statistics.Describe([.. side.Select(s => s.StepsPerSecond)], "0")} | {Statistics.Describe([.. side.Select(s => s.PeakRssMegabytes)], "0")} |");
    report.AppendLine();
    report.AppendLine($"Trainer / raw samples/s, paired by round: {Statistics.Describe(ratios, "0.000")}");
    report.AppendLine();
    results[name] = new { trainer, raw, ratios };
}

void Memory(int epochs)
{
    var run = Child("trainer", BenchModel.Linear, epochs);
    var rss = run.RssMegabytesByEpoch;
    var growth = (rss[^1] - rss[1]) / rss[1];
    report.AppendLine(CultureInfo.InvariantCulture, $"**memory** (Trainer, linear model, {epochs} epochs): RSS after epoch 2 {rss[1]:0} MB, after epoch {epochs} {rss[^1]:0} MB, growth {growth:P2} (target < 2%)");
    report.AppendLine();
    results["memory"] = new { rss, growth };
}

void Data()
{
    var times = new List<double>();
    var batching = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var clock = Stopwatch.StartNew();
        using var splits = DataPipeline.Load(new DataOptions { Source = "fashion-mnist", ValidationFraction = 0.1 }, Directory.GetCurrentDirectory(), 42);
        times.Add(clock.Elapsed.TotalSeconds);
        clock.Restart();
        using (var order = TorchSharp.torch.randperm(splits.Train.Count))
        {
            for (long start = 0; start < splits.Train.Count; start += 128)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(128, splits.Train.Count - start));
                _ = splits.Train.Features.index_select(0, index);
                _ = splits.Train.Labels.index_select(0, index);
            }
        }
        batching.Add(clock.Elapsed.TotalSeconds);
    }
    report.AppendLine($"**data**: Fashion-MNIST from IDX gzip to normalised tensors (split, standardised) {Statistics.Describe(times, "0.00")} s (target ≤ 1.5 s); one epoch of batch-128 index_select {Statistics.Describe(batching, "0.000")} s");
    report.AppendLine();
    results["data"] = new { loadSeconds = times, batchingSeconds = batching };
}

ChildResult Child(string side, BenchModel model, int epochs)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Trainer.Bench.dll"), "child", side, model.ToString(), epochs.ToString(CultureInfo.InvariantCulture) })
        start.ArgumentList.Add(a);
    using var process = Process.Start(start)!;
    var error = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"The {side} child failed (exit {process.ExitCode}): {error.Result}{output}");
    var result = JsonSerializer.Deserialize<ChildResult>(line["RESULT ".Length..])!;
    Console.Error.WriteLine($"  {model} {side}: {result.SamplesPerSecond:0} samples/s, peak RSS {result.PeakRssMegabytes:0} MB");
    return result;
}
