using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Trainer.Bench;
using Trainer.Data;
using Trainer.Recipes;
using Trainer.Training;

// dotnet run -c Release --project bench/Trainer.Bench -- SCENARIO [--rounds N] [--epochs N] [--trials N] [--seeds N] [--out DIR]
//   search-digits: [--seeds 3] [--random-trials 60] [--tpe-trials 30] [--sides a,b] [--work DIR] [--cli trainer.dll]
// SCENARIO: overhead | floor | memory | data | dispatch | phases | serve | search | search-synthetic | search-multiobjective | search-digits
//           | loop | streaming | streaming-folder | predict
//           | all (all but search, search-synthetic, search-multiobjective, search-digits, serve, loop, streaming, streaming-folder, predict)
// (from the repository root; results go to bench/results/SCENARIO.md and .json unless --out says otherwise)
// Each side runs in its own process, interleaved in rotating order, so that machine noise hits all sides alike.
// Diagnostic: `child trainer Mlp EPOCHS RunningStats,Checkpoint` runs one Trainer side with only those callbacks.
if (args.Length >= 3 && args[0] == "child")
{
    if (args[1] == "streaming") // child streaming LOADING MODEL EPOCHS FOLDER TRAIN_LIMIT
    {
        var streamed = Streaming.Run(args[2], Enum.Parse<BenchModel>(args[3], ignoreCase: true), int.Parse(args[4], CultureInfo.InvariantCulture), args[5],
            int.Parse(args[6], CultureInfo.InvariantCulture));
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(streamed));
        return 0;
    }
    if (args[1] == "streaming-folder") // child streaming-folder LOADING EPOCHS FOLDER TRAIN_LIMIT
    {
        var streamed = FolderStreaming.Run(args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(streamed));
        return 0;
    }
    if (args[1] == "phases")
    {
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(Phases.Run(args[2], Enum.Parse<BenchModel>(args[3], ignoreCase: true))));
        return 0;
    }
    var model = Enum.Parse<BenchModel>(args[2], ignoreCase: true);
    var epochs = int.Parse(args[3], CultureInfo.InvariantCulture);
    var result = args[1] switch
    {
        "raw" => RawLoop.Run(model, epochs),
        "serve" => TrainerSide.Run(model, epochs, serve: true) with { Variant = "serve" },
        _ => TrainerSide.Run(model, epochs, callbacks: args.Length > 4 ? args[4] : null),
    };
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
report.Append(CultureInfo.InvariantCulture, $"Trainer.Bench `{string.Join(' ', args)}` on {Environment.ProcessorCount} cores, ")
    .AppendLine(CultureInfo.InvariantCulture,
        $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(scenario is "search-synthetic" or "search-multiobjective" or "search-digits" ? "." : $"; {rounds} interleaved rounds, medians (min–max).")}");
report.AppendLine();
// The glibc malloc settings `trainer run` restarts itself with, given to the Trainer side's child processes (null: none added).
var trainerTunables = NativeAllocator.TunablesFor(Environment.GetEnvironmentVariable, NativeAllocator.IsGlibc);
if (scenario is "overhead" or "floor" or "serve" or "memory" or "all")
{
    report.AppendLine(trainerTunables is null
        ? "Trainer side: glibc malloc as this process has it (no GLIBC_TUNABLES added)."
        : $"Trainer side: GLIBC_TUNABLES={trainerTunables}, as `trainer run` restarts itself with; the TorchSharp and PyTorch loops: this process's environment.")
        .AppendLine();
}
var pytorchMissing = scenario is "overhead" or "floor" or "all" ? PyTorchTwin.Unavailable() : null;
var pytorchData = scenario is "overhead" or "floor" or "all" && pytorchMissing is null ? PyTorchTwin.ExportData() : null;
if (pytorchMissing is not null) report.AppendLine($"Raw PyTorch not measured: {pytorchMissing}.").AppendLine();

if (scenario is "overhead" or "all")
    foreach (var model in new[] { BenchModel.Mlp, BenchModel.Cnn })
        Compare($"overhead-{model.ToString().ToLowerInvariant()}", model, Option("--epochs", model == BenchModel.Cnn ? 2 : 4));
if (scenario is "floor" or "all")
    Compare("floor-linear", BenchModel.Linear, Option("--epochs", 3));
if (scenario is "phases" or "all")
    PhaseTimings();
if (scenario is "dispatch" or "all")
    DispatchCost();
if (scenario is "memory" or "all")
    Memory(Option("--epochs", 50));
