using Trainer.Hosting.Features;

namespace Trainer.Terminal;

/// <summary>Starts <see cref="LiveProgress"/> displays on the process console; what <c>trainer run --live</c> uses.</summary>
public sealed class TerminalLiveDisplay : ILiveDisplayFactory
{
    /// <inheritdoc />
    public bool IsSupported => LiveProgress.IsSupported;

    /// <inheritdoc />
    public ILiveDisplay Start(string title) => LiveProgress.Start(title);
}
