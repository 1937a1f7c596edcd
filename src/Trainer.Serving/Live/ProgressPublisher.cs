using Microsoft.Extensions.Hosting;

namespace Trainer.Serving.Live;

/// <summary>Sends the "progress" event at most four times a second, from the loop's published position (no work in the loop).</summary>
internal sealed class ProgressPublisher(LiveRun live) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) live.PublishProgress();
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }
    }
}
