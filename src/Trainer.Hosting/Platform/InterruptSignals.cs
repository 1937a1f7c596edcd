using System.Runtime.InteropServices;

namespace Trainer.Hosting.Platform;

/// <summary>
/// The interrupt policy of a run in a terminal: the first Ctrl+C (SIGINT) asks the host to stop after the current batch,
/// writing a checkpoint and the summary; a second one exits at once with <see cref="ExitCodes.Interrupted"/>.
/// </summary>
public static class InterruptSignals
{
    /// <summary>
    /// Watches SIGINT for the life of the returned registration, logging each interrupt to <paramref name="logger"/>
    /// (disposed before an immediate exit, so its last lines reach the files). Null where POSIX signals are not supported.
    /// </summary>
    public static IDisposable? SecondInterruptExits(Serilog.ILogger logger)
    {
        var interrupts = 0;
        try
        {
            return PosixSignalRegistration.Create(PosixSignal.SIGINT, _ =>
            {
                if (Interlocked.Increment(ref interrupts) < 2)
                {
                    // The host's console lifetime handles the first one; say it arrived, as the batch may take a while.
                    logger.Warning("Interrupt received: stopping after the current batch (Ctrl+C again exits at once)");
                    return;
                }
                logger.Warning("Second interrupt: exiting at once without waiting for the current batch");
                (logger as IDisposable)?.Dispose();
                ImmediateExit.Now(ExitCodes.Interrupted);
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}
