using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Trainer.Search;

namespace Trainer.Bench;

/// <summary>
/// <c>search-synthetic</c>: the Trainer's samplers against Optuna's (bench/optuna_synthetic.py, Debian's python3-optuna)
/// on the same four synthetic functions (<see cref="SyntheticFunctions"/>), minimised: each side runs a study of
/// <c>trials</c> trials for seeds 0..<c>seeds</c>−1 and the report gives the median [IQR] over seeds of the best value
/// after 25, 50 and all trials; then each sampler's own time per suggestion with 100 and 1,000 finished trials.
/// </summary>
public static class SearchSynthetic
{
    private const string Python = "/usr/bin/python3";
    private static readonly int[] HistorySizes = [100, 1000];
    private const int TimingRepeats = 7;

    private static readonly (string Name, string Label, Func<IReadOnlyList<IDistribution>, ISampler> Make)[] TrainerSides =
    [
        ("trainer-random", "Trainer Random", _ => new RandomSampler()),
        ("trainer-tpe", "Trainer TPE", space => new TpeSampler(space)),
        ("trainer-tpe-multivariate", "Trainer TPE multivariate", space => new TpeSampler(space, new TpeOptions { Multivariate = true })),
    ];

    private static readonly (string Name, string Label)[] OptunaSides =
        [("optuna-random", "Optuna Random"), ("optuna-tpe", "Optuna TPE"), ("optuna-tpe-multivariate", "Optuna TPE multivariate")];

