#!/usr/bin/python3
"""Optuna's side of the `search-synthetic` bench scenario (bench/Trainer.Bench/SyntheticFunctions.cs is the C# twin).

    /usr/bin/python3 bench/optuna_synthetic.py [--trials 100] [--seeds 20] [--sizes 100,1000] [--repeats 7] [--out FILE]

Runs Optuna's RandomSampler, TPESampler() and TPESampler(multivariate=True) on the four synthetic functions below
(all minimised), seeds 0..SEEDS-1, and writes JSON: for every function and side, each seed's best value after every
trial; and the median seconds of one suggestion (study.ask() plus the suggest_* calls of a whole point, in-memory
storage) with N finished trials in the study, for N in SIZES.

The functions are defined exactly as in SyntheticFunctions.cs; each space uses Optuna's equivalent scale:
suggest_float(log=True) for LogUniform; for a OneMinusLogUniform β, 1-β is suggested with log=True over
(1-max, 1-min) and β = 1 - that; suggest_int(log=True) for IntLogUniform; suggest_categorical for Categorical.
Debian's python3-optuna (3.1) runs it: apt-get install python3-optuna.
"""
import argparse
import json
import math
import statistics
import sys
import time
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def lr_quadratic(p):
    """(a) Shifted log-scale quadratic. b = log2(batch/128); x1 = log10(lr) + 3 - 0.15 b (the best learning rate grows
    with the batch); x2 = log10(1-β) + 2; x3 = log2(units) - 8.
    f = x1² + 0.5 x2² + 0.3 x1 x2 + 0.1 x3² + 0.05 b²; minimum 0 at lr 1e-3, β 0.99, units 256, batch 128."""
    b = math.log2(p["batch"] / 128)
    x1 = math.log10(p["lr"]) + 3 - 0.15 * b
    x2 = math.log10(1 - p["beta"]) + 2
    x3 = math.log2(p["units"]) - 8
    return x1 * x1 + 0.5 * x2 * x2 + 0.3 * x1 * x2 + 0.1 * x3 * x3 + 0.05 * b * b


def branin(p):
    """(b) Branin on x1 ∈ [-5, 10], x2 ∈ [0, 15]: (x2 - 5.1/(4π²) x1² + 5/π x1 - 6)² + 10 (1 - 1/(8π)) cos x1 + 10;
    minimum 0.397887 at (-π, 12.275), (π, 2.275), (9.42478, 2.475)."""
    x1, x2 = p["x1"], p["x2"]
    return (x2 - 5.1 / (4 * math.pi ** 2) * x1 * x1 + 5 / math.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
              [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(p):
    """(c) Hartmann-6 on [0, 1]⁶: -Σᵢ αᵢ exp(-Σⱼ Aᵢⱼ (xⱼ - Pᵢⱼ)²) with the standard α, A, P; minimum -3.32237."""
    x = [p[f"x{j}"] for j in range(6)]
    return -sum(HARTMANN_ALPHA[i] * math.exp(-sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6))) for i in range(4))


OPTIMIZERS = ["sgd", "momentum", "adam"]
ACTIVATIONS = ["relu", "tanh", "gelu"]
NORMS = ["none", "batch", "layer"]
MIX_M = [[0.5, 0.8, 0.7], [0.4, 0.2, 0.5], [0.5, 0.3, 0.1]]  # [optimizer][activation]
MIX_N = [[0.3, 0.0, 0.2], [0.3, 0.0, 0.1], [0.2, 0.3, 0.0]]  # [optimizer][norm]
MIX_DROPOUT = [0.1, 0.25, 0.4]  # best dropout per optimizer
MIX_DECAY = [-4.0, -3.0, -2.0]  # best log10(weight decay) per activation


