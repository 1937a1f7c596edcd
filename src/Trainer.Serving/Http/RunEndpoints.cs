using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trainer.Control;
using Trainer.Serving.Api;
using Trainer.Serving.Dashboard;
using Trainer.Serving.Live;

namespace Trainer.Serving.Http;

/// <summary>The live run's routes: the read API, the event stream, control, /healthz, /metrics and the dashboard page.</summary>
internal static class RunEndpoints
{
    public static void MapLiveRun(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/info", (LiveRun live) => Results.Json(new { mode = "live", runId = live.RunId }, ServeJson.Options));
        api.MapGet("/run", (LiveRun live) => Results.Json(live.Status(), ServeJson.Options));
        api.MapGet("/run/metrics", (LiveRun live) => Results.Json(live.History(), ServeJson.Options));
        api.MapGet("/run/recipe", (LiveRun live) => Results.Text(live.RecipeJson, "application/json"));
        api.MapGet("/run/events", (HttpContext context, LiveRun live, IHostApplicationLifetime lifetime) => EventStream.Serve(context, live, lifetime));
        api.MapPost("/run/control", Control);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealth });
        app.MapPrometheusScrapingEndpoint("/metrics");
        DashboardPage.Map(app);
    }

    private static async Task<IResult> Control(HttpContext context, LiveRun live, ServeOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Trainer.Serving.Control");
        // Where it came from, as the connection says: a client's own claim (a header) is not evidence.
        var source = $"http {context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
        IResult Reject(int status, string title, string field, string problem)
        {
            ServingLog.ControlRejected(logger, source, status, field, problem);
            return Problems.For(status, title, field, problem);
        }

        var body = await ReadBody(context.Request, options.MaxRequestBodyBytes).ConfigureAwait(false);
        if (body is null)
            return Reject(StatusCodes.Status413PayloadTooLarge, "Request body too large", "body",
                $"The body is larger than Serve:MaxRequestBodyBytes ({options.MaxRequestBodyBytes} bytes); a control request is a small JSON object.");
        var (command, field, parseProblem) = ControlRequest.Parse(body, source);
        if (command is null) return Reject(StatusCodes.Status400BadRequest, "Invalid control request", field, parseProblem);

        var result = live.Control.Submit(command);
        if (!result.Accepted)
            return result.Rejection == ControlRejection.Invalid
                ? Reject(StatusCodes.Status400BadRequest, "Invalid control request", result.Field!, result.Message!)
                : Reject(StatusCodes.Status409Conflict, result.Rejection == ControlRejection.Ended ? "The run has ended" : "Not available in this run",
                    result.Field!, result.Message!);
        ServingLog.ControlAccepted(logger, command.Name, source);
        return Results.Json(new { accepted = true, action = command.Name, value = command.Value, factor = command.Factor }, ServeJson.Options,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    internal static async Task<byte[]?> ReadBody(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit) return null;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var entry = report.Entries.Values.FirstOrDefault();
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            description = entry.Description,
            data = entry.Data,
        }, ServeJson.Options));
    }
}