if (scenario is "data" or "all")
    Data();
if (scenario is "search")
    Search(Option("--trials", 12));
if (scenario is "search-synthetic")
    SearchSynthetic.Run(Option("--trials", 100), Option("--seeds", 20), report, results);
if (scenario is "search-multiobjective")
    SearchMultiObjective.Run(Option("--trials", 500), Option("--seeds", 20), report, results);
if (scenario is "search-digits")
    SearchDigits.Run(Option("--seeds", 3), Option("--random-trials", 60), Option("--tpe-trials", 30),
        Array.IndexOf(args, "--work") is var wi and >= 0 && wi + 1 < args.Length ? args[wi + 1] : Path.Combine(Path.GetTempPath(), "trainer-bench-search-digits"),
        Array.IndexOf(args, "--sides") is var si and >= 0 && si + 1 < args.Length ? args[si + 1].Split(',') : [],
        Array.IndexOf(args, "--cli") is var ci and >= 0 && ci + 1 < args.Length ? args[ci + 1] : null, report, results);
if (scenario is "serve")
    Serving(Option("--epochs", 4));
if (scenario is "loop")
    LoopCosts();
if (scenario is "predict")
    PredictionBench.Run(rounds, report, results);
if (scenario is "streaming-folder")
    FolderStreaming.Compare(rounds, Option("--epochs", 2), Option("--train-limit", 12800),
        childArgs => JsonSerializer.Deserialize<ChildResult>(RunForLine(ChildStart(childArgs), string.Join(' ', childArgs)))!, report, results);
if (scenario is "streaming")
    StreamingPaths(Option("--epochs", 2), Option("--train-limit", 12800),
        Array.IndexOf(args, "--model") is var mi and >= 0 && mi + 1 < args.Length ? Enum.Parse<BenchModel>(args[mi + 1], ignoreCase: true) : BenchModel.Cnn);

