using System.Globalization;
using Trainer.Recipes;

namespace Trainer.Agent.Execution;

/// <summary>The memory an agent's runs may use together: given, else its control group's limit, else what the machine has.</summary>
public static class AgentMemory
{
    /// <summary>
    /// Parses a size as systemd's MemoryMax= writes it: bytes with an optional K, M, G or T suffix (powers of 1024), e.g. 48G.
    /// </summary>
    /// <exception cref="RecipeException">The text is not such a size.</exception>
    public static long Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var shift = trimmed.Length > 0 ? char.ToUpperInvariant(trimmed[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 } : 0;
        var number = shift > 0 ? trimmed[..^1] : trimmed;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new RecipeException($"{option} '{text}' is not a memory size; write bytes with an optional K, M, G or T suffix, e.g. 48G.");
        return (long)(value * (1L << shift));
    }

    /// <summary>
    /// The memory this process may use: its cgroup v2 <c>memory.max</c> when one is set (systemd's MemoryMax=, a container's
    /// limit), else the memory .NET sees as available to it.
    /// </summary>
    public static long Available()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/self/cgroup"))
            {
                var group = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
                var max = group is null ? null : Path.Combine("/sys/fs/cgroup", group.TrimStart('/'), "memory.max");
                if (max is not null && File.Exists(max) && long.TryParse(File.ReadAllText(max).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
                    return Math.Min(limit, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no readable cgroup: what .NET sees
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
