using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Data;
using static TorchSharp.torch;

namespace Trainer.Runs;

/// <summary>
/// Reads and writes <c>normalization.json</c>: the input standardisation fitted on the training split (mode, the shape
/// of the statistics, μ and σ as flat lists), so whoever uses the trained model can prepare inputs the same way.
/// </summary>
public static class NormalizationFile
{
    /// <summary>The file name inside a run directory.</summary>
    public const string FileName = RunFiles.Normalization;

    /// <summary>Writes the statistics of <paramref name="standardizer"/> (or mode "none" when null) into <paramref name="runDirectory"/>.</summary>
    public static void Write(string runDirectory, Standardizer? standardizer)
    {
        var path = Path.Combine(runDirectory, FileName);
        File.WriteAllText(path + ".tmp", ToJson(standardizer).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The file's content for <paramref name="standardizer"/> (mode "none" when null), as a model manifest embeds it.</summary>
    public static JsonObject ToJson(Standardizer? standardizer)
    {
        var json = new JsonObject { ["mode"] = NormalizationModes.Name(standardizer?.Mode ?? NormalizationMode.None) };
        if (standardizer is not null)
        {
            json["shape"] = new JsonArray(Enumerable.Range(0, (int)standardizer.Mean.dim()).Select(d => (JsonNode)standardizer.Mean.size(d)).ToArray());
            json["mean"] = Values(standardizer.Mean);
            json["std"] = Values(standardizer.Std);
        }
        return json;
    }

    /// <summary>Reads the statistics written by <see cref="Write"/>; null when the run did not normalise.</summary>
    /// <exception cref="InvalidDataException">The file is missing a field or its values do not fit its shape.</exception>
    public static Standardizer? Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid normalization file: {e.Message}", e);
        }
        return FromJson(json, path);
    }

    /// <summary>The statistics in <paramref name="node"/> (the file's content, or a manifest's copy); null for mode "none".</summary>
    /// <param name="node">The JSON object.</param>
    /// <param name="path">Where it came from, for messages.</param>
    /// <exception cref="InvalidDataException">A field is missing or the values do not fit the shape.</exception>
    public static Standardizer? FromJson(JsonNode? node, string path)
    {
        try
        {
            var json = node!.AsObject();
            if (!NormalizationModes.TryParse(json["mode"]!.GetValue<string>(), out var mode) || mode == NormalizationMode.Auto)
                throw new InvalidDataException($"{path}: mode '{json["mode"]}' is not per-feature, per-channel or none.");
            if (mode == NormalizationMode.None) return null;
            var shape = json["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            float[] mean = Floats(json["mean"]!), std = Floats(json["std"]!);
            var count = shape.Aggregate(1L, (a, b) => a * b);
            if (mean.Length != count || std.Length != count)
                throw new InvalidDataException($"{path}: {mean.Length} means and {std.Length} deviations do not fit the shape [{string.Join(", ", shape)}].");
            return Standardizer.FromStatistics(mode, tensor(mean, shape).DetachFromDisposeScope(), tensor(std, shape).DetachFromDisposeScope());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a valid normalization file: {e.Message}", e);
        }
    }

    private static JsonArray Values(Tensor statistics)
    {
        using var flat = statistics.detach().cpu().to_type(ScalarType.Float32).contiguous().view(-1);
        return new JsonArray(flat.data<float>().ToArray().Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
    }

    private static float[] Floats(JsonNode node) => node.AsArray().Select(v => v!.GetValue<float>()).ToArray();
}
