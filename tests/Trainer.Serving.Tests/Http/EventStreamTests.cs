using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Trainer.Control;
using Trainer.Serving.Http;
using Trainer.Serving.Live;

namespace Trainer.Serving.Tests.Http;

/// <summary>The event stream's end: the run's final status reaches the page even when the host stops right after it.</summary>
public sealed class EventStreamTests
{
    [Test]
    public async Task TheFinalStatusQueuedBeforeTheHostStopsIsStillSent()
    {
        var live = new LiveRun("run", "recipe", "{}", 3, DateTimeOffset.UtcNow, new TrainingControl(checkpointAvailable: false));
        var body = new SignallingStream();
        var context = new DefaultHttpContext { Response = { Body = body } };
        using var stopping = new CancellationTokenSource();
        var serving = EventStream.Serve(context, live, new StoppingLifetime(stopping.Token));
        await Task.WhenAny(body.FirstWrite.Task, serving).WaitAsync(TimeSpan.FromSeconds(30)); // the status a new client gets at once, held there
        if (serving.IsCompleted) await serving;

        // What happens when a run ends: the callback reports the end, then the host stops, both before the stream moves on.
        live.Ended("stopped");
        await stopping.CancelAsync();
        body.Release.SetResult();
        await serving.WaitAsync(TimeSpan.FromSeconds(30));

        var text = body.Text;
        Assert.That(text.Split("event: status").Length - 1, Is.EqualTo(2), text);
        Assert.That(text[text.LastIndexOf("event: status", StringComparison.Ordinal)..], Does.Contain("\"status\":\"stopped\""), text);
    }

    private sealed class StoppingLifetime(CancellationToken stopping) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => stopping;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => throw new NotSupportedException();
    }

    /// <summary>A response body that says when the first bytes arrive and holds that write until released.</summary>
    private sealed class SignallingStream : MemoryStream
    {
        public TaskCompletionSource FirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Text => Encoding.UTF8.GetString(ToArray());

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await base.WriteAsync(buffer, CancellationToken.None);
            if (FirstWrite.TrySetResult()) await Release.Task;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
