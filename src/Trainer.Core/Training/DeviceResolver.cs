using Trainer.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>Turns <c>Training:Device</c> into a TorchSharp device, with a clear error when CUDA is asked for and absent.</summary>
public static class DeviceResolver
{
    /// <summary>Resolves <paramref name="text"/>: auto picks CUDA when available, else the CPU.</summary>
    public static Device Resolve(string text)
    {
        if (!DeviceSpec.TryParse(text, out var spec))
            throw new RecipeException($"Training:Device '{text}' is not a device; use auto, cpu, cuda or cuda:N.");
        var cudaAvailable = cuda.is_available();
        switch (spec.Kind)
        {
            case "cpu":
                return CPU;
            case "auto":
                return cudaAvailable ? CUDA : CPU;
        }
        if (!cudaAvailable)
            throw new RecipeException(
                $"Training:Device is '{text}' but CUDA is not available: this build uses the CPU libtorch, or no NVIDIA " +
                "driver/GPU was found. Use 'cpu' or 'auto', or build with -p:TorchBackend=cuda-windows (or cuda-linux) on a machine with a GPU.");
        var count = cuda.device_count();
        if (spec.Index is { } index && index >= count)
            throw new RecipeException($"Training:Device is '{text}' but this machine has {count} CUDA device(s) (cuda:0 to cuda:{count - 1}).");
        return spec.Index is { } i ? device(DeviceType.CUDA, i) : CUDA;
    }
}