Console.WriteLine(report.ToString());
var folder = Array.IndexOf(args, "--out") is var o and >= 0 && o + 1 < args.Length ? args[o + 1] : Path.Combine("bench", "results");
Directory.CreateDirectory(folder);
File.WriteAllText(Path.Combine(folder, $"{scenario}.md"), report.ToString());
File.WriteAllText(Path.Combine(folder, $"{scenario}.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Written: {Path.Combine(folder, scenario)}.md and .json");
return 0;

void Compare(string name, BenchModel model, int epochs)
{
    string[] sides = pytorchData is null ? ["trainer", "raw"] : ["trainer", "raw", "pytorch"];
    var measured = sides.ToDictionary(s => s, _ => new List<ChildResult>());
    for (var round = 0; round < rounds; round++)
        for (var k = 0; k < sides.Length; k++)
        {
            var side = sides[(round + k) % sides.Length]; // rotating order: A B C, B C A, C A B, …
            measured[side].Add(side == "pytorch" ? Run(PyTorchTwin.Start(model, epochs, pytorchData!), side, model) : Child(side, model, epochs));
        }
    report.Append(CultureInfo.InvariantCulture, $"**{name}** ({model}, batch {BenchSettings.BatchSize(model)}, {epochs} epochs per run, ")
        .AppendLine(CultureInfo.InvariantCulture, $"samples/s of epochs 2–{epochs} (the first warms up), {BenchSettings.Threads} threads)");
    report.AppendLine();
    report.AppendLine("| side | samples/s | steps/s | peak RSS MB |");
    report.AppendLine("| --- | --- | --- | --- |");
    var labels = new Dictionary<string, string>
    {
        ["trainer"] = "Trainer (realistic callbacks, fused Adam)", ["raw"] = "hand-written TorchSharp loop", ["pytorch"] = "hand-written PyTorch 1.13 loop",
    };
    foreach (var side in sides)
    {
        var runs = measured[side];
        report.AppendLine($"| {labels[side]} | {Statistics.Describe([.. runs.Select(s => s.SamplesPerSecond)], "0")} | " +
                          $"{Statistics.Describe([.. runs.Select(s => s.StepsPerSecond)], "0")} | {Statistics.Describe([.. runs.Select(s => s.PeakRssMegabytes)], "0")} |");
    }
    report.AppendLine();
    var ratios = new Dictionary<string, List<double>>();
    foreach (var (a, b) in new[] { ("trainer", "raw"), ("trainer", "pytorch"), ("raw", "pytorch") }.Where(p => sides.Contains(p.Item2)))
    {
        var paired = measured[a].Zip(measured[b], (x, y) => x.SamplesPerSecond / y.SamplesPerSecond).ToList();
        var memory = measured[a].Zip(measured[b], (x, y) => x.PeakRssMegabytes / y.PeakRssMegabytes).ToList();
        ratios[$"{a}/{b}"] = paired;
        report.AppendLine($"- {a} / {b}, samples/s paired by round: {Statistics.Describe(paired, "0.000")}; peak RSS: {Statistics.Describe(memory, "0.00")}");
    }
    report.AppendLine();
    results[name] = new { sides = measured, ratios };
}

void StreamingPaths(int epochs, int trainLimit, BenchModel speedModel)
{
    // Throughput: the model (CNN by default) on a seeded subset of trainLimit examples per epoch (the streaming path still
    // reads them from the whole file); memory: the MLP over every example of the 1× and 4× data sets, two epochs.
    var folders = new Dictionary<int, string> { [1] = Streaming.Prepare(1), [4] = Streaming.Prepare(4) };
    try
    {
        var speed = new Dictionary<string, List<ChildResult>> { ["memory"] = [], ["stream"] = [] };
        for (var round = 0; round < rounds; round++)
            foreach (var loading in round % 2 == 0 ? new[] { "memory", "stream" } : ["stream", "memory"])
                speed[loading].Add(Run(ChildStart("streaming", loading, speedModel.ToString(), epochs.ToString(CultureInfo.InvariantCulture), folders[1],
                    trainLimit.ToString(CultureInfo.InvariantCulture)), loading, speedModel));
        var size = new Dictionary<string, ChildResult>();
        foreach (var times in new[] { 1, 4 })
            foreach (var loading in new[] { "memory", "stream" })
                size[$"{loading} {times}x"] = Run(ChildStart("streaming", loading, nameof(BenchModel.Mlp), "2", folders[times], "0"), $"{loading} {times}x", BenchModel.Mlp);

        report.Append(CultureInfo.InvariantCulture, $"**streaming** (Data:Loading memory vs stream, decompressed Fashion-MNIST IDX, {BenchSettings.Threads} threads, ")
            .AppendLine(CultureInfo.InvariantCulture, $"Data:Workers 2, Data:Prefetch 4; {rounds} interleaved rounds)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{speedModel}, batch 128, {trainLimit} training examples per epoch, samples/s of epochs 2–{epochs}:");
        report.AppendLine();
        report.AppendLine("| path | samples/s | peak RSS MB |");
        report.AppendLine("| --- | --- | --- |");
        foreach (var (loading, runs) in speed)
            report.AppendLine($"| {loading} | {Statistics.Describe([.. runs.Select(r => r.SamplesPerSecond)], "0")} | {Statistics.Describe([.. runs.Select(r => r.PeakRssMegabytes)], "0")} |");
        var ratios = speed["stream"].Zip(speed["memory"], (s, m) => s.SamplesPerSecond / m.SamplesPerSecond).ToList();
        report.AppendLine();
        report.AppendLine($"- stream / memory, samples/s paired by round: {Statistics.Describe(ratios, "0.000")} (target ≥ 0.9)");
        report.AppendLine();
        report.AppendLine("MLP, batch 128, two epochs over every training example (54,000 at 1×, 216,000 at 4×), samples/s of epoch 2:");
        report.AppendLine();
        report.AppendLine("| path, data set | samples/s | peak RSS MB |");
        report.AppendLine("| --- | --- | --- |");
        foreach (var (name, run) in size) report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {run.SamplesPerSecond:0} | {run.PeakRssMegabytes:0} |");
        report.AppendLine();
        results["streaming"] = new { speed, ratios, size };
    }
    finally
    {
        foreach (var folder in folders.Values) Directory.Delete(folder, recursive: true);
    }
}

void LoopCosts()
{
    var measured = LoopCost.Measure(rounds);
    report.AppendLine("**loop** (diagnostic: the training loop in-process on one MLP set-up, fused Adam, no hosting; one-epoch runs interleaved, medians)");
    report.AppendLine();
    report.AppendLine("| callbacks | samples/s | vs none |");
    report.AppendLine("| --- | --- | --- |");
    var none = measured[0].SamplesPerSecond;
    foreach (var (name, samplesPerSecond) in measured)
        report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {samplesPerSecond:0} | {samplesPerSecond / none:0.000} |");
    report.AppendLine();
    results["loop"] = measured.ToDictionary(m => m.Configuration, m => m.SamplesPerSecond);
}

void Serving(int epochs)
{
    var plain = new List<ChildResult>();
    var served = new List<ChildResult>();
    for (var round = 0; round < rounds; round++)
        foreach (var side in round % 2 == 0 ? new[] { "trainer", "serve" } : ["serve", "trainer"])
            (side == "serve" ? served : plain).Add(Child(side, BenchModel.Mlp, epochs));
    var ratios = served.Zip(plain, (s, p) => s.SamplesPerSecond / p.SamplesPerSecond).ToList();
    report.Append(CultureInfo.InvariantCulture, $"**serve** (MLP, {epochs} epochs per run: the Trainer run served with a dashboard-like client reading its event stream ")
        .AppendLine(CultureInfo.InvariantCulture, $"and fetching the status every epoch, vs not served)");
    report.AppendLine();
    report.AppendLine("| side | samples/s | peak RSS MB |");
    report.AppendLine("| --- | --- | --- |");
    report.AppendLine($"| not served | {Statistics.Describe([.. plain.Select(s => s.SamplesPerSecond)], "0")} | {Statistics.Describe([.. plain.Select(s => s.PeakRssMegabytes)], "0")} |");
    report.AppendLine($"| served, client connected | {Statistics.Describe([.. served.Select(s => s.SamplesPerSecond)], "0")} | " +
                      $"{Statistics.Describe([.. served.Select(s => s.PeakRssMegabytes)], "0")} |");
    report.AppendLine();
    report.AppendLine($"Served / not served, samples/s paired by round: {Statistics.Describe(ratios, "0.000")} (target ≥ 0.99)");
    report.AppendLine();
    results["serve"] = new { plain, served, ratios };
}

void PhaseTimings()
{
    var runs = new List<PhaseResult>();
    var cases = new[] { ("fused", BenchModel.Mlp), ("managed", BenchModel.Mlp), ("fused", BenchModel.Cnn), ("managed", BenchModel.Cnn) };
    for (var round = 0; round < Math.Max(2, rounds / 2); round++)
        foreach (var (implementation, model) in round % 2 == 0 ? cases : cases.Reverse())
            runs.Add(JsonSerializer.Deserialize<PhaseResult>(RunForLine(ChildStart("phases", implementation, model.ToString()), $"phases {model} {implementation}"))!);
    report.AppendLine("**phases** (diagnostic mode: Adam, batch 128, 2 threads; mean µs per step after 50 warm-up steps, median over runs)");
    report.AppendLine();
    report.AppendLine("| model | optimizer | zero_grad | forward + loss | backward | optimizer step | step total |");
    report.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
    var medians = new Dictionary<(string, string), double[]>();
    foreach (var group in runs.GroupBy(r => (r.Model, r.Implementation)))
    {
        var m = Enumerable.Range(0, 4).Select(p => Statistics.Median([.. group.Select(r => r.Microseconds[p])])).ToArray();
        medians[group.Key] = m;
        report.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key.Model} | {group.First().Optimizer} | {m[0]:0} | {m[1]:0} | {m[2]:0} | {m[3]:0} | {m.Sum():0} |");
    }
    report.AppendLine();
    var share = medians[("Mlp", "fused")][3] / medians[("Mlp", "managed")][3];
    report.AppendLine(CultureInfo.InvariantCulture, $"MLP: fused optimizer step / managed: **{share:0.000}** (target ≤ 0.25)");
    report.AppendLine();
    results["phases"] = new { runs, fusedOverManaged = share };
}

