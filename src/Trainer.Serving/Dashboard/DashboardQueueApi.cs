using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Trainer.Agent.Queue;
using Trainer.Recipes;
using Trainer.Serving.Api;
using Trainer.Serving.Http;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// The run queue over HTTP: <c>GET /api/queue[/{id}]</c>, <c>POST /api/queue</c> (queue a recipe object) and
/// <c>DELETE /api/queue/{id}</c> (cancel). They sit behind the same guard as every other endpoint (<c>ServerSecurity</c>):
/// the token when one is set, a same-origin or absent Origin, a JSON body, an allowed Host.
/// </summary>
internal static class DashboardQueueApi
{
    /// <summary>The largest <c>POST /api/queue</c> body accepted (1 MiB).</summary>
    public const long MaxBodyBytes = 1 << 20;

    public static void Map(IEndpointRouteBuilder endpoints, IRunQueue queue, RunIndex runs)
    {
        endpoints.MapGet("/api/queue", () => Guard(() => Results.Json(List(queue, runs), DashboardApi.Json)));
        endpoints.MapGet("/api/queue/{id}", (string id) => Guard(() =>
            Id(id) is { } number && queue.Get(number) is { } run ? Results.Json(Entry(run, runs.Scan(), runs), DashboardApi.Json) : NotFound(id)));
        endpoints.MapPost("/api/queue", (HttpContext context, ILoggerFactory loggers) => Submit(context, queue, runs, loggers));
        endpoints.MapDelete("/api/queue/{id}", (HttpContext context, string id, ILoggerFactory loggers) => Cancel(context, id, queue, runs, loggers));
    }

    private static IReadOnlyList<DashboardQueueEntry> List(IRunQueue queue, RunIndex runs)
    {
        var list = queue.List(includeFinished: true);
        var index = list.Any(r => r.RunDirectory is not null) ? runs.Scan() : new Dictionary<string, string>();
        return list.Select(r => Entry(r, index, runs)).ToList();
    }

    private static async Task<IResult> Submit(HttpContext context, IRunQueue queue, RunIndex runs, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Trainer.Serving.Queue");
        var source = $"http {context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
        IResult Reject(int status, string title, string field, string problem)
        {
            ServingLog.QueueRejected(logger, source, status, field, problem);
            return Problems.For(status, title, field, problem);
        }

        var body = await RunEndpoints.ReadBody(context.Request, MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
            return Reject(StatusCodes.Status413PayloadTooLarge, "Request body too large", "body",
                $"The body is larger than {MaxBodyBytes} bytes; a recipe is a small JSON object (data files stay on the agent's machine).");
        var (submission, field, problem) = DashboardQueueRequest.Parse(body);
        if (submission is null) return Reject(StatusCodes.Status400BadRequest, "Invalid queue request", field, problem);
        return Guard(() =>
        {
            var run = queue.Submit(submission);
            ServingLog.QueueSubmitted(logger, run.Id, LogText.Escape(run.Submission.Name), run.Submission.Priority, source);
            return Results.Json(Entry(run, new Dictionary<string, string>(), runs), DashboardApi.Json, statusCode: StatusCodes.Status201Created);
        });
    }

    private static IResult Cancel(HttpContext context, string id, IRunQueue queue, RunIndex runs, ILoggerFactory loggers) => Guard(() =>
    {
        if (Id(id) is not { } number || queue.Get(number) is not { } before) return NotFound(id);
        if (!queue.Cancel(number))
            return Problems.For(StatusCodes.Status409Conflict, "The run has ended", "id",
                $"Run q{number} already ended ({(queue.Get(number) ?? before).State.ToString().ToLowerInvariant()}); there is nothing to cancel.");
        ServingLog.QueueCancelled(loggers.CreateLogger("Trainer.Serving.Queue"), number, before.State.ToString().ToLowerInvariant(),
            $"http {context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}");
        var after = queue.Get(number) ?? before;
        // A running run stops at its agent's next heartbeat: accepted, not yet done.
        return Results.Json(Entry(after, runs.Scan(), runs), DashboardApi.Json,
            statusCode: after.State == QueuedRunState.Running ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    });

    private static DashboardQueueEntry Entry(QueuedRun run, IReadOnlyDictionary<string, string> index, RunIndex runs)
    {
        var directory = run.RunDirectory;
        var runId = directory is null ? null : RunIndex.IdOf(index, directory);
        var duration = run.DurationSeconds;
        if (run.State == QueuedRunState.Running && duration is null && run.StartedAt is { } started)
            duration = Math.Max(0, (DateTimeOffset.UtcNow - started).TotalSeconds);
        return new DashboardQueueEntry(run.Id, run.Submission.Name, run.State.ToString().ToLowerInvariant(), run.Submission.Priority, run.Submission.Overrides,
            run.Agent, run.Attempts, run.SubmittedAt, run.StartedAt, run.FinishedAt, duration, run.PeakMemoryBytes, run.ExitCode, run.Message, run.CancelRequested,
            runId, directory is null ? null : runs.Display(directory),
            run.State == QueuedRunState.Running && directory is not null ? LiveUrl(directory) : null,
            runId is not null && DashboardModelPackage.Exists(directory!), runId is not null && DashboardReport.Path(directory!) is not null);
    }

    /// <summary>The live page of a serving run, from its endpoint.json: an http(s) URL only, and only while it serves.</summary>
    private static string? LiveUrl(string directory)
    {
        try
        {
            return EndpointInfo.Read(directory) is { Ended: false } endpoint && Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var uri) &&
                   uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) + "/" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static long? Id(string text) =>
        long.TryParse(text.TrimStart('q', 'Q'), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static IResult NotFound(string id) =>
        Problems.For(StatusCodes.Status404NotFound, "No such queued run", "id", $"There is no run '{LogText.Escape(id, 40)}' in the queue; GET /api/queue lists them.");

    /// <summary>Runs <paramref name="action"/>; a queue that cannot be reached (a database down) becomes 503.</summary>
    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is RecipeException or DbException)
        {
            return DashboardApi.Problem(StatusCodes.Status503ServiceUnavailable, "Run queue unavailable", e.Message);
        }
    }
}
