namespace Trainer.Callbacks;

/// <summary>
/// When a periodic action is due, by a 1-based counter (epoch or step): every N, or once at N. Shared by plugins so
/// none rewrites its own counter logic.
/// </summary>
public readonly record struct HookFilter
{
    private HookFilter(long every, long once)
    {
        Every = every;
        Once = once;
    }

    /// <summary>The period, or 0.</summary>
    public long Every { get; }

    /// <summary>The single count it fires at, or 0.</summary>
    public long Once { get; }

    /// <summary>Due at counts N, 2N, 3N, …; 0 never fires.</summary>
    public static HookFilter EveryN(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return new HookFilter(n, 0);
    }

    /// <summary>Due only at count <paramref name="n"/>.</summary>
    public static HookFilter OnceAt(long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return new HookFilter(0, n);
    }

    /// <summary>True when the action is due at <paramref name="count"/> (1-based).</summary>
    public bool IsDue(long count) => count >= 1 && ((Every > 0 && count % Every == 0) || (Once > 0 && count == Once));
}
