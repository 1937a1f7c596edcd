using System.Collections.Concurrent;
using System.Diagnostics;

namespace Trainer.Agent.Execution;

/// <summary>
/// Starts processes from one thread that lives as long as the agent. Linux sends a child's parent-death signal when the
/// <em>thread</em> that forked it exits, not the process; a pool thread that retires after idling would kill a run that
/// <see cref="ParentDeath"/> bound to it.
/// </summary>
internal static class ProcessStarter
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = [];
    private static readonly Lazy<Thread> Starter = new(() =>
    {
        var thread = new Thread(() =>
        {
            foreach (var (process, started) in Requests.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    started.SetResult();
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "Trainer agent: process starter",
        };
        thread.Start();
        return thread;
    });

    /// <summary>Starts <paramref name="process"/> on the starter thread and waits until it has started.</summary>
    public static void Start(Process process)
    {
        _ = Starter.Value;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        started.Task.GetAwaiter().GetResult();
    }
}
