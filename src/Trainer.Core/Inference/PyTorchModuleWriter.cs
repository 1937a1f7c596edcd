using System.Globalization;
using System.Text;
using Trainer.Recipes;

namespace Trainer.Inference;

/// <summary>
/// Writes the Python source of the PyTorch <c>nn.Module</c> equivalent to a built-in model (<see cref="Models.MlpModel"/>,
/// <see cref="Models.CnnModel"/>): the same layers under the same state-dict names (<c>layers.fc1.weight</c>, …), so
/// <c>model.load_state_dict(torch.load("weights.pt"))</c> works, plus the package's preprocessing.
/// </summary>
public static class PyTorchModuleWriter
{
    /// <summary>The module's source for <paramref name="options"/>, or null for a kind it does not know.</summary>
    public static string? Write(ModelOptions options, long[] inputShape, int outputs)
    {
        var layers = new List<string>();
        var hidden = options.Hidden ?? [.. ModelOptions.DefaultHidden];
        long flat;
        switch (options.Kind.ToLowerInvariant())
        {
            case "mlp":
                flat = inputShape.Aggregate(1L, (a, b) => a * b);
                layers.Add("(\"flatten\", nn.Flatten())");
                break;
            case "cnn":
                if (inputShape.Length != 3) return null;
                var channels = options.Channels ?? [.. ModelOptions.DefaultChannels];
                long c = inputShape[0], h = inputShape[1], w = inputShape[2];
                for (var i = 0; i < channels.Length; i++)
                {
                    var n = i + 1;
                    layers.Add($"(\"conv{n}\", nn.Conv2d({c}, {channels[i]}, 3, padding=1, bias={Bool(!options.BatchNorm)}))");
                    if (options.BatchNorm) layers.Add($"(\"cbn{n}\", nn.BatchNorm2d({channels[i]}))");
                    layers.Add($"(\"cact{n}\", {Activation(options)})");
                    layers.Add($"(\"pool{n}\", nn.MaxPool2d(2))");
                    c = channels[i]; h /= 2; w /= 2;
                }
                layers.Add("(\"flatten\", nn.Flatten())");
                flat = c * h * w;
                break;
            default:
                return null;
        }
        var previous = flat;
        for (var i = 0; i < hidden.Length; i++)
        {
            var n = i + 1;
            layers.Add($"(\"fc{n}\", nn.Linear({previous}, {hidden[i]}, bias={Bool(!options.BatchNorm)}))");
            if (options.BatchNorm) layers.Add($"(\"bn{n}\", nn.BatchNorm1d({hidden[i]}))");
            layers.Add($"(\"act{n}\", {Activation(options)})");
            if (options.Dropout > 0) layers.Add($"(\"drop{n}\", nn.Dropout({Number(options.Dropout)}))");
            previous = hidden[i];
        }
        layers.Add($"(\"out\", nn.Linear({previous}, {outputs}))");

        var source = new StringBuilder();
        source.Append($$"""
            # The PyTorch equivalent of this package's Trainer model ({{options.Kind.ToLowerInvariant()}}), written by Trainer.
            # Its state-dict names match weights.pt:
            #     import model
            #     net = model.load()                      # the module with the package's weights, in eval mode
            #     logits = net(model.preprocess(x))       # x: float32 [N, {{string.Join(", ", inputShape)}}], pixels in [0, 1]
            import json
            import os
            from collections import OrderedDict

            import torch
            from torch import nn

            HERE = os.path.dirname(os.path.abspath(__file__))
            INPUT_SHAPE = ({{string.Join(", ", inputShape)}},)


            class TrainerModel(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.layers = nn.Sequential(OrderedDict([

            """);
        foreach (var layer in layers) source.Append("            ").Append(layer).Append(",\n");
        source.Append("""
                    ]))

                def forward(self, x):
                    return self.layers(x)


            def load(folder=HERE):
                # The module with the package's weights (weights.pt), in evaluation mode.
                net = TrainerModel()
                net.load_state_dict(torch.load(os.path.join(folder, "weights.pt"), map_location="cpu"))
                return net.eval()


            def preprocess(x, folder=HERE):
                # Standardises inputs with the training split's statistics recorded in model.json.
                with open(os.path.join(folder, "model.json")) as f:
                    normalization = json.load(f)["normalization"]
                if normalization["mode"] == "none":
                    return x
                shape = normalization["shape"]
                mean = torch.tensor(normalization["mean"], dtype=torch.float32).reshape(shape)
                std = torch.tensor(normalization["std"], dtype=torch.float32).reshape(shape)
                return (x - mean) / std

            """);
        return source.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string Activation(ModelOptions options) => options.Activation.ToLowerInvariant() switch
    {
        "relu" => "nn.ReLU()",
        "tanh" => "nn.Tanh()",
        "sigmoid" => "nn.Sigmoid()",
        "leaky-relu" => $"nn.LeakyReLU({Number(options.LeakySlope)})",
        var other => throw new ArgumentException($"Model:Activation '{other}' has no PyTorch equivalent here."),
    };

    private static string Bool(bool value) => value ? "True" : "False";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
