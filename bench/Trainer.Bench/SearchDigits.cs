using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trainer.Bench;

/// <summary>
/// <c>search-digits</c>: real training on recipes/digits-search.json's space. <c>trainer search</c> (the CLI built in Release,
/// one worker) with the Random and the TPE sampler, and Optuna's TPE driving <c>trainer run</c> (bench/optuna_trainer.py),
/// for seeds 0..<c>seeds</c>−1. Every side scores a trial by its last epoch's val_accuracy (Search:Score "last"; Optuna
/// reads summary.json's last_val_accuracy) with no pruner, so that the three see the same objective. Each (side, seed)
/// study's values are kept in the work folder and reused, so sides can be run separately and the report assembled later.
/// </summary>
public static class SearchDigits
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The sides: name, label, sampler type for <c>trainer search</c> (null: Optuna), and whether it gets the Random budget.</summary>
    private static readonly (string Name, string Label, string? Sampler, bool RandomBudget)[] Sides =
    [
        ("trainer-random", "Trainer Random", "Random", true),
        ("trainer-tpe", "Trainer TPE", "TPE", false),
        ("optuna-tpe", "Optuna TPE driving trainer run", null, false),
    ];

    /// <summary>Runs the sides named in <paramref name="only"/> (all when empty) that have no kept values, then reports every side that has.</summary>
    /// <param name="seeds">Seeds per side.</param>
    /// <param name="randomTrials">Trials per study of the Random side.</param>
    /// <param name="tpeTrials">Trials per study of the TPE sides.</param>
    /// <param name="work">The folder of the studies and their kept values.</param>
    /// <param name="only">The sides to run (the others are only reported from kept values).</param>
    /// <param name="report">The report to append to.</param>
    /// <param name="results">The results to add to.</param>
    /// <param name="cli">A built trainer.dll to use, or null to build src/Trainer.Cli in Release and use that.</param>
    public static void Run(int seeds, int randomTrials, int tpeTrials, string work, IReadOnlyCollection<string> only, string? cli, StringBuilder report,
        Dictionary<string, object> results)
    {
        Directory.CreateDirectory(work);
        if (cli is null)
        {
            var build = Process.Start(new ProcessStartInfo("dotnet", "build src/Trainer.Cli -c Release -v q -nologo") { UseShellExecute = false })!;
            build.WaitForExit();
            if (build.ExitCode != 0) throw new InvalidOperationException("dotnet build src/Trainer.Cli -c Release failed.");
            cli = Path.Combine("src", "Trainer.Cli", "bin", "Release", "net10.0", "trainer.dll");
        }
        cli = Path.GetFullPath(cli);
        var values = new Dictionary<string, List<(int Seed, double?[] Values, double Seconds)>>();
        for (var seed = 0; seed < seeds; seed++)
            foreach (var side in Sides)
            {
                var trials = side.RandomBudget ? randomTrials : tpeTrials;
                var folder = Path.Combine(work, $"{side.Name}-seed{seed}-{trials}");
                var kept = Path.Combine(folder, "values.json");
                if (!File.Exists(kept) && (only.Count == 0 || only.Contains(side.Name)))
                {
                    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                    Directory.CreateDirectory(folder);
                    var recipe = WriteRecipe(folder, side.Sampler ?? "Random", trials, seed);
                    var clock = Stopwatch.StartNew();
                    var found = side.Sampler is null ? RunOptuna(cli, recipe, folder, trials, seed) : RunTrainer(cli, recipe, folder, trials);
                    File.WriteAllText(kept, JsonSerializer.Serialize(new { values = found, seconds = clock.Elapsed.TotalSeconds }));
                    Console.Error.WriteLine($"  {side.Name} seed {seed}: best {found.Max()} in {clock.Elapsed.TotalSeconds:0} s");
                }
                if (!File.Exists(kept)) continue;
                using var document = JsonDocument.Parse(File.ReadAllText(kept));
                var read = document.RootElement.GetProperty("values").EnumerateArray()
                    .Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null).ToArray();
                if (!values.TryGetValue(side.Name, out var list)) values[side.Name] = list = [];
                list.Add((seed, read, document.RootElement.GetProperty("seconds").GetDouble()));
            }
        Report(randomTrials, tpeTrials, values, report, results);
    }

    private static void Report(int randomTrials, int tpeTrials, Dictionary<string, List<(int Seed, double?[] Values, double Seconds)>> values,
        StringBuilder report, Dictionary<string, object> results)
    {
        report.AppendLine("**search-digits** (recipes/digits-search.json's space: learning rate, Adam's β1, hidden units, batch size; 8 epochs per trial, " +
                          "objective val_accuracy of the last epoch (216 validation examples), no pruner, one worker × 2 threads)");
        report.AppendLine();
        if (!values.TryGetValue("trainer-random", out var random))
        {
            report.AppendLine("Trainer Random has not run: no target to reach.").AppendLine();
            return;
        }
        var target = Statistics.Median([.. random.Select(r => Best(r.Values, r.Values.Length))]);
        report.AppendLine(CultureInfo.InvariantCulture, $"Target: Random's final best, median over its seeds after {randomTrials} trials: **{target:0.0000}**.")
            .AppendLine("Trials to target: the first trial whose best-so-far reaches it; a seed that never does counts as beyond its budget.");
        report.AppendLine();
        var checkpoints = new[] { 10, 20, tpeTrials, randomTrials }.Distinct().Order().ToArray();
        report.AppendLine("| side | seeds × trials | " + string.Join(" | ", checkpoints.Select(c => $"best after {c}")) +
                          $" | seeds reaching target | median trials to target | median value of trials 11–{tpeTrials} | s per trial |");
        report.AppendLine("| --- | --- |" + string.Concat(checkpoints.Select(_ => " --- |")) + " --- | --- | --- | --- |");
        var summary = new Dictionary<string, object>();
        foreach (var side in Sides.Where(s => values.ContainsKey(s.Name)))
        {
            var runs = values[side.Name];
            var length = runs[0].Values.Length;
            var reached = runs.Select(r => FirstReaching(r.Values, target)).ToList();
            var sorted = reached.Select(r => r ?? int.MaxValue).Order().ToList();
            var median = sorted[(sorted.Count - 1) / 2] == int.MaxValue || sorted[sorted.Count / 2] == int.MaxValue
                ? $"> {length}"
                : ((sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2.0).ToString("0.#", CultureInfo.InvariantCulture);
            var cells = checkpoints.Select(c => c <= length ? Statistics.Describe([.. runs.Select(r => Best(r.Values, c))], "0.0000") : "");
            var perTrial = Statistics.Median([.. runs.Select(r => r.Seconds / r.Values.Length)]);
            // After the 10 start-up trials (the TPE sides' random phase), pooled over seeds, failed trials left out: where a sampler spends its trials.
            var later = runs.SelectMany(r => r.Values.Skip(10).Take(tpeTrials - 10)).Where(v => v is not null).Select(v => v!.Value).ToList();
            var laterMedian = later.Count > 0 ? Statistics.Median(later).ToString("0.0000", CultureInfo.InvariantCulture) : "";
            report.Append(CultureInfo.InvariantCulture, $"| {side.Label} | {runs.Count} × {length} | {string.Join(" | ", cells)} | ")
                .AppendLine(CultureInfo.InvariantCulture, $"{reached.Count(r => r is not null)}/{runs.Count} | {median} | {laterMedian} | {perTrial:0.0} |");
            summary[side.Name] = new { runs = runs.Select(r => new { r.Seed, r.Values, r.Seconds }), trialsToTarget = reached };
        }
        report.AppendLine();
        report.AppendLine("Cells: median (min–max) over seeds.");
        report.AppendLine();
        results["search-digits"] = new { target, sides = summary };
    }

    private static double Best(double?[] values, int count) => values.Take(count).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(double.NaN).Max();

    private static int? FirstReaching(double?[] values, double target)
    {
        for (var i = 0; i < values.Length; i++)
            if (values[i] is { } v && v >= target - 1e-12) return i + 1;
        return null;
    }

    private static string WriteRecipe(string folder, string sampler, int trials, int seed)
    {
        var recipe = JsonNode.Parse(File.ReadAllText(Path.Combine("recipes", "digits-search.json")))!.AsObject();
        var search = recipe["Search"]!.AsObject();
        search.Remove("Pruner");
        search["Sampler"] = new JsonObject { ["Type"] = sampler };
        search["Score"] = "last";
        search["Trials"] = trials;
        search["Seed"] = seed;
        search["Study"] = $"bench-{sampler.ToLowerInvariant()}-{seed}";
        var path = Path.Combine(folder, "recipe.json");
        File.WriteAllText(path, recipe.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private static double?[] RunTrainer(string cli, string recipe, string folder, int trials)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cli, "search", recipe, "--trials", trials.ToString(CultureInfo.InvariantCulture),
                     "--storage", $"sqlite:{Path.Combine(folder, "study.db")}", "--out", Path.Combine(folder, "study") })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"trainer search {recipe} failed (exit {process.ExitCode}): {error.Result}");
        var lines = File.ReadAllLines(Path.Combine(folder, "study", "study.csv"));
        var header = lines[0].Split(',').ToList();
        int number = header.IndexOf("number"), state = header.IndexOf("state"), value = header.IndexOf("value");
        var found = new double?[trials];
        foreach (var fields in lines.Skip(1).Select(l => l.Split(',')))
        {
            var n = int.Parse(fields[number], CultureInfo.InvariantCulture);
            if (n < trials && fields[state] == "complete" && double.TryParse(fields[value], CultureInfo.InvariantCulture, out var v)) found[n] = v;
        }
        return found;
    }

    private static double?[] RunOptuna(string cli, string recipe, string folder, int trials, int seed)
    {
        var output = Path.Combine(folder, "optuna.json");
        var start = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine("bench", "optuna_trainer.py"), "--trainer", Path.ChangeExtension(cli, null), "--recipe", recipe,
                     "--trials", trials.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture),
                     "--work", Path.Combine(folder, "trials"), "--out", output })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"bench/optuna_trainer.py failed (exit {process.ExitCode}): {error}");
        using var document = JsonDocument.Parse(File.ReadAllText(output));
        return [.. document.RootElement.GetProperty("values").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null)];
    }
}
