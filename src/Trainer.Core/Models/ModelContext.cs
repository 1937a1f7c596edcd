using Trainer.Recipes;

namespace Trainer.Models;

/// <summary>What a model factory builds for.</summary>
/// <param name="InputShape">The shape of one example (e.g. [1, 28, 28] for an image, [64] for a feature vector).</param>
/// <param name="ClassCount">The number of classes: the model returns one logit per class.</param>
/// <param name="Options">The recipe's <c>Model</c> section (hidden sizes, activation, dropout, … for factories that use them).</param>
public sealed record ModelContext(long[] InputShape, int ClassCount, ModelOptions Options);
