using System.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Optimizers;

/// <summary>
/// Saves and loads an optimizer's state (options, moments, step counts) in TorchSharp's state-dictionary format,
/// labelled with the managed optimizer's type name (<c>Adam</c>, <c>AdamW</c>, <c>SGD</c>) whichever path wrote it, so a
/// checkpoint written with the fused kernels resumes on the managed optimizer and the other way round.
/// </summary>
public static class OptimizerStateBytes
{
    /// <summary>The optimizer's state.</summary>
    /// <exception cref="InvalidOperationException">The optimizer cannot save its state (not a managed TorchSharp optimizer).</exception>
    public static byte[] Save(optim.Optimizer optimizer)
    {
        var helper = Helper(optimizer);
        using var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, Encoding.UTF8, leaveOpen: true)) helper.save_state_dict(writer);
        return Relabel(saved.ToArray(), StateName(helper));
    }

    /// <summary>Loads state written by <see cref="Save"/> (on either path) into <paramref name="optimizer"/>.</summary>
    /// <exception cref="InvalidDataException">The state is another optimizer's, or does not fit this one's parameters.</exception>
    public static void Load(optim.Optimizer optimizer, byte[] state)
    {
        var helper = Helper(optimizer);
        var name = ReadName(state, out _);
        if (name != StateName(helper))
            throw new InvalidDataException($"The saved optimizer state is {name}'s, but this run's optimizer is {StateName(helper)}; resume with the recipe the run started with.");
        using var reader = new BinaryReader(new MemoryStream(Relabel(state, helper.GetType().Name)));
        helper.load_state_dict(reader);
    }

    /// <summary>The managed optimizer type whose format the state has.</summary>
    private static string StateName(OptimizerHelper optimizer) => optimizer switch
    {
        FusedAdam => nameof(Adam),
        FusedAdamW => nameof(AdamW),
        FusedSgd => nameof(SGD),
        _ => optimizer.GetType().Name,
    };

    private static OptimizerHelper Helper(optim.Optimizer optimizer) =>
        optimizer as OptimizerHelper ?? throw new InvalidOperationException($"{optimizer.GetType().Name} cannot save its state.");

    private static string ReadName(byte[] state, out int length)
    {
        using var reader = new BinaryReader(new MemoryStream(state), Encoding.UTF8);
        var name = reader.ReadString();
        length = (int)reader.BaseStream.Position;
        return name;
    }

    /// <summary>The same state with its leading type name (a length-prefixed string) replaced.</summary>
    private static byte[] Relabel(byte[] state, string name)
    {
        ReadName(state, out var length);
        using var relabelled = new MemoryStream(state.Length + 16);
        using (var writer = new BinaryWriter(relabelled, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(name);
            writer.Write(state, length, state.Length - length);
        }
        return relabelled.ToArray();
    }
}
