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

    /// <summary>Reads and verifies a checkpoint; throws <see cref="RecipeException"/> naming the file when it is truncated or altered.</summary>
    public static TrainingCheckpoint Read(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var manifestBytes = Entry(zip, "manifest.json");
            var recorded = System.Text.Encoding.ASCII.GetString(Entry(zip, "manifest.sha256"));
            if (recorded != Convert.ToHexStringLower(SHA256.HashData(manifestBytes)))
                throw Corrupt(path, "its manifest does not match its checksum");
            var manifest = JsonNode.Parse(manifestBytes)!.AsObject();
            if (manifest["format"]!.GetValue<int>() != FormatVersion)
                throw Corrupt(path, $"it has format {manifest["format"]}, this Trainer reads format {FormatVersion}");
            var binaries = new byte[BinaryEntries.Length][];
            for (var i = 0; i < BinaryEntries.Length; i++)
            {
                binaries[i] = Entry(zip, BinaryEntries[i]);
                if (Convert.ToHexStringLower(SHA256.HashData(binaries[i])) != manifest["sha256"]![BinaryEntries[i]]!.GetValue<string>())
                    throw Corrupt(path, $"{BinaryEntries[i]} does not match its checksum");
            }
            return FromManifest(manifest, binaries);
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

    private static byte[] Entry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"it has no {name}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
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
