#!/usr/bin/python3
"""Optuna's side of the `search-multiobjective` bench scenario (SearchMultiObjective.cs is the C# twin).

    /usr/bin/python3 bench/optuna_multiobjective.py [--trials 200] [--seeds 10] [--checkpoints 50,100,200] [--out FILE]

ZDT1 with 6 dimensions in [0, 1], both objectives minimised: f1 = x0, g = 1 + 9/5 · (x1 + … + x5),
f2 = g · (1 − sqrt(f1 / g)). Runs NSGAIISampler(population_size=50, seed) (Optuna's defaults otherwise) and
RandomSampler(seed) for seeds 0..SEEDS-1 and writes JSON: each side's hypervolume of the trials so far after each
checkpoint, reference point (1.1, 11), computed exactly in 2-D here (the C# side uses Pareto.Hypervolume).
"""
import argparse
import json
import math
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
REFERENCE = (1.1, 11.0)


def zdt1(x):
    f1 = x[0]
    g = 1 + 9 / (len(x) - 1) * sum(x[1:])
    return f1, g * (1 - math.sqrt(f1 / g))


def hypervolume(points):
    """Exact 2-D hypervolume (minimisation) dominated by `points` up to REFERENCE."""
    inside = sorted(p for p in points if p[0] < REFERENCE[0] and p[1] < REFERENCE[1])
    volume, best_f2 = 0.0, REFERENCE[1]
    for f1, f2 in inside:  # by f1 ascending: each point adds the strip below the lowest f2 so far
        if f2 < best_f2:
            volume += (REFERENCE[0] - f1) * (best_f2 - f2)
            best_f2 = f2
    return volume


SIDES = {
    "optuna-nsga2": lambda seed: optuna.samplers.NSGAIISampler(population_size=50, seed=seed),
    "optuna-random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--checkpoints", default="50,100,200")
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    checkpoints = [int(c) for c in args.checkpoints.split(",")]
    result = {"optuna": optuna.__version__, "hypervolume": {}}
    for side, make in SIDES.items():
        result["hypervolume"][side] = []
        for seed in range(args.seeds):
            study = optuna.create_study(directions=["minimize", "minimize"], sampler=make(seed))
            values, row = [], {}
            for number in range(args.trials):
                trial = study.ask()
                value = zdt1([trial.suggest_float(f"x{j}", 0, 1) for j in range(6)])
                study.tell(trial, value)
                values.append(value)
                if number + 1 in checkpoints:
                    row[str(number + 1)] = hypervolume(values)
            result["hypervolume"][side].append(row)
    text = json.dumps(result)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
