using System.Text.Json;
using Trainer.Control;

namespace Trainer.Serving.Http;

/// <summary>Reads the body of <c>POST /api/run/control</c> into a command, or the field at fault and why.</summary>
internal static class ControlRequest
{
    private static readonly string[] Fields = ["action", "value", "factor"];

    public static (ControlCommand? Command, string Field, string Problem) Parse(ReadOnlySpan<byte> body, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return (null, "body", $"The body is not valid JSON ({e.Message.Split(" Path:")[0]}); send e.g. {{\"action\":\"lr\",\"value\":0.003}}.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, "body", "The body must be a JSON object, e.g. {\"action\":\"pause\"}.");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!Fields.Contains(property.Name))
                    return (null, LogText.Escape(property.Name, 40), $"'{LogText.Escape(property.Name, 40)}' is not a control field; the fields are action, value and factor.");
                if (!seen.Add(property.Name))
                    return (null, property.Name, $"'{property.Name}' is given twice; give each field once.");
            }
            if (!root.TryGetProperty("action", out var actionElement) || actionElement.ValueKind != JsonValueKind.String)
                return (null, "action", $"'action' is required: one of {string.Join(", ", ControlCommand.Names)}.");
            var name = actionElement.GetString();
            if (ControlCommand.Parse(name) is not { } action)
                return (null, "action", $"'{LogText.Escape(name ?? "", 40)}' is not an action; use one of {string.Join(", ", ControlCommand.Names)}.");
            var (value, valueProblem) = Number(root, "value");
            if (valueProblem is not null) return (null, "value", valueProblem);
            var (factor, factorProblem) = Number(root, "factor");
            if (factorProblem is not null) return (null, "factor", factorProblem);
            if (action != ControlAction.LearningRate && (value ?? factor) is not null)
                return (null, value is not null ? "value" : "factor", $"'{name}' takes no value or factor.");
            return (new ControlCommand(action, source) { Value = value, Factor = factor }, "", "");
        }
    }

    private static (double? Value, string? Problem) Number(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return (null, null);
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var number) || !double.IsFinite(number))
            return (null, $"{name} must be a finite number above 0; got {element.GetRawText()}.");
        return (number, null);
    }
}
