namespace Trainer.Recipes;

/// <summary>A parsed <c>Training:Device</c> value: auto, cpu, cuda or cuda:N.</summary>
/// <param name="Kind">"auto", "cpu" or "cuda".</param>
/// <param name="Index">The CUDA device index, or null for the default device.</param>
public readonly record struct DeviceSpec(string Kind, int? Index)
{
    /// <summary>Parses a device string; false when it is none of the accepted forms.</summary>
    public static bool TryParse(string? text, out DeviceSpec spec)
    {
        spec = default;
        var value = (text ?? "").Trim().ToLowerInvariant();
        switch (value)
        {
            case "auto" or "cpu" or "cuda":
                spec = new DeviceSpec(value, null);
                return true;
        }
        if (value.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(value.AsSpan(5), System.Globalization.NumberStyles.None, null, out var index))
        {
            spec = new DeviceSpec("cuda", index);
            return true;
        }
        return false;
    }
}
