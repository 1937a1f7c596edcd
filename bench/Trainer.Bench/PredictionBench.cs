using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Inference;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Bench;

/// <summary>
/// <c>predict</c>: <see cref="TrainedModel.Predict(Tensor, IReadOnlyList{string}?)"/> on the Fashion-MNIST test set
/// (10,000 images, batches of 256, 2 threads) against PyTorch's <c>model.eval(); with torch.no_grad(): model(x)</c> on the
/// same weights (the package's weights.pt in its model.py), interleaved; single-example latency; and <c>trainer predict</c>'s
/// time from process start to its predictions. In each round every side makes <see cref="Passes"/> passes over the test set
/// and keeps its fastest (a pass is about 50 ms, so one pass alone mostly measures whatever else the machine did), and the
/// ratio is also given round by round, as the sides of one round run back to back.
/// </summary>
public static class PredictionBench
{
    private const string Images = "/usr/share/datasets/fashion-mnist";
    private const int Batch = 256;
    private const int Passes = 5; // each round keeps a side's fastest of this many passes over the test set, timeit's rule

    /// <summary>Measures both models over <paramref name="rounds"/> interleaved rounds and appends the report.</summary>
    public static void Run(int rounds, StringBuilder report, Dictionary<string, object> results)
    {
        set_num_threads(BenchSettings.Threads);
        report.Append(CultureInfo.InvariantCulture, $"**predict** (Fashion-MNIST test set, 10,000 images, batches of {Batch}, {BenchSettings.Threads} threads; ")
            .Append("Trainer: TrainedModel.Predict with preprocessing, softmax and the host copy; PyTorch: model(x) on prepared inputs; ")
            .AppendLine(CultureInfo.InvariantCulture, $"each round a side's fastest of {Passes} passes over the 10,000 images, medians (min–max) over rounds)");
        var tuned = Environment.GetEnvironmentVariable(NativeAllocator.TunablesVariable) == NativeAllocator.Tunables;
        report.AppendLine(tuned
            ? "glibc malloc: this process and the PyTorch child run with GLIBC_TUNABLES=" + NativeAllocator.Tunables + ", as `trainer predict` does."
            : "glibc malloc: its defaults on both sides (start the bench with GLIBC_TUNABLES=" + NativeAllocator.Tunables +
              " to measure both as `trainer predict` runs; with the defaults PyTorch's CNN speed flips between two modes).");
        report.AppendLine();
        report.AppendLine("| model | Trainer Predict (examples/s) | Trainer Forward | PyTorch model(x) | ratio Predict/PyTorch | ratio by round | latency 1 example Trainer (ms) | PyTorch (ms) |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var kind in new[] { BenchModel.Mlp, BenchModel.Cnn })
        {
            var run = Directory.CreateTempSubdirectory("trainer-bench-predict-").FullName;
            try
            {
                var recipe = BenchSettings.Recipe(kind, 1);
                recipe.Data.TrainLimit = 2000;
                using (var setup = TrainingSetup.Create(recipe, Directory.GetCurrentDirectory()))
                    new TrainingLoop(setup, new CallbackPipeline([]), new RunInfo("bench", run), NullLogger.Instance).Run(CancellationToken.None);
                using var model = TrainedModel.Load(run);
                using var inputs = model.ReadInputs(Images);
                var raw = Path.Combine(run, "test.u8");
                using (var bytes = inputs.Features.contiguous())
                    File.WriteAllBytes(raw, bytes.data<byte>().ToArray());
                var trainer = new List<double>();
                var forward = new List<double>();
                var pytorch = new List<double>();
                var latency = new List<double>();
                var pytorchLatency = new List<double>();
                using var prepared = model.Prepare(inputs.Features);
                Trainer(model, inputs.Features); // warm-up
                for (var round = 0; round < rounds; round++)
                {
                    if (round % 2 == 1) Python(model, raw, pytorch, pytorchLatency);
                    trainer.Add(Trainer(model, inputs.Features));
                    forward.Add(Forward(model, prepared));
                    latency.Add(Latency(model, inputs.Features));
                    if (round % 2 == 0) Python(model, raw, pytorch, pytorchLatency);
                }
                var ratio = Statistics.Median(trainer) / Statistics.Median(pytorch);
                var byRound = trainer.Select((t, i) => t / pytorch[i]).ToList();
                report.Append(CultureInfo.InvariantCulture,
                        $"| {kind} | {Statistics.Describe(trainer, "0")} | {Statistics.Describe(forward, "0")} | {Statistics.Describe(pytorch, "0")} | {ratio:0.00}× | ")
                    .Append(string.Join(", ", byRound.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))).Append(" | ")
                    .AppendLine(CultureInfo.InvariantCulture, $"{Statistics.Describe(latency, "0.000")} | {Statistics.Describe(pytorchLatency, "0.000")} |");
                results[$"predict-{kind.ToString().ToLowerInvariant()}"] = new { passes = Passes, trainer, forward, pytorch, ratio, byRound, latency, pytorchLatency };
                if (kind == BenchModel.Mlp && StartUp(run) is { } startup)
                {
                    results["predict-startup"] = startup;
                    report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"trainer predict (MLP package, 10,000 IDX images): {startup}").AppendLine();
                }
            }
            finally
            {
                Directory.Delete(run, recursive: true);
            }
        }
        report.AppendLine();
    }

    private static double Trainer(TrainedModel model, Tensor features) => Fastest(() =>
    {
        var count = features.size(0);
        for (long start = 0; start < count; start += Batch)
        {
            using var batch = features.narrow(0, start, Math.Min(Batch, count - start));
            model.Predict(batch);
        }
        return count;
    });

    private static double Forward(TrainedModel model, Tensor prepared) => Fastest(() =>
    {
        var count = prepared.size(0);
        for (long start = 0; start < count; start += Batch)
        {
            using var scope = NewDisposeScope();
            model.Forward(prepared.narrow(0, start, Math.Min(Batch, count - start)));
        }
        return count;
    });

    /// <summary>Examples per second of the fastest of <see cref="Passes"/> runs of <paramref name="pass"/>, which returns its example count.</summary>
    private static double Fastest(Func<long> pass)
    {
        var best = 0.0;
        for (var i = 0; i < Passes; i++)
        {
            var clock = Stopwatch.StartNew();
            var count = pass();
            best = Math.Max(best, count / clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static double Latency(TrainedModel model, Tensor features)
    {
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            using var one = features.narrow(0, i, 1);
            var clock = Stopwatch.StartNew();
            model.Predict(one);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Statistics.Median(times);
    }

    private static void Python(TrainedModel model, string raw, List<double> throughput, List<double> latency)
    {
        var shape = string.Join(", ", model.InputShape);
        var script = $$"""
            import sys, time, statistics, numpy, torch
            torch.set_num_threads({{BenchSettings.Threads}})
            sys.path.insert(0, r'{{model.PackageDirectory}}')
            import model
            net = model.load()
            x = torch.from_numpy(numpy.fromfile(r'{{raw}}', dtype=numpy.uint8).astype(numpy.float32) / 255).reshape(-1, {{shape}})
            x = model.preprocess(x)
            with torch.no_grad():
                net(x[:{{Batch}}])
                rate = 0
                for _ in range({{Passes}}):
                    start = time.perf_counter()
                    for s in range(0, x.shape[0], {{Batch}}):
                        net(x[s:s + {{Batch}}])
                    rate = max(rate, x.shape[0] / (time.perf_counter() - start))
                times = []
                for i in range(200):
                    t = time.perf_counter()
                    net(x[i:i + 1])
                    times.append((time.perf_counter() - t) * 1000)
            print(f"RESULT {rate} {statistics.median(times)}")
            """;
        var values = PyTorchTwin.RunScript(script, "PyTorch");
        throughput.Add(values[0]);
        latency.Add(values[1]);
    }

    /// <summary>The CLI's own account of its start-up ("… s from process start"), when a built <c>trainer</c> is found.</summary>
    private static string? StartUp(string run)
    {
        var program = new[] { "Release", "Debug" }.Select(c => Path.Combine("src", "Trainer.Cli", "bin", c, "net10.0", RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "trainer.exe" : "trainer"))
            .FirstOrDefault(File.Exists);
        if (program is null) return null;
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "predict", run, "--input", Images, "--output", Path.Combine(run, "p.csv") }) start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return $"{output.Trim()} (wall {clock.Elapsed.TotalSeconds:0.00} s, {program})";
    }
}
