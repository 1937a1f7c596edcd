using Trainer.Recipes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trainer.Models.Transfer;

/// <summary>
/// Transfer learning as recipe settings: <see cref="InitFrom"/> copies a trained model's matching tensors into a freshly
/// initialised one (<c>Model:InitFrom</c>, <c>Model:InitFromSkip</c>), <see cref="Freeze"/> stops tensors from training
/// (<c>Model:Freeze</c>). Tensors are matched by state-dictionary name, e.g. <c>layers.fc1.weight</c>.
/// </summary>
public static class ModelTransfer
{
    /// <summary>
    /// Copies every tensor of the file at <paramref name="path"/> whose name and shape match one of <paramref name="model"/>'s
    /// (parameters and buffers, converted to the model's element type) into the model, except those <paramref name="skip"/>
    /// names; the other tensors keep the values they have. Nothing draws random numbers, so a seeded initialisation of the
    /// tensors not loaded is the same as without it. Call it on the CPU model, before it moves and before the optimizer exists.
    /// </summary>
    /// <param name="model">The freshly built and initialised model.</param>
    /// <param name="path">An absolute path: a model package folder, a run directory, a checkpoint, a PyTorch state_dict or TorchSharp weights.</param>
    /// <param name="skip">Name patterns (<c>*</c>, <c>?</c>) of tensors not to load.</param>
    /// <exception cref="RecipeException">The file is missing or unreadable, a skip pattern matches nothing, a tensor's shape
    /// differs (all such tensors in one message), or no tensor matches at all.</exception>
    public static InitFromResult InitFrom(nn.Module model, string path, IEnumerable<string>? skip = null)
    {
        var patterns = TensorNamePattern.Parse(skip);
        var contents = WeightsFile.Read(path);
        try
        {
            var state = model.state_dict();
            foreach (var pattern in patterns.Where(p => !state.Keys.Any(p.IsMatch) && !contents.Tensors.Keys.Any(p.IsMatch)))
                throw new RecipeException($"Model:InitFromSkip pattern '{pattern.Text}' matches no tensor of the model or of '{contents.File}'; " +
                                          $"the model's tensors: {TensorNamePattern.Brief(state.Keys)}.");

            List<string> loaded = [], skipped = [], missing = [], misfits = [];
            foreach (var (name, tensor) in state)
            {
                if (TensorNamePattern.Any(patterns, name)) skipped.Add(name);
                else if (!contents.Tensors.TryGetValue(name, out var source)) missing.Add(name);
                else if (source.shape.SequenceEqual(tensor.shape)) loaded.Add(name);
                else misfits.Add(name);
            }
            var unused = contents.Tensors.Keys.Where(n => !state.ContainsKey(n) || TensorNamePattern.Any(patterns, n)).ToList();
            if (misfits.Count > 0) throw Misfit(misfits, state, contents);
            if (loaded.Count == 0)
                throw new RecipeException($"Model:InitFrom: '{contents.File}' ({contents.Format}) has no tensor this model has" +
                                          (skipped.Count > 0 ? " that Model:InitFromSkip leaves to load" : "") +
                                          $"; it holds {TensorNamePattern.Brief(contents.Tensors.Keys, 6)}, the model has {TensorNamePattern.Brief(state.Keys, 6)}. " +
                                          "Is it the weights of another architecture?");

            using (no_grad())
            {
                foreach (var name in loaded) state[name].copy_(contents.Tensors[name]);
            }
            return new InitFromResult
            {
                File = contents.File, Format = contents.Format, Loaded = loaded, Skipped = skipped, Missing = missing, Unused = unused,
            };
        }
        finally
        {
            foreach (var tensor in contents.Tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// Freezes the tensors of <paramref name="model"/> that <paramref name="patterns"/> name: matching parameters stop
    /// requiring gradients (leave them out of the optimizer: <c>parameters().Where(p =&gt; p.requires_grad)</c>), and each
    /// batch-norm layer with a matching parameter or buffer is held in evaluation mode by
    /// <see cref="FrozenTensors.EnterTrainingMode"/>, so its running statistics stay as they are. Call it after the model
    /// has moved to its device.
    /// </summary>
    /// <exception cref="RecipeException">A pattern matches no tensor, or every parameter would be frozen.</exception>
    public static FrozenTensors Freeze(nn.Module model, IEnumerable<string>? patterns)
    {
        var parsed = TensorNamePattern.Parse(patterns);
        if (parsed.Count == 0) return FrozenTensors.None;
        var parameters = model.named_parameters().ToList();
        var buffers = model.named_buffers().Select(b => b.name).ToList();
        var names = parameters.Select(p => p.name).Concat(buffers).ToList();
        foreach (var pattern in parsed.Where(p => !names.Any(p.IsMatch)))
            throw new RecipeException($"Model:Freeze pattern '{pattern.Text}' matches no tensor of the model; its tensors: {TensorNamePattern.Brief(names)}.");

        var frozen = parameters.Where(p => TensorNamePattern.Any(parsed, p.name)).ToList();
        if (frozen.Count == parameters.Count)
            throw new RecipeException($"Model:Freeze freezes every parameter of the model, so nothing would train; leave some out " +
                                      $"(e.g. the output layer: its parameters are {string.Join(", ", parameters.TakeLast(2).Select(p => p.name))}).");
        foreach (var (_, parameter) in frozen) parameter.requires_grad = false;

        var layers = new List<(string, nn.Module)>();
        var frozenBuffers = buffers.Where(b => TensorNamePattern.Any(parsed, b)).ToList();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not BatchNorm) continue;
            var own = module.named_parameters(recurse: false).Select(p => p.name).Concat(module.named_buffers(recurse: false).Select(b => b.name))
                .Select(n => $"{name}.{n}").ToList();
            if (!own.Any(n => TensorNamePattern.Any(parsed, n))) continue;
            layers.Add((name, module));
            frozenBuffers.AddRange(module.named_buffers(recurse: false).Select(b => $"{name}.{b.name}").Where(b => !frozenBuffers.Contains(b)));
        }
        return new FrozenTensors(frozen.Select(p => p.name).ToList(), frozenBuffers, layers);
    }

    private static RecipeException Misfit(List<string> misfits, Dictionary<string, Tensor> state, WeightsFile.Contents contents)
    {
        static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";
        var listed = misfits.Select((name, i) => i == 0
            ? $"{name} {Shape(contents.Tensors[name])} in the file vs {Shape(state[name])} here"
            : $"{name} {Shape(contents.Tensors[name])} vs {Shape(state[name])}");
        var suggestion = string.Join(", ", misfits.Select(n => n.LastIndexOf('.') is > 0 and var dot ? n[..dot] + ".*" : n).Distinct().Select(p => $"\"{p}\""));
        var count = misfits.Count == 1 ? "1 tensor does not fit" : $"{misfits.Count} tensors do not fit";
        return new RecipeException($"Model:InitFrom: {count} this model: {string.Join("; ", listed)} ('{contents.File}'). " +
                                   $"Skip them with Model:InitFromSkip (e.g. [{suggestion}]) to keep their initialisation, or change Model so the shapes match.");
    }
}
