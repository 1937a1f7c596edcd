using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Runs;

namespace Trainer.Reports;

/// <summary>
/// The run report's "Model" section: the key facts of the model package's manifest (<c>model/model.json</c>), read
/// defensively (a missing field shows "—"), its metrics, and relative links to the package's files that exist.
/// </summary>
internal static class ModelSection
{
    public const string Id = "model";

    /// <summary>The package's files in the order the links list them.</summary>
    public static readonly IReadOnlyList<string> Files =
        [ModelPackageFiles.Manifest, ModelPackageFiles.Weights, ModelPackageFiles.PyTorchWeights, ModelPackageFiles.PyTorchModule];

    /// <summary>True when the run has a model folder to show.</summary>
    public static bool Present(string runDirectory) => Directory.Exists(Path.Combine(runDirectory, RunFiles.Model));

    public static void Render(HtmlPage page, string runDirectory, string reportFolder)
    {
        var folder = Path.Combine(runDirectory, RunFiles.Model);
        page.Heading(2, "Model", Id);
        var manifestPath = Path.Combine(folder, ModelPackageFiles.Manifest);
        JsonObject? manifest = null;
        if (!File.Exists(manifestPath))
            page.Notice("Missing files:", [$"{RunFiles.Model}/{ModelPackageFiles.Manifest} is missing: the package was not finished (the run was killed while writing it?)."], id: "model-missing");
        else
        {
            try
            {
                manifest = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject
                           ?? throw new JsonException("the manifest is not a JSON object");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                page.Notice("Unreadable files:", [$"{RunFiles.Model}/{ModelPackageFiles.Manifest} could not be read: {e.Message}"], error: true, id: "model-unreadable");
            }
        }
        if (manifest is not null)
        {
            page.Paragraph("The weights the run tested, with everything needed to use them without the recipe (trainer predict, TrainedModel.Load, PyTorch).");
            page.Facts(Facts(manifest), "model-facts");
            if (manifest["metrics"] is JsonObject metrics)
            {
                var values = metrics.Where(m => Number(m.Value) is not null).ToDictionary(m => m.Key, m => Number(m.Value)!.Value);
                page.Heading(3, "Metrics of the packaged weights");
                RunReport.FinalMetrics(page, values, "model-metrics");
            }
        }
        var links = Files.Where(f => File.Exists(Path.Combine(folder, f))).ToList();
        if (links.Count == 0) return;
        page.Raw("<ul class=\"files\" id=\"model-files\">");
        foreach (var file in links)
            page.Raw("<li><a href=\"").Raw(HtmlPage.Encode(HtmlPage.Href(Path.GetRelativePath(reportFolder, Path.Combine(folder, file))))).Raw("\">")
                .Text($"{RunFiles.Model}/{file}").Raw("</a> <small>").Text(Describe(file, Path.Combine(folder, file))).Raw("</small></li>");
        page.Raw("</ul>\n");
    }

    /// <summary>The manifest's key facts; "—" for what it lacks.</summary>
    public static IEnumerable<(string, string?)> Facts(JsonObject manifest)
    {
        var architecture = manifest["architecture"] as JsonObject;
        var kind = Text(architecture?["kind"]);
        var type = Text(architecture?["type"]);
        var assembly = Text(architecture?["assembly"]);
        yield return ("Architecture", kind ?? (type is null ? null : assembly is null ? type : $"{type} ({assembly})") ?? Missing);
        yield return ("Parameters", Number(architecture?["parameters"]) is { } parameters ? parameters.ToString("#,0", CultureInfo.InvariantCulture) : Missing);
        yield return ("Input shape", manifest["inputShape"] is JsonArray shape && shape.Count > 0 ? string.Join(" × ", shape.Select(d => Text(d) ?? "?")) : Missing);
        var task = manifest["task"] as JsonObject;
        yield return ("Task", Text(task?["kind"]) ?? Missing);
        yield return ("Outputs", Text(task?["outputs"]) ?? Missing);
        yield return ("Classes", task?["classNames"] is JsonArray names && names.Count > 0 ? Names(names) : Missing);
        var weights = manifest["weights"] as JsonObject;
        var epoch = Text(weights?["epoch"]);
        var description = Text(weights?["description"]);
        yield return ("Weights", (epoch, description) switch
        {
            (null, null) => Missing,
            ({ } e, null) => $"epoch {e}",
            (null, { } d) => d,
            ({ } e, { } d) => $"epoch {e}: {d}",
        });
        yield return ("Weights file", Text(weights?["file"]) is { } file
            ? Number(weights?["bytes"]) is { } bytes ? $"{file}, {bytes.ToString("#,0", CultureInfo.InvariantCulture)} bytes" : file
            : Missing);
        yield return ("SHA-256", Text(weights?["sha256"]) ?? Missing);
        // The contract names it "pytorch"; the writer's camel-casing of PyTorch gives "pyTorch": either is read.
        var pytorch = (manifest["pytorch"] ?? manifest["pyTorch"]) as JsonObject;
        yield return ("PyTorch", Text(pytorch?["file"]) is { } pt ? Text(pytorch?["module"]) is { } module ? $"{pt}, {module}" : pt : Missing);
        var versions = manifest["versions"] as JsonObject;
        yield return ("Trainer", Text(versions?["trainer"]) ?? Missing);
        yield return ("TorchSharp", Text(versions?["torchSharp"]) ?? Missing);
        yield return ("libtorch", Text(versions?["libTorch"]) ?? Missing);
        var created = Text(manifest["createdAt"]);
        yield return ("Created", created is null ? Missing
            : DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? ReportFormat.Time(time) : created);
    }

    private const string Missing = "—";

    private static string Names(JsonArray names)
    {
        const int shown = 20;
        var text = string.Join(", ", names.Take(shown).Select(n => Text(n) ?? "?"));
        return names.Count > shown ? $"{text}, … ({names.Count} in all)" : text;
    }

    /// <summary>A scalar as text (numbers invariant, booleans lower-case); null for null, missing, objects and arrays.</summary>
    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        }
        : null;

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string Describe(string name, string path)
    {
        var what = name switch
        {
            ModelPackageFiles.Manifest => "manifest",
            ModelPackageFiles.Weights => "weights, TorchSharp format",
            ModelPackageFiles.PyTorchWeights => "weights, PyTorch state_dict",
            _ => "PyTorch module",
        };
        try
        {
            return $"{what}, {new FileInfo(path).Length.ToString("#,0", CultureInfo.InvariantCulture)} bytes";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return what;
        }
    }
}
