using System.Text.Json;

namespace Trainer.Serving.Api;

/// <summary>The API's JSON: camelCase names (ASP.NET Core's web defaults), nulls written.</summary>
public static class ServeJson
{
    /// <summary>Options for every API body and event.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The same, indented (files).</summary>
    public static JsonSerializerOptions Indented { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
