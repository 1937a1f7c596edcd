using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Trainer.Search;

namespace Trainer.Bench;

/// <summary>
/// <c>search-multiobjective</c>: the Trainer's NSGA-II (and Random) against Optuna's NSGAIISampler (and RandomSampler) on
/// ZDT1 with 6 dimensions, both objectives minimised: f1 = x0, g = 1 + 9/5 · (x1 + … + x5), f2 = g · (1 − √(f1/g)). The
/// hypervolume of the trials so far, reference point (1.1, 11) (the true front's is 12.1 − 1/3 ≈ 11.767), after 50, 100, 200
/// and all trials, seeds 0..<c>seeds</c>−1; Optuna's side is bench/optuna_multiobjective.py.
/// </summary>
public static class SearchMultiObjective
{
    private const string Python = "/usr/bin/python3";
    private const int Population = 50;
    private static readonly double[] Reference = [1.1, 11];
    private static readonly bool[] Minimise = [false, false];

    private static readonly (string Name, string Label, Func<ISampler> Make)[] TrainerSides =
        [("trainer-nsga2", "Trainer NSGA-II (population 50)", () => new NsgaIISampler(Population)), ("trainer-random", "Trainer Random", () => new RandomSampler())];

    private static readonly (string Name, string Label)[] OptunaSides =
        [("optuna-nsga2", "Optuna NSGAIISampler (population_size 50)"), ("optuna-random", "Optuna RandomSampler")];

    /// <summary>ZDT1's two objectives at a point of [0, 1]⁶.</summary>
    public static double[] Zdt1(double[] x)
    {
        var g = 1 + 9.0 / (x.Length - 1) * x.Skip(1).Sum();
        return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
    }

    /// <summary>Runs every side and appends the table to <paramref name="report"/>.</summary>
    public static void Run(int trials, int seeds, StringBuilder report, Dictionary<string, object> results)
    {
        var checkpoints = new[] { 50, 100, 200, trials }.Where(c => c <= trials).Distinct().ToArray();
        var volumes = new Dictionary<string, List<Dictionary<string, double>>>();
        foreach (var (name, _, make) in TrainerSides)
            volumes[name] = [.. Enumerable.Range(0, seeds).Select(seed => Study(make(), trials, seed, checkpoints))];
        var optunaMissing = File.Exists(Python) ? null : $"{Python} is missing";
        if (optunaMissing is null)
        {
            var output = Path.Combine(Path.GetTempPath(), $"trainer-bench-optuna-mo-{Environment.ProcessId}.json");
            var start = new ProcessStartInfo(Python) { UseShellExecute = false };
            foreach (var a in new[] { Path.Combine("bench", "optuna_multiobjective.py"), "--trials", trials.ToString(CultureInfo.InvariantCulture),
                         "--seeds", seeds.ToString(CultureInfo.InvariantCulture), "--checkpoints", string.Join(',', checkpoints), "--out", output })
                start.ArgumentList.Add(a);
            using (var process = Process.Start(start)!)
            {
                process.WaitForExit();
                if (process.ExitCode != 0) optunaMissing = $"bench/optuna_multiobjective.py failed (exit {process.ExitCode}; is python3-optuna installed?)";
            }
            if (optunaMissing is null)
            {
                using var document = JsonDocument.Parse(File.ReadAllText(output));
                File.Delete(output);
                foreach (var side in document.RootElement.GetProperty("hypervolume").EnumerateObject())
                    volumes[side.Name] = [.. side.Value.EnumerateArray().Select(row => row.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetDouble()))];
            }
        }
        var labels = TrainerSides.Select(s => (s.Name, s.Label)).Concat(optunaMissing is null ? OptunaSides : []).ToArray();
        report.Append(CultureInfo.InvariantCulture, $"**search-multiobjective** (ZDT1, 6 dimensions, both minimised; hypervolume of all trials so far, reference (1.1, 11), ")
            .AppendLine(CultureInfo.InvariantCulture, $"the true front's 11.767; median [interquartile range] over seeds 0–{seeds - 1})");
        report.AppendLine();
        if (optunaMissing is not null) report.AppendLine($"Optuna not measured: {optunaMissing}.").AppendLine();
        report.AppendLine("| side | " + string.Join(" | ", checkpoints.Select(c => $"after {c}")) + " |");
        report.AppendLine("| --- |" + string.Concat(checkpoints.Select(_ => " --- |")));
        foreach (var (name, label) in labels)
            report.AppendLine($"| {label} | " + string.Join(" | ", checkpoints.Select(c =>
                Statistics.DescribeQuartiles([.. volumes[name].Select(row => row[c.ToString(CultureInfo.InvariantCulture)])], "0.0000"))) + " |");
        report.AppendLine();
        results["search-multiobjective"] = new { trials, seeds, reference = Reference, hypervolume = volumes };
    }

    private static Dictionary<string, double> Study(ISampler sampler, int trials, int seed, int[] checkpoints)
    {
        var finished = new List<(int Number, double[] Point, double Value)>();
        var objectives = new Dictionary<int, double[]>();
        var row = new Dictionary<string, double>();
        for (var number = 0; number < trials; number++)
        {
            var context = new SamplerContext(number, 6, seed, finished.ToList(), Maximize: false)
            {
                ObjectiveValues = new Dictionary<int, double[]>(objectives), ObjectiveMaximize = Minimise,
            };
            var point = sampler.Next(context);
            var values = Zdt1(point);
            finished.Add((number, point, values[0]));
            objectives[number] = values;
            if (checkpoints.Contains(number + 1))
                row[(number + 1).ToString(CultureInfo.InvariantCulture)] = Pareto.Hypervolume([.. objectives.Values], Minimise, Reference);
        }
        return row;
    }
}
