namespace Trainer.Hosting.Platform;

/// <summary>
/// Gives memory back to the operating system between runs in one process (a search's trials, an experiment's variants)
/// and before training starts: compacting collections, the glibc heap trim, and a committed allocation budget.
/// </summary>
public static class ProcessMemory
{
    /// <summary>
    /// Gives back what one run held before the next starts in the same process: the data set's host arrays live on the
    /// large-object heap until a full, compacting collection, and glibc keeps freed tensor memory mapped unless asked.
    /// </summary>
    /// <param name="keepWorkingSpace">
    /// Keep the garbage collector's working space committed (a run about to train in this process), rather than
    /// decommitting everything (between a search's trials): recommitting it during training would look like growth.
    /// </param>
    public static void Release(bool keepWorkingSpace = false)
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (OperatingSystem.IsLinux())
        {
            try { _ = MallocTrim(0); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { /* not glibc (musl): nothing to trim */ }
        }
        if (keepWorkingSpace) CommitAllocationBudget();
    }

    /// <summary>
    /// Allocates short-lived objects until the next young-generation collection, so the collector commits the memory it
    /// allocates into now instead of during the first epochs (where it would look like growth), at most 64 MB.
    /// </summary>
    private static void CommitAllocationBudget()
    {
        var collections = GC.CollectionCount(0);
        for (var allocated = 0L; GC.CollectionCount(0) == collections && allocated < 64L << 20; allocated += 8192)
            GC.KeepAlive(new byte[8192 - 24]);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