    /// <summary>Runs every side and appends the tables to <paramref name="report"/>.</summary>
    public static void Run(int trials, int seeds, StringBuilder report, Dictionary<string, object> results)
    {
        var checkpoints = new[] { 25, 50, trials }.Where(c => c <= trials).Distinct().ToArray();
        var best = new Dictionary<string, Dictionary<string, double[][]>>(); // function → side → seed → best after each trial
        var seconds = new Dictionary<string, Dictionary<string, Dictionary<int, double>>>(); // function → side → history size → s
        foreach (var function in SyntheticFunctions.All)
            foreach (var (values, expected) in function.Checks)
                if (Math.Abs(function.Evaluate(values) - expected) > 1e-9 * Math.Max(1, Math.Abs(expected)))
                    throw new InvalidOperationException($"{function.Name}({string.Join(", ", values)}) = {function.Evaluate(values)}, Python's twin gives {expected}.");
        foreach (var function in SyntheticFunctions.All)
        {
            best[function.Name] = [];
            seconds[function.Name] = [];
            foreach (var (name, _, make) in TrainerSides)
            {
                var clock = Stopwatch.StartNew();
                best[function.Name][name] = [.. Enumerable.Range(0, seeds).Select(seed => Study(make(function.Space), function, trials, seed))];
                Console.Error.WriteLine($"  {function.Name} {name}: {clock.Elapsed.TotalSeconds:0.0} s");
                seconds[function.Name][name] = HistorySizes.ToDictionary(size => size, size => SecondsPerSuggestion(make(function.Space), function, size));
            }
        }
        var optunaMissing = OptunaUnavailable();
        if (optunaMissing is null) RunOptuna(trials, seeds, best, seconds);
        var labels = TrainerSides.Select(s => (s.Name, s.Label)).Concat(optunaMissing is null ? OptunaSides : []).ToArray();

        report.Append(CultureInfo.InvariantCulture, $"**search-synthetic** ({trials} trials per study, seeds 0–{seeds - 1} on every side; ")
            .AppendLine("best value found so far, median [interquartile range] over the seeds; all functions minimised)");
        report.AppendLine();
        if (optunaMissing is not null) report.AppendLine($"Optuna not measured: {optunaMissing}.").AppendLine();
        foreach (var function in SyntheticFunctions.All)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"*{function.Name}* (global minimum {function.Minimum}): {function.Formula}");
            report.AppendLine();
            report.AppendLine("| side | " + string.Join(" | ", checkpoints.Select(c => $"best after {c}")) + " |");
            report.AppendLine("| --- |" + string.Concat(checkpoints.Select(_ => " --- |")));
            foreach (var (name, label) in labels)
                report.AppendLine($"| {label} | " + string.Join(" | ", checkpoints.Select(c =>
                    Statistics.DescribeQuartiles([.. best[function.Name][name].Select(trace => trace[c - 1])], "0.0000"))) + " |");
            report.AppendLine();
        }
        report.Append(CultureInfo.InvariantCulture, $"**time per suggestion** (ms, median of {TimingRepeats}, with N finished random trials: ")
            .AppendLine("the Trainer's ISampler.Next; Optuna's study.ask() plus the suggest_* calls of one whole point, in-memory storage)");
        report.AppendLine();
        report.AppendLine("| function | N | " + string.Join(" | ", labels.Select(l => l.Label)) + " |");
        report.AppendLine("| --- | --- |" + string.Concat(labels.Select(_ => " --- |")));
        foreach (var function in SyntheticFunctions.All)
            foreach (var size in HistorySizes)
                report.Append(CultureInfo.InvariantCulture, $"| {function.Name} | {size} | ").Append(string.Join(" | ", labels.Select(l =>
                    (seconds[function.Name][l.Name][size] * 1000).ToString("0.000", CultureInfo.InvariantCulture)))).AppendLine(" |");
        report.AppendLine();
        results["search-synthetic"] = new
        {
            trials, seeds,
            bestAfter = best.ToDictionary(f => f.Key, f => f.Value.ToDictionary(s => s.Key, s => checkpoints.ToDictionary(
                c => c.ToString(CultureInfo.InvariantCulture), c => s.Value.Select(trace => trace[c - 1]).ToArray()))),
            secondsPerSuggestion = seconds.ToDictionary(f => f.Key, f => f.Value.ToDictionary(s => s.Key, s => s.Value.ToDictionary(
                n => n.Key.ToString(CultureInfo.InvariantCulture), n => n.Value))),
        };
    }

    /// <summary>One study: the best value after each trial.</summary>
    private static double[] Study(ISampler sampler, SyntheticFunction function, int trials, int seed)
    {
        var finished = new List<(int Number, double[] Point, double Value)>();
        var best = new double[trials];
        var current = double.PositiveInfinity;
        for (var number = 0; number < trials; number++)
        {
            // As SearchRunner does: the finished trials as a fresh list, the unit point stored as the sampler gave it.
            var point = sampler.Next(new SamplerContext(number, function.Space.Count, seed, finished.ToList(), Maximize: false));
            var value = Evaluate(function, point);
            finished.Add((number, point, value));
            best[number] = current = Math.Min(current, value);
        }
        return best;
    }

    private static double Evaluate(SyntheticFunction function, double[] point) =>
        function.Evaluate([.. function.Space.Select((distribution, d) => distribution.FromUnit(point[d]))]);

    /// <summary>Median seconds of one <see cref="ISampler.Next"/> with <paramref name="size"/> finished random trials.</summary>
    private static double SecondsPerSuggestion(ISampler sampler, SyntheticFunction function, int size)
    {
        var random = new Random(12345);
        var finished = new List<(int Number, double[] Point, double Value)>();
        for (var number = 0; number < size; number++)
        {
            var point = function.Space.Select(_ => random.NextDouble()).ToArray();
            finished.Add((number, point, Evaluate(function, point)));
        }
        sampler.Next(new SamplerContext(size, function.Space.Count, 0, finished, Maximize: false)); // warm-up
        var times = new List<double>();
        for (var repeat = 0; repeat < TimingRepeats; repeat++)
        {
            var context = new SamplerContext(size + 1 + repeat, function.Space.Count, 0, finished, Maximize: false);
            var clock = Stopwatch.StartNew();
            sampler.Next(context);
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return Statistics.Median(times);
    }

    private static string? OptunaUnavailable()
    {
        if (!File.Exists(Python)) return $"{Python} is missing";
        using var check = Process.Start(new ProcessStartInfo(Python, "-c \"import optuna\"") { RedirectStandardError = true, UseShellExecute = false })!;
        check.WaitForExit();
        return check.ExitCode == 0 ? null : "python3-optuna is not installed (apt-get install python3-optuna)";
    }

    private static void RunOptuna(int trials, int seeds, Dictionary<string, Dictionary<string, double[][]>> best,
        Dictionary<string, Dictionary<string, Dictionary<int, double>>> seconds)
    {
        var output = Path.Combine(Path.GetTempPath(), $"trainer-bench-optuna-{Environment.ProcessId}.json");
        var start = new ProcessStartInfo(Python) { UseShellExecute = false };
        foreach (var a in new[] { Path.Combine("bench", "optuna_synthetic.py"), "--trials", trials.ToString(CultureInfo.InvariantCulture),
                     "--seeds", seeds.ToString(CultureInfo.InvariantCulture), "--sizes", string.Join(',', HistorySizes),
                     "--repeats", TimingRepeats.ToString(CultureInfo.InvariantCulture), "--out", output })
            start.ArgumentList.Add(a);
        using (var process = Process.Start(start)!)
        {
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"bench/optuna_synthetic.py failed (exit {process.ExitCode}).");
        }
        using var document = JsonDocument.Parse(File.ReadAllText(output));
        File.Delete(output);
        foreach (var function in document.RootElement.GetProperty("best").EnumerateObject())
            foreach (var side in function.Value.EnumerateObject())
                best[function.Name][side.Name] = [.. side.Value.EnumerateArray().Select(trace => trace.EnumerateArray().Select(v => v.GetDouble()).ToArray())];
        foreach (var function in document.RootElement.GetProperty("secondsPerSuggestion").EnumerateObject())
            foreach (var side in function.Value.EnumerateObject())
                seconds[function.Name][side.Name] = side.Value.EnumerateObject().ToDictionary(n => int.Parse(n.Name, CultureInfo.InvariantCulture), n => n.Value.GetDouble());
    }
}