void DispatchCost()
{
    var measured = Enumerable.Range(0, rounds).Select(_ => Dispatch.Measure()).ToList();
    report.AppendLine("**dispatch** (the three per-batch hooks to callbacks that override them with empty bodies, 1,000,000 steps)");
    report.AppendLine();
    report.AppendLine("| callbacks | ns per step |");
    report.AppendLine("| --- | --- |");
    foreach (var count in new[] { 0, 5, 20 })
        report.AppendLine($"| {count} | {Statistics.Describe([.. measured.Select(m => m.First(x => x.Callbacks == count).NanosecondsPerStep)], "0.0")} |");
    report.AppendLine();
    results["dispatch"] = measured.Select(m => m.ToDictionary(x => x.Callbacks.ToString(CultureInfo.InvariantCulture), x => x.NanosecondsPerStep)).ToList();
}

void Memory(int epochs)
{
    var run = Child("trainer", BenchModel.Linear, epochs);
    var rss = run.RssMegabytesByEpoch;
    var growth = (rss[^1] - rss[1]) / rss[1];
    report.Append(CultureInfo.InvariantCulture, $"**memory** (Trainer, linear model, {epochs} epochs): RSS after epoch 2 {rss[1]:0} MB, ")
        .AppendLine(CultureInfo.InvariantCulture, $"after epoch {epochs} {rss[^1]:0} MB, growth {growth:P2} (target < 2%)");
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
    report.AppendLine($"**data**: Fashion-MNIST from IDX gzip to normalised tensors (split, standardised) {Statistics.Describe(times, "0.00")} s " +
                      $"(target ≤ 1.5 s); one epoch of batch-128 index_select {Statistics.Describe(batching, "0.000")} s");
    report.AppendLine();
    results["data"] = new { loadSeconds = times, batchingSeconds = batching };
}

