namespace Trainer.Tests.Support;

/// <summary>Counts objects an action leaves to the finalizer (finalizable, never disposed).</summary>
internal static class Finalization
{
    /// <summary>Runs <paramref name="action"/> <paramref name="calls"/> times and returns how many objects became
    /// ready for finalization meanwhile (after a young-generation collection).</summary>
    public static long PendingAfter(int calls, Action action)
    {
        action(); // warm-up: first-call allocations (JIT, caches) are not the action's
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        for (var i = 0; i < calls; i++) action();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        return GC.GetGCMemoryInfo(GCKind.Any).FinalizationPendingCount;
    }
}
