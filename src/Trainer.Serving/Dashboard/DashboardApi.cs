using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Trainer.Recipes;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// The dashboard-mode API over finished (and still running) run directories and search studies:
/// <c>/api/info</c>, <c>/api/runs[/{runId}[/metrics|/recipe|/report|/model[/{file}]]]</c>, <c>/api/studies[/{name}]</c>, read-only; and
/// with a run queue, <c>/api/queue</c> (<see cref="DashboardQueueApi"/>).
/// </summary>
internal static class DashboardApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder endpoints, DashboardSource source)
    {
        endpoints.MapGet("/api/info", () => Results.Json(new { mode = "dashboard", queue = source.Queue is not null }, Json));
        endpoints.MapGet("/api/runs", () =>
        {
            var index = source.Runs.Scan();
            var entries = index.Select(r => RunReader.Entry(r.Key, r.Value, source.Runs.Display(r.Value)))
                .OrderByDescending(e => e.StartedAt).ThenBy(e => e.RunId, StringComparer.Ordinal).ToList();
            return Results.Json(entries, Json);
        });
        endpoints.MapGet("/api/runs/{runId}", (string runId) =>
            source.Runs.Find(runId) is { } directory ? Results.Json(RunReader.Status(runId, directory), Json) : RunNotFound(runId));
        endpoints.MapGet("/api/runs/{runId}/metrics", (string runId) =>
            source.Runs.Find(runId) is { } directory ? Results.Json(RunReader.Metrics(directory), Json) : RunNotFound(runId));
        endpoints.MapGet("/api/runs/{runId}/recipe", (string runId) =>
            source.Runs.Find(runId) is not { } directory ? RunNotFound(runId)
            : RunReader.Recipe(directory) is { } recipe ? Results.Text(recipe, "application/json")
            : Problem(StatusCodes.Status404NotFound, "No recipe", $"Run '{runId}' has no readable recipe.json (it failed before it started?)."));
        endpoints.MapGet("/api/runs/{runId}/model", (string runId) =>
            source.Runs.Find(runId) is not { } directory ? RunNotFound(runId)
            : DashboardModelPackage.Manifest(directory) is { } manifest ? Results.Text(manifest, "application/json")
            : Problem(StatusCodes.Status404NotFound, "No model package",
                $"Run '{runId}' has no readable model/model.json (it ended before its first epoch, or it is still training)."));
        endpoints.MapGet("/api/runs/{runId}/model/{file}", (HttpContext context, string runId, string file) =>
            source.Runs.Find(runId) is { } directory ? DashboardModelPackage.Serve(context, runId, directory, file) : RunNotFound(runId));
        endpoints.MapGet("/api/runs/{runId}/report", (HttpContext context, string runId) =>
            source.Runs.Find(runId) is { } directory ? DashboardReport.Serve(context, runId, directory) : RunNotFound(runId));
        if (source.Queue is { } queue) DashboardQueueApi.Map(endpoints, queue, source.Runs);
        endpoints.MapGet("/api/studies", () => Store(source, store => Results.Json(StudyReader.List(store), Json)) ?? Results.Json(Array.Empty<object>(), Json));
        endpoints.MapGet("/api/studies/{name}", (string name) =>
            Store(source, store =>
            {
                var index = source.Runs.Scan();
                return StudyReader.Study(store, name, directory => RunIndex.IdOf(index, directory)) is { } study
                    ? Results.Json(study, Json)
                    : Problem(StatusCodes.Status404NotFound, "No such study", $"Study '{name}' is not in the study store.");
            }) ?? Problem(StatusCodes.Status404NotFound, "No study store", "The dashboard has no study store; start it with --storage sqlite:PATH or postgres:CONNECTION."));
    }

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    private static IResult RunNotFound(string runId) =>
        Problem(StatusCodes.Status404NotFound, "No such run", $"No run directory with id '{runId}' under the runs folder.");

    private static IResult? Store(DashboardSource source, Func<Trainer.Search.IStudyStore, IResult> read)
    {
        try
        {
            return source.WithStore(read);
        }
        catch (RecipeException e)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Study store unavailable", e.Message);
        }
    }
}
