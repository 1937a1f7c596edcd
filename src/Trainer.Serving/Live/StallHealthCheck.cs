using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Trainer.Serving.Live;

/// <summary>
/// Unhealthy when the loop has not moved (no batch finished) for longer than <c>Serve:StallSeconds</c> while it is not
/// paused, so a systemd watchdog or a Kubernetes probe can act; healthy while paused, and again as soon as it moves.
/// </summary>
internal sealed class StallHealthCheck(LiveRun live, ServeOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var progress = live.Control.Progress;
        var data = new Dictionary<string, object>
        {
            ["epoch"] = progress.Epoch, ["step"] = progress.Step, ["secondsSinceProgress"] = Math.Round(progress.SecondsSinceProgress, 3),
            ["stallSeconds"] = options.StallSeconds, ["paused"] = progress.Paused,
        };
        var since = progress.SecondsSinceProgress.ToString("0.0", CultureInfo.InvariantCulture);
        var result = progress switch
        {
            { Ended: true } => HealthCheckResult.Healthy("The run has ended.", data),
            { Paused: true } => HealthCheckResult.Healthy("Paused.", data),
            _ when progress.SecondsSinceProgress > options.StallSeconds =>
                HealthCheckResult.Unhealthy($"No batch finished for {since} s (Serve:StallSeconds {options.StallSeconds.ToString(CultureInfo.InvariantCulture)}).", data: data),
            _ => HealthCheckResult.Healthy($"Last progress {since} s ago.", data),
        };
        return Task.FromResult(result);
    }
}
