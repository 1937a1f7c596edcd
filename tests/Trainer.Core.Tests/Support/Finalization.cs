namespace Trainer.Tests.Support;

/// <summary>Counts objects code leaves to the finalizer (finalizable, never disposed).</summary>
internal static class Finalization
{
    private const long NoCollectionBudget = 64L << 20;

    /// <summary>Collects until nothing is left to finalize, so that a count that follows is the code's own.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>
    /// Starts a region without collections, so that the count read by <see cref="CountSinceSettled"/> covers everything
    /// since <see cref="Settle"/> (a collection in between would queue objects it then does not see).
    /// </summary>
    public static void StartNoCollection()
    {
        if (!GC.TryStartNoGCRegion(NoCollectionBudget)) throw new InvalidOperationException("The collector refused a no-collection region.");
    }

    /// <summary>Ends the region and returns how many objects became ready for finalization since it started.</summary>
    public static long CountSinceSettled()
    {
        if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        else throw new InvalidOperationException("A collection happened inside the no-collection region (it allocated more than its budget); the count would be incomplete.");
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        return GC.GetGCMemoryInfo(GCKind.Any).FinalizationPendingCount;
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="calls"/> times and returns how many objects became
    /// ready for finalization meanwhile.</summary>
    public static long PendingAfter(int calls, Action action)
    {
        action(); // warm-up: first-call allocations (JIT, caches) are not the action's
        Settle();
        StartNoCollection();
        for (var i = 0; i < calls; i++) action();
        return CountSinceSettled();
    }
}
