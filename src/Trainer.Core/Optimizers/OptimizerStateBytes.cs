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
    public static byte[] Save(optim.Optimizer optimizer) => Save(optimizer, shareBuffer: true).ToArray(); // one copy

    /// <summary>
    /// The optimizer's state; with <paramref name="shareBuffer"/>, a view of this thread's scratch stream, valid until
    /// the next call (no array the size of the state is allocated).
    /// </summary>
    internal static ReadOnlyMemory<byte> Save(optim.Optimizer optimizer, bool shareBuffer)
    {
        var helper = Helper(optimizer);
        var raw = Checkpoints.ScratchStream.Rent(Checkpoints.ScratchStream.OptimizerRaw);
        using (var writer = new BinaryWriter(raw, Encoding.UTF8, leaveOpen: true)) helper.save_state_dict(writer);
        var relabelled = Checkpoints.ScratchStream.Rent(Checkpoints.ScratchStream.Optimizer);
        Relabel(Checkpoints.ScratchStream.Contents(raw).Span, StateName(helper), relabelled);
        var contents = Checkpoints.ScratchStream.Contents(relabelled);
        return shareBuffer ? contents : contents.ToArray();
    }

    /// <summary>Loads state written by <see cref="Save(optim.Optimizer)"/> (on either path) into <paramref name="optimizer"/>.</summary>
    /// <exception cref="InvalidDataException">The state is another optimizer's, or does not fit this one's parameters.</exception>
    public static void Load(optim.Optimizer optimizer, ReadOnlyMemory<byte> state)
    {
        var helper = Helper(optimizer);
        var name = ReadName(state.Span);
        if (name != StateName(helper))
            throw new InvalidDataException($"The saved optimizer state is {name}'s, but this run's optimizer is {StateName(helper)}; resume with the recipe the run started with.");
        using var relabelled = new MemoryStream(state.Length + 16);
        Relabel(state.Span, helper.GetType().Name, relabelled);
        relabelled.Position = 0;
        using var reader = new BinaryReader(relabelled);
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

    private static string ReadName(ReadOnlySpan<byte> state)
    {
        var length = NameLength(state, out var prefix);
        return Encoding.UTF8.GetString(state[prefix..length]);
    }

    /// <summary>Writes the state with its leading type name (a length-prefixed string) replaced to <paramref name="destination"/>.</summary>
    private static void Relabel(ReadOnlySpan<byte> state, string name, MemoryStream destination)
    {
        var oldLength = NameLength(state, out _);
        using (var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true)) writer.Write(name);
        destination.Write(state[oldLength..]);
    }

    /// <summary>The byte length of the leading length-prefixed string, its prefix included.</summary>
    private static int NameLength(ReadOnlySpan<byte> state, out int prefix)
    {
        int length = 0, shift = 0, i = 0;
        byte b;
        do
        {
            if (i >= state.Length || shift > 28) throw new InvalidDataException("The optimizer state does not start with its type name.");
            b = state[i++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (length < 0 || length > state.Length - i) throw new InvalidDataException("The optimizer state does not start with its type name.");
        prefix = i;
        return i + length;
    }
}
