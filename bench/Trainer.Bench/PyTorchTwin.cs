using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Trainer.Data;

namespace Trainer.Bench;

/// <summary>
/// The raw PyTorch loop (bench/pytorch_loop.py) run by Debian's python3-torch on the OpenMP OpenBLAS, fed the very
/// tensors the C# sides train on (exported once as raw files).
/// </summary>
public static class PyTorchTwin
{
    private const string Python = "/usr/bin/python3";
    private const string OpenMpBlas = "/usr/lib/x86_64-linux-gnu/openblas-openmp";

    /// <summary>Why the twin cannot run here, or null when it can.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Python)) return $"{Python} is missing";
        if (!Directory.Exists(OpenMpBlas)) return "the OpenMP OpenBLAS is missing (apt-get install libopenblas0-openmp)";
        var check = Process.Start(new ProcessStartInfo(Python, "-c \"import torch\"") { RedirectStandardError = true, UseShellExecute = false })!;
        check.WaitForExit();
        return check.ExitCode == 0 ? null : "python3-torch is not installed (apt-get install python3-torch)";
    }

    /// <summary>
    /// Runs a Python <paramref name="script"/> (given on standard input) with PyTorch on the OpenMP OpenBLAS and returns the
    /// numbers of the line it prints as <c>RESULT a b …</c>; throws naming <paramref name="what"/> when there is none.
    /// </summary>
    public static double[] RunScript(string script, string what)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-");
        start.Environment["LD_LIBRARY_PATH"] = OpenMpBlas;
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var line = process.StandardOutput.ReadToEnd().Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{what} failed: {error.Result}");
        process.WaitForExit();
        return [.. line.Split(' ').Skip(1).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>Writes the benchmark's Fashion-MNIST splits (train and validation) as raw float32 / int64 files.</summary>
    public static string ExportData()
    {
        var folder = Path.Combine(Path.GetTempPath(), "trainer-bench-pytorch-data");
        if (File.Exists(Path.Combine(folder, "shape.json"))) return folder;
        Directory.CreateDirectory(folder);
        var recipe = BenchSettings.Recipe(BenchModel.Mlp, 1);
        using var data = DataPipeline.Load(recipe.Data, Directory.GetCurrentDirectory(), BenchSettings.Seed);
        Write(data.Train, "train");
        Write(data.Validation!, "val");
        File.WriteAllText(Path.Combine(folder, "shape.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["train"] = data.Train.Count, ["val"] = data.Validation!.Count, ["featureShape"] = data.Train.FeatureShape,
        }));
        return folder;

        void Write(Dataset set, string name)
        {
            using var features = set.Features.contiguous();
            File.WriteAllBytes(Path.Combine(folder, $"{name}-x.f32"), MemoryMarshal.AsBytes(features.data<float>().ToArray().AsSpan()).ToArray());
            File.WriteAllBytes(Path.Combine(folder, $"{name}-y.i64"), MemoryMarshal.AsBytes(set.Labels.data<long>().ToArray().AsSpan()).ToArray());
        }
    }

    /// <summary>Starts the twin for <paramref name="model"/>.</summary>
    public static ProcessStartInfo Start(BenchModel model, int epochs, string dataFolder)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(RepositoryRoot(), "bench", "pytorch_loop.py"), model.ToString().ToLowerInvariant(), epochs.ToString(), dataFolder })
            start.ArgumentList.Add(a);
        start.Environment["LD_LIBRARY_PATH"] = OpenMpBlas;
        start.Environment["OMP_NUM_THREADS"] = BenchSettings.Threads.ToString();
        return start;
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Trainer.sln"))) return d.FullName;
        throw new InvalidOperationException("Run the benchmark from the repository (no Trainer.sln above the working directory).");
    }
}
