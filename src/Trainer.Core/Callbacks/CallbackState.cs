using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trainer.Callbacks;

/// <summary>A stateful callback's snapshot: named numbers, strings, flags and number arrays, serialisable to JSON.</summary>
public sealed class CallbackState
{
    private readonly JsonObject values;

    /// <summary>Creates an empty state.</summary>
    public CallbackState() : this(new JsonObject()) { }

    private CallbackState(JsonObject values) => this.values = values;

    /// <summary>The names stored.</summary>
    public IEnumerable<string> Keys => values.Select(p => p.Key);

    /// <summary>Stores a number (NaN and infinities included).</summary>
    public CallbackState Set(string key, double value)
    {
        values[key] = Number(value);
        return this;
    }

    /// <summary>Stores an integer.</summary>
    public CallbackState Set(string key, long value) { values[key] = value; return this; }

    /// <summary>Stores a string.</summary>
    public CallbackState Set(string key, string? value) { values[key] = value; return this; }

    /// <summary>Stores a flag.</summary>
    public CallbackState Set(string key, bool value) { values[key] = value; return this; }

    /// <summary>Stores an array of numbers (NaN and infinities included).</summary>
    public CallbackState Set(string key, IEnumerable<double> value)
    {
        values[key] = new JsonArray(value.Select(v => (JsonNode?)Number(v)).ToArray());
        return this;
    }

    /// <summary>Stores named tensors (e.g. a snapshot of weights) exactly: dtype, shape and bytes.</summary>
    public CallbackState SetTensors(string key, IEnumerable<KeyValuePair<string, TorchSharp.torch.Tensor>> tensors)
    {
        var entries = new JsonObject();
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            entries[name] = new JsonObject
            {
                ["dtype"] = tensor.dtype.ToString(),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data"] = Convert.ToBase64String(cpu.bytes),
            };
        }
        values[key] = entries;
        return this;
    }

    /// <summary>Reads tensors stored with <see cref="SetTensors"/> as new CPU tensors (the caller owns them).</summary>
    public Dictionary<string, TorchSharp.torch.Tensor> GetTensors(string key)
    {
        var result = new Dictionary<string, TorchSharp.torch.Tensor>();
        foreach (var (name, node) in Node(key)!.AsObject())
        {
            var dtype = Enum.Parse<TorchSharp.torch.ScalarType>(node!["dtype"]!.GetValue<string>());
            var shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var tensor = TorchSharp.torch.empty(shape, dtype).DetachFromDisposeScope();
            tensor.bytes = Convert.FromBase64String(node["data"]!.GetValue<string>());
            result[name] = tensor;
        }
        return result;
    }

    /// <summary>Reads a number; throws <see cref="KeyNotFoundException"/> naming the key when absent.</summary>
    public double GetDouble(string key) => ReadNumber(Node(key));

    /// <summary>Reads an integer.</summary>
    public long GetInt64(string key) => Node(key)!.GetValue<long>();

    /// <summary>Reads a string.</summary>
    public string? GetString(string key) => Node(key)?.GetValue<string>();

    /// <summary>Reads a flag.</summary>
    public bool GetBoolean(string key) => Node(key)!.GetValue<bool>();

    /// <summary>Reads an array of numbers.</summary>
    public double[] GetDoubles(string key) => Node(key)!.AsArray().Select(ReadNumber).ToArray();

    /// <summary>True when <paramref name="key"/> is stored.</summary>
    public bool Contains(string key) => values.ContainsKey(key);

    /// <summary>The state as a JSON object text.</summary>
    public string ToJson() => values.ToJsonString();

    /// <summary>Parses a state written by <see cref="ToJson"/>.</summary>
    public static CallbackState FromJson(string json) =>
        new(JsonNode.Parse(json) as JsonObject ?? throw new JsonException("Callback state must be a JSON object."));

    // JSON has no NaN or infinity: those are stored as the strings "NaN", "Infinity" and "-Infinity".
    private static JsonValue Number(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    private static double ReadNumber(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text)
        ? double.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
        : node!.GetValue<double>();

    private JsonNode? Node(string key) =>
        values.TryGetPropertyValue(key, out var node) ? node : throw new KeyNotFoundException($"Callback state has no '{key}'.");
}
