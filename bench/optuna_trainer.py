#!/usr/bin/python3
"""Optuna's TPE driving real Trainer runs (the `search-digits` bench scenario's Optuna side).

    /usr/bin/python3 bench/optuna_trainer.py --trainer PATH/trainer --recipe RECIPE.json --trials 30 --seed 0 --work DIR [--out FILE]

Reads the recipe's Search:Space and, for every trial, asks TPESampler(seed=SEED) for a point on each key's scale (as
bench/optuna_synthetic.py does: suggest_float(log=True) for LogUniform, 1-β with log=True for OneMinusLogUniform,
suggest_int(log=True) for IntLogUniform, suggest_categorical), runs
`trainer run RECIPE --run-dir DIR/trial-NNNN --Key=value …` and tells Optuna the run's last-epoch validation objective
(summary.json's metrics.last_<Objective>, the score the Trainer's sides use with Search:Score "last"). A run that fails
is told failed. Writes JSON: the objective of every trial in order (null for a failed one).
"""
import argparse
import json
import os
import subprocess
import sys
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def suggest(trial, key, spec):
    kind = spec["Distribution"]
    if kind == "Uniform":
        return trial.suggest_float(key, spec["Min"], spec["Max"])
    if kind == "LogUniform":
        return trial.suggest_float(key, spec["Min"], spec["Max"], log=True)
    if kind == "OneMinusLogUniform":
        return 1 - trial.suggest_float("1-" + key, 1 - spec["Max"], 1 - spec["Min"], log=True)
    if kind == "IntUniform":
        return trial.suggest_int(key, spec["Min"], spec["Max"])
    if kind == "IntLogUniform":
        return trial.suggest_int(key, spec["Min"], spec["Max"], log=True)
    if kind == "Categorical":
        return trial.suggest_categorical(key, spec["Choices"])
    raise ValueError(f"Search:Space:{key}: distribution {kind} is not mapped to Optuna")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainer", required=True)
    parser.add_argument("--recipe", required=True)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", required=True)
    parser.add_argument("--multivariate", action="store_true")
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    with open(args.recipe) as f:
        search = json.load(f)["Search"]
    objective = search["Objective"]
    maximize = search.get("Direction", "maximize") == "maximize"
    sampler = optuna.samplers.TPESampler(seed=args.seed, multivariate=args.multivariate)
    study = optuna.create_study(direction="maximize" if maximize else "minimize", sampler=sampler)
    values = []
    for number in range(args.trials):
        trial = study.ask()
        overrides = [f"--{key}={suggest(trial, key, spec)}" for key, spec in search["Space"].items()]
        run_dir = os.path.join(args.work, f"trial-{number:04d}")
        process = subprocess.run([args.trainer, "run", args.recipe, "--run-dir", run_dir, *overrides],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        value = None
        try:
            with open(os.path.join(run_dir, "summary.json")) as f:
                summary = json.load(f)
            if process.returncode == 0 and summary.get("status") == "completed":
                value = summary["metrics"].get("last_" + objective)
        except (OSError, ValueError):
            pass
        if value is None:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            study.tell(trial, value)
        values.append(value)
        print(f"  optuna seed {args.seed} trial {number}: {value} {' '.join(overrides)}", flush=True, file=sys.stderr)
    text = json.dumps({"optuna": optuna.__version__, "seed": args.seed, "values": values})
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
