namespace Trainer.Hosting.Tests.Support;

/// <summary>Recipe texts for tests.</summary>
public static class TestRecipes
{
    /// <summary>A fast digits recipe; <paramref name="extra"/> is spliced in as more top-level members.</summary>
    public static string Digits(int epochs = 3, string extra = "") => $$"""
        {
          "Name": "hosting-test",
          "Data": { "Source": "digits", "ValidationFraction": 0.15 },
          "Model": { "Kind": "mlp", "Hidden": [32], "BatchNorm": true },
          "Optimizer": { "Kind": "adam", "LearningRate": 0.01 },
          "Training": { "Epochs": {{epochs}}, "BatchSize": 256, "Device": "cpu", "Seed": 1 }{{(extra.Length > 0 ? "," + extra : "")}}
        }
        """;
}
