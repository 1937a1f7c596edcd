using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Trainer.Plugins.TensorBoard;

/// <summary>Options of <c>"Type": "TensorBoard"</c>.</summary>
public sealed class TensorBoardOptions
{
    /// <summary>The event folder, relative to the run directory. Default: "tensorboard".</summary>
    [Description("Event folder, relative to the run directory.")]
    [Required(AllowEmptyStrings = false)]
    public string Folder { get; set; } = TensorBoardDefaults.Folder;

    /// <summary>Also write a histogram of every parameter tensor every this many epochs; 0 for none. Default: 0.</summary>
    [Description("Epochs between weight histograms (0: none).")]
    [Range(0, 1_000_000)]
    public int HistogramEvery { get; set; }
}