void Search(int trials)
{
    // The CLI, built in Release, runs the search as users run it: workers are processes sharing a SQLite study.
    var build = Process.Start(new ProcessStartInfo("dotnet", "build src/Trainer.Cli -c Release -v q -nologo") { UseShellExecute = false })!;
    build.WaitForExit();
    if (build.ExitCode != 0) throw new InvalidOperationException("dotnet build src/Trainer.Cli -c Release failed.");
    var cli = Path.GetFullPath(Path.Combine("src", "Trainer.Cli", "bin", "Release", "net10.0", "trainer.dll"));
    var perHour = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
    for (var round = 0; round < rounds; round++)
        foreach (var workers in round % 2 == 0 ? new[] { 1, 2 } : [2, 1])
        {
            var folder = Directory.CreateTempSubdirectory("trainer-bench-search-").FullName;
            try
            {
                var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { cli, "search", "recipes/digits-search.json", "--trials", trials.ToString(CultureInfo.InvariantCulture),
                             "--workers", workers.ToString(CultureInfo.InvariantCulture), "--storage", $"sqlite:{Path.Combine(folder, "study.db")}", "--out", folder })
                    start.ArgumentList.Add(a);
                var clock = Stopwatch.StartNew();
                using var process = Process.Start(start)!;
                var error = process.StandardError.ReadToEndAsync();
                _ = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0) throw new InvalidOperationException($"The search with {workers} worker(s) failed (exit {process.ExitCode}): {error.Result}");
                perHour[workers].Add(trials / clock.Elapsed.TotalHours);
                Console.Error.WriteLine($"  search, {workers} worker(s): {trials / clock.Elapsed.TotalHours:0} trials/hour");
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    report.AppendLine(CultureInfo.InvariantCulture, $"**search** (recipes/digits-search.json, {trials} trials per search, SQLite study, whole command timed)");
    report.AppendLine();
    report.AppendLine("| workers × threads | trials/hour |");
    report.AppendLine("| --- | --- |");
    report.AppendLine($"| 1 × 2 | {Statistics.Describe(perHour[1], "0")} |");
    report.AppendLine($"| 2 × 1 | {Statistics.Describe(perHour[2], "0")} |");
    report.AppendLine();
    results["search"] = perHour;
}

ProcessStartInfo ChildStart(params string[] childArgs)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Trainer.Bench.dll"), "child" }.Concat(childArgs))
        start.ArgumentList.Add(a);
    return start;
}

ChildResult Child(string side, BenchModel model, int epochs)
{
    var start = ChildStart(side, model.ToString(), epochs.ToString(CultureInfo.InvariantCulture));
    // The Trainer side runs with the runtime settings of the trainer command (trainer.runtimeconfig.json: tiered
    // compilation off; the glibc malloc settings `trainer run` restarts itself with); the hand-written loops with a console
    // application's or Python's defaults, as a user's program has them.
    if (side is "trainer" or "serve")
    {
        start.Environment["DOTNET_TieredCompilation"] = "0";
        if (trainerTunables is not null) start.Environment[NativeAllocator.TunablesVariable] = trainerTunables;
    }
    return Run(start, side, model);
}

ChildResult Run(ProcessStartInfo start, string side, BenchModel model)
{
    var result = JsonSerializer.Deserialize<ChildResult>(RunForLine(start, $"{model} {side}"))!;
    Console.Error.WriteLine($"  {model} {side}: {result.SamplesPerSecond:0} samples/s, peak RSS {result.PeakRssMegabytes:0} MB");
    return result;
}

string RunForLine(ProcessStartInfo start, string what)
{
    using var process = Process.Start(start)!;
    var error = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"The {what} child failed (exit {process.ExitCode}): {error.Result}{output}");
    return line["RESULT ".Length..];
}
