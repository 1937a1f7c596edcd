using Microsoft.AspNetCore.Http;
using Trainer.Runs;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// A run's <c>report.html</c> (<c>trainer report</c>) as the dashboard serves it: a regular file, never through a link,
/// sandboxed by its Content-Security-Policy (no scripts, an opaque origin) so it cannot reach the dashboard's API.
/// </summary>
internal static class DashboardReport
{
    private const string Policy = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    /// <summary>The report's path when it is a regular file that is not a link; else null.</summary>
    public static string? Path(string runDirectory)
    {
        var file = new FileInfo(System.IO.Path.Combine(runDirectory, RunFiles.Report));
        return file.Exists && file.LinkTarget is null ? file.FullName : null;
    }

    public static IResult Serve(HttpContext context, string runId, string runDirectory)
    {
        if (Path(runDirectory) is not { } path)
            return DashboardApi.Problem(StatusCodes.Status404NotFound, "No report", $"Run '{runId}' has no report.html; 'trainer report {runId}' writes one.");
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.File(path, "text/html; charset=utf-8");
    }
}