def categorical_mix(p):
    """(d) Categorical mix: optimizer o, activation a, norm n (3 choices each), dropout ∈ [0, 0.5], weight decay
    log-uniform 1e-6..1e-1. f = M[o][a] + N[o][n] + 4 (dropout - D[o])² + 0.05 (log10 wd - W[a])² with the tables above;
    minimum 0.1 at adam, gelu, layer, dropout 0.4, wd 1e-2 (a second basin, 0.2, at momentum, tanh, batch)."""
    o, a, n = OPTIMIZERS.index(p["optimizer"]), ACTIVATIONS.index(p["activation"]), NORMS.index(p["norm"])
    return MIX_M[o][a] + MIX_N[o][n] + 4 * (p["dropout"] - MIX_DROPOUT[o]) ** 2 + 0.05 * (math.log10(p["decay"]) - MIX_DECAY[a]) ** 2


def suggest_lr_quadratic(trial):
    return {"lr": trial.suggest_float("lr", 1e-5, 1, log=True),
            "beta": 1 - trial.suggest_float("one_minus_beta", 1 - 0.999, 1 - 0.8, log=True),
            "units": trial.suggest_int("units", 16, 1024, log=True),
            "batch": trial.suggest_categorical("batch", [32, 64, 128, 256])}


def suggest_branin(trial):
    return {"x1": trial.suggest_float("x1", -5, 10), "x2": trial.suggest_float("x2", 0, 15)}


def suggest_hartmann6(trial):
    return {f"x{j}": trial.suggest_float(f"x{j}", 0, 1) for j in range(6)}


def suggest_categorical_mix(trial):
    return {"optimizer": trial.suggest_categorical("optimizer", OPTIMIZERS),
            "activation": trial.suggest_categorical("activation", ACTIVATIONS),
            "norm": trial.suggest_categorical("norm", NORMS),
            "dropout": trial.suggest_float("dropout", 0, 0.5),
            "decay": trial.suggest_float("decay", 1e-6, 1e-1, log=True)}


FUNCTIONS = {
    "lr-quadratic": (suggest_lr_quadratic, lr_quadratic),
    "branin": (suggest_branin, branin),
    "hartmann6": (suggest_hartmann6, hartmann6),
    "categorical-mix": (suggest_categorical_mix, categorical_mix),
}

SIDES = {
    "optuna-random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    "optuna-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "optuna-tpe-multivariate": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
}


def run_study(sampler, suggest, evaluate, trials):
    study = optuna.create_study(direction="minimize", sampler=sampler)
    best, trace = math.inf, []
    for _ in range(trials):
        trial = study.ask()
        value = evaluate(suggest(trial))
        study.tell(trial, value)
        best = min(best, value)
        trace.append(best)
    return trace


def suggestion_seconds(side, suggest, evaluate, size, repeats):
    """Median seconds of study.ask() plus the suggestions of one whole point with `size` finished trials in the study
    (random points, added with add_trials); each timed trial is then told failed, which the samplers ignore."""
    history = optuna.create_study(direction="minimize", sampler=optuna.samplers.RandomSampler(seed=12345))
    for _ in range(size):
        trial = history.ask()
        history.tell(trial, evaluate(suggest(trial)))
    study = optuna.create_study(direction="minimize", sampler=SIDES[side](0))
    study.add_trials(history.trials)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        trial = study.ask()
        suggest(trial)
        times.append(time.perf_counter() - start)
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--functions", default=",".join(FUNCTIONS))
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    functions = args.functions.split(",")
    result = {"optuna": optuna.__version__, "trials": args.trials, "seeds": args.seeds, "best": {}, "secondsPerSuggestion": {}}
    for name in functions:
        suggest, evaluate = FUNCTIONS[name]
        result["best"][name] = {}
        for side, make in SIDES.items():
            start = time.perf_counter()
            result["best"][name][side] = [run_study(make(seed), suggest, evaluate, args.trials) for seed in range(args.seeds)]
            print(f"  {name} {side}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    for name in functions:
        suggest, evaluate = FUNCTIONS[name]
        result["secondsPerSuggestion"][name] = {
            side: {str(size): suggestion_seconds(side, suggest, evaluate, int(size), args.repeats) for size in args.sizes.split(",")} for side in SIDES}
        print(f"  timing {name}: {result['secondsPerSuggestion'][name]}", file=sys.stderr, flush=True)
    text = json.dumps(result)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
