namespace Trainer.Data;

/// <summary>The recipe spellings of <see cref="NormalizationMode"/> and how <c>auto</c> resolves.</summary>
public static class NormalizationModes
{
    /// <summary>The accepted values of <c>Data:Normalize</c> (<c>true</c> and <c>false</c> also stand for auto and none).</summary>
    public static readonly IReadOnlyList<string> Names = ["auto", "per-feature", "per-channel", "none"];

    /// <summary>Reads a <c>Data:Normalize</c> value, case-insensitively; false when it is none of <see cref="Names"/>, true or false.</summary>
    public static bool TryParse(string? text, out NormalizationMode mode)
    {
        (var known, mode) = text?.Trim().ToLowerInvariant() switch
        {
            "auto" or "true" => (true, NormalizationMode.Auto),
            "per-feature" => (true, NormalizationMode.PerFeature),
            "per-channel" => (true, NormalizationMode.PerChannel),
            "none" or "false" => (true, NormalizationMode.None),
            _ => (false, NormalizationMode.Auto),
        };
        return known;
    }

    /// <summary>The recipe spelling of <paramref name="mode"/>.</summary>
    public static string Name(NormalizationMode mode) => Names[(int)mode];

    /// <summary>
    /// <paramref name="mode"/> with <see cref="NormalizationMode.Auto"/> resolved for examples of
    /// <paramref name="featureShape"/>: per channel when an example has channels (rank 2 or more), else per feature.
    /// </summary>
    public static NormalizationMode Resolve(NormalizationMode mode, IReadOnlyList<long> featureShape) =>
        mode != NormalizationMode.Auto ? mode : featureShape.Count >= 2 ? NormalizationMode.PerChannel : NormalizationMode.PerFeature;
}
