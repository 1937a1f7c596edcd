using Microsoft.Extensions.Hosting;

namespace Trainer.Serving.Live;

/// <summary>Creates the <c>Trainer</c> meter when the host starts (the container disposes it when the host goes).</summary>
internal sealed class TrainerMeterService(TrainerMeter meter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(meter);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
