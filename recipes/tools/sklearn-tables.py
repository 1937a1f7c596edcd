#!/usr/bin/env python3
"""Writes three of scikit-learn's bundled tables as the CSV files users have: a header row, named columns, the target by
name, and a seeded 80/20 train/test split (stratified for the classification tables), so Trainer's recipes and the
scikit-learn baselines (bench/tabular_baselines.py) train and test on the same rows.

    /usr/bin/python3 recipes/tools/sklearn-tables.py recipes/data

Needs Debian's python3-sklearn (the data ships inside it). The files are committed; run this only to remake them.
"""
import csv
import os
import sys

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.model_selection import train_test_split

SEED = 42


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def table(name, features, feature_names, target, target_name, stratify, out):
    x_train, x_test, y_train, y_test = train_test_split(features, target, test_size=0.2, random_state=SEED,
                                                        stratify=target if stratify else None)
    header = [n.replace(" ", "_") for n in feature_names] + [target_name]
    for split, xs, ys in (("train", x_train, y_train), ("test", x_test, y_test)):
        rows = [[repr(float(v)) for v in x] + [y if isinstance(y, str) else repr(float(y))] for x, y in zip(xs, ys)]
        write(os.path.join(out, f"{name}-{split}.csv"), header, rows)
    print(f"{name}: {len(y_train)} train, {len(y_test)} test rows, {features.shape[1]} features")


def main(out):
    os.makedirs(out, exist_ok=True)
    # Diabetes (Efron et al., 2004): the unscaled measurements (age, sex, bmi, bp, s1..s6) and disease progression one year on.
    d = load_diabetes(scaled=False)
    table("diabetes", d.data, d.feature_names, d.target, "progression", False, out)
    # Breast Cancer Wisconsin (diagnostic), UCI: the diagnosis as the names users have ("malignant", "benign").
    b = load_breast_cancer()
    table("breast-cancer", b.data, b.feature_names, np.array([b.target_names[t] for t in b.target]), "diagnosis", True, out)
    # Wine, UCI: three cultivars by name.
    w = load_wine()
    table("wine", w.data, w.feature_names, np.array([w.target_names[t] for t in w.target]), "cultivar", True, out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data"))
