using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Checkpoints;

/// <summary>
/// Writes and reads checkpoint files: a zip of <c>manifest.json</c> and binary entries, each entry's SHA-256 recorded
/// in the manifest and the manifest's own in <c>manifest.sha256</c>. Writing goes to a temporary file that is flushed
/// to disk and then renamed, so a crash never leaves a half-written checkpoint under the final name.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The extension of checkpoint files.</summary>
    public const string Extension = ".ckpt";

    private const int FormatVersion = 1;
    private static readonly string[] BinaryEntries = ["model.bin", "optimizer.bin", "torch-rng.bin", "shuffle-rng.bin"];

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, TrainingCheckpoint checkpoint)
    {
        var binaries = new[] { checkpoint.Model, checkpoint.Optimizer, checkpoint.TorchRandomState, checkpoint.ShuffleState };
        var manifest = Manifest(checkpoint, binaries);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true });
        var temporary = path + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    Add(zip, "manifest.json", manifestBytes);
                    Add(zip, "manifest.sha256", System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(manifestBytes))));
                    for (var i = 0; i < BinaryEntries.Length; i++) Add(zip, BinaryEntries[i], binaries[i].Span);
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary); // a disk-full or failed write leaves no partial file behind
            throw;
        }
    }

    /// <summary>
    /// Reads and verifies a checkpoint; throws <see cref="RecipeException"/> naming the file when it is truncated, altered,
    /// inflates past its own size (entries are stored, not compressed, so a larger entry is not one this wrote) or holds
    /// values no run could have written.
    /// </summary>
    public static TrainingCheckpoint Read(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var limit = new FileInfo(path).Length + 65_536; // stored entries: none is larger than the file that holds it
            var manifestBytes = Entry(zip, "manifest.json", limit);
            var recorded = System.Text.Encoding.ASCII.GetString(Entry(zip, "manifest.sha256", 1024));
            if (recorded != Convert.ToHexStringLower(SHA256.HashData(manifestBytes)))
                throw Corrupt(path, "its manifest does not match its checksum");
            var manifest = JsonNode.Parse(manifestBytes)!.AsObject();
            if (manifest["format"]!.GetValue<int>() != FormatVersion)
                throw Corrupt(path, $"it has format {manifest["format"]}, this Trainer reads format {FormatVersion}");
            var binaries = new byte[BinaryEntries.Length][];
            for (var i = 0; i < BinaryEntries.Length; i++)
            {
                binaries[i] = Entry(zip, BinaryEntries[i], limit);
                if (Convert.ToHexStringLower(SHA256.HashData(binaries[i])) != manifest["sha256"]![BinaryEntries[i]]!.GetValue<string>())
                    throw Corrupt(path, $"{BinaryEntries[i]} does not match its checksum");
            }
            var checkpoint = FromManifest(manifest, binaries);
            if (Implausible(checkpoint) is { } problem) throw Corrupt(path, problem);
            return checkpoint;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or KeyNotFoundException or NullReferenceException
                                      or InvalidOperationException or FormatException or EndOfStreamException)
        {
            throw Corrupt(path, e.Message);
        }
    }

    private static RecipeException Corrupt(string path, string why) =>
        new($"Checkpoint '{path}' is damaged ({why}); it cannot be used.");

    private static void Add(ZipArchive zip, string name, ReadOnlySpan<byte> bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    /// <summary>An entry's bytes; refused before inflating when it claims more than <paramref name="limit"/> bytes, and while reading when it yields more.</summary>
    private static byte[] Entry(ZipArchive zip, string name, long limit)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"it has no {name}");
        if (entry.Length > limit) throw new InvalidDataException($"{name} would inflate to {entry.Length} bytes, more than the file holds");
        using var stream = entry.Open();
        using var copy = new MemoryStream((int)Math.Min(entry.Length, int.MaxValue));
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > limit) throw new InvalidDataException($"{name} inflates past {limit} bytes, more than the file holds");
        }
        return copy.ToArray();
    }

    /// <summary>The first value in <paramref name="c"/> that no run writes (a rate of −1, a step count below the epochs), or null.</summary>
    private static string? Implausible(TrainingCheckpoint c)
    {
        static bool Rate(double? rate) => rate is null || (rate > 0 && double.IsFinite(rate.Value));
        if (c.CompletedEpochs < 0 || c.GlobalStep < 0) return $"its position (epochs {c.CompletedEpochs}, step {c.GlobalStep}) is negative";
        if (c.History.Count != c.CompletedEpochs) return $"it records {c.History.Count} epochs of metrics for {c.CompletedEpochs} completed epochs";
        for (var i = 0; i < c.History.Count; i++)
            if (c.History[i].Epoch != i + 1) return $"its history's epoch {i + 1} is numbered {c.History[i].Epoch}";
        if (!Rate(c.LearningRate)) return $"its learning rate {c.LearningRate} is not a number above 0";
        if (!Rate(c.BaseLearningRate)) return $"its base learning rate {c.BaseLearningRate} is not a number above 0";
        if (c.BestEpoch is { } best && (best < 1 || best > c.CompletedEpochs)) return $"its best epoch {best} is not one of its {c.CompletedEpochs} epochs";
        if (c.Partial is { } p && (p.NextBatch < 0 || p.Samples < 0 || p.Correct < 0 || p.Correct > p.Samples || p.Samples > p.Order.Length ||
                                   p.Order.Any(i => i < 0 || i >= p.Order.Length)))
            return "its position inside the epoch is inconsistent";
        return null;
    }

    private static JsonObject Manifest(TrainingCheckpoint c, ReadOnlyMemory<byte>[] binaries)
    {
        var hashes = new JsonObject();
        for (var i = 0; i < BinaryEntries.Length; i++) hashes[BinaryEntries[i]] = Convert.ToHexStringLower(SHA256.HashData(binaries[i].Span));
        var callbacks = new JsonObject();
        foreach (var (key, json) in c.CallbackStates) callbacks[key] = JsonNode.Parse(json);
        return new JsonObject
        {
            ["format"] = FormatVersion,
            ["completedEpochs"] = c.CompletedEpochs,
            ["globalStep"] = c.GlobalStep,
            ["reason"] = c.Reason,
            ["createdAt"] = c.CreatedAt.ToString("O"),
            ["bestEpoch"] = c.BestEpoch,
            ["stopRequest"] = c.StopRequest is not { } stop ? null : new JsonObject { ["reason"] = stop.Reason, ["message"] = stop.Message, ["source"] = stop.Source },
            ["history"] = new JsonArray(c.History.Select(h => (JsonNode)new JsonObject
            {
                ["epoch"] = h.Epoch,
                ["seconds"] = h.Seconds,
                ["samplesPerSecond"] = h.SamplesPerSecond,
                ["values"] = new JsonObject(h.Values.Select(v => KeyValuePair.Create(v.Key, Number(v.Value)))),
            }).ToArray()),
            ["partial"] = c.Partial is not { } p ? null : new JsonObject
            {
                ["order"] = new JsonArray(p.Order.Select(i => (JsonNode)i).ToArray()),
                ["nextBatch"] = p.NextBatch,
                ["lossSum"] = Number(p.LossSum),
                ["correct"] = p.Correct,
                ["samples"] = p.Samples,
                ["trainSeconds"] = p.TrainSeconds,
                ["metrics"] = p.Metrics is not { } metrics ? null
                    : new JsonObject(metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)new JsonArray(m.Value.Select(Number).ToArray())))),
            },
            ["callbacks"] = callbacks,
            ["learningRate"] = c.LearningRate,
            ["baseLearningRate"] = c.BaseLearningRate,
            ["recipe"] = c.RecipeJson,
            ["sha256"] = hashes,
        };
    }

    private static TrainingCheckpoint FromManifest(JsonObject m, byte[][] binaries)
    {
        var history = m["history"]!.AsArray().Select(h => new EpochMetrics(
            h!["epoch"]!.GetValue<int>(), h["seconds"]!.GetValue<double>(), h["samplesPerSecond"]!.GetValue<double>(),
            h["values"]!.AsObject().ToDictionary(v => v.Key, v => ReadNumber(v.Value)))).ToList();
        PartialEpoch? partial = m["partial"] is JsonObject p
            ? new PartialEpoch(p["order"]!.AsArray().Select(i => i!.GetValue<long>()).ToArray(), p["nextBatch"]!.GetValue<int>(),
                ReadNumber(p["lossSum"]), p["correct"]!.GetValue<long>(), p["samples"]!.GetValue<long>(), p["trainSeconds"]!.GetValue<double>())
            {
                Metrics = p["metrics"] is JsonObject metrics ? metrics.ToDictionary(m => m.Key, m => m.Value!.AsArray().Select(ReadNumber).ToArray()) : null,
            }
            : null;
        return new TrainingCheckpoint
        {
            CompletedEpochs = m["completedEpochs"]!.GetValue<int>(),
            GlobalStep = m["globalStep"]!.GetValue<long>(),
            Reason = m["reason"]!.GetValue<string>(),
            CreatedAt = DateTimeOffset.Parse(m["createdAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            BestEpoch = m["bestEpoch"]?.GetValue<int>(),
            StopRequest = m["stopRequest"] is JsonObject s
                ? new Callbacks.StopRequest(s["reason"]!.GetValue<string>(), s["message"]!.GetValue<string>(), s["source"]!.GetValue<string>())
                : null,
            History = history,
            Partial = partial,
            CallbackStates = m["callbacks"]!.AsObject().ToDictionary(c => c.Key, c => c.Value!.ToJsonString()),
            RecipeJson = m["recipe"]?.GetValue<string>() ?? "",
            LearningRate = m["learningRate"]?.GetValue<double>(),
            BaseLearningRate = m["baseLearningRate"]?.GetValue<double>(),
            Model = binaries[0],
            Optimizer = binaries[1],
            TorchRandomState = binaries[2],
            ShuffleState = binaries[3],
        };
    }

    // NaN and infinities are not JSON numbers: keep them as strings that round-trip.
    private static JsonNode? Number(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static double ReadNumber(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : node!.GetValue<double>();
}
