using System.Reflection;
using System.Runtime.InteropServices;

namespace Trainer.Reports;

/// <summary>Where a report was made: OS, .NET, machine, cores, TorchSharp and its libtorch build, Trainer's version.</summary>
internal static class ReportEnvironment
{
    /// <summary>The facts, labelled; the training device comes from the run's summary.</summary>
    public static IReadOnlyList<(string Label, string? Value)> Facts(string? device, DateTimeOffset madeAt) =>
    [
        ("Report made", ReportFormat.Time(madeAt)),
        ("Training device (summary.json)", device ?? "unknown"),
        ("Operating system", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})"),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("Machine", Environment.MachineName),
        ("Processors", ReportFormat.Integer(Environment.ProcessorCount)),
        ("TorchSharp", TorchSharpVersion()),
        ("libtorch build", LibTorchBuild()),
        ("Trainer", Version(typeof(ReportEnvironment).Assembly)),
    ];

    private static string TorchSharpVersion()
    {
        try
        {
            return Version(typeof(TorchSharp.torch).Assembly);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            return "not found";
        }
    }

    private static string Version(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }

    /// <summary>CUDA or CPU, from the native libraries shipped beside the program (without loading them).</summary>
    private static string LibTorchBuild()
    {
        try
        {
            var folders = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native") }
                .Where(Directory.Exists);
            var names = folders.SelectMany(f => Directory.EnumerateFiles(f, "*torch*")).Select(Path.GetFileName).ToList();
            if (names.Any(n => n!.Contains("torch_cuda", StringComparison.OrdinalIgnoreCase))) return "CUDA";
            if (names.Any(n => n!.Contains("torch_cpu", StringComparison.OrdinalIgnoreCase))) return "CPU";
            return "not found beside the program";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
