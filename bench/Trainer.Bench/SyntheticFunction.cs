using Trainer.Search;

namespace Trainer.Bench;

/// <summary>A synthetic objective to minimise over a mixed search space (its Python twin is in bench/optuna_synthetic.py).</summary>
/// <param name="Name">The name both sides report it under.</param>
/// <param name="Formula">The definition, for the report.</param>
/// <param name="Space">The distributions, in the order <paramref name="Evaluate"/> reads their values.</param>
/// <param name="Evaluate">The objective of the values (each <see cref="IDistribution.FromUnit"/>'s result).</param>
/// <param name="Minimum">The known global minimum.</param>
/// <param name="Checks">Values with the objective that bench/optuna_synthetic.py computes for them (its minimiser and another point), so
/// that the twins are known to agree.</param>
public sealed record SyntheticFunction(string Name, string Formula, IReadOnlyList<IDistribution> Space, Func<object[], double> Evaluate, double Minimum,
    IReadOnlyList<(object[] Values, double Expected)> Checks);
