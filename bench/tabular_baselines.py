#!/usr/bin/env python3
"""The scikit-learn baselines of Trainer's tabular recipes, on the same train/test files (recipes/data, made by
recipes/tools/sklearn-tables.py): standardised inputs, then Ridge and MLPRegressor for the diabetes regression, and
LogisticRegression for the breast-cancer (binary) and wine (3 classes) tables. Prints the test metrics as JSON.

    /usr/bin/python3 bench/tabular_baselines.py recipes/data
"""
import csv
import json
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, mean_squared_error, r2_score, roc_auc_score
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def read(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    x = np.array([[float(v) for v in r[:-1]] for r in rows[1:]])
    y = [r[-1] for r in rows[1:]]
    return x, y


def load(folder, name):
    return read(os.path.join(folder, f"{name}-train.csv")) + read(os.path.join(folder, f"{name}-test.csv"))


def regression(folder):
    x, y, xt, yt = load(folder, "diabetes")
    y, yt = np.array(y, dtype=float), np.array(yt, dtype=float)
    out = {}
    models = {"Ridge (RidgeCV α)": RidgeCV(alphas=np.logspace(-3, 3, 13)),
              "MLPRegressor(100)": MLPRegressor(hidden_layer_sizes=(100,), max_iter=5000, random_state=0)}
    for label, model in models.items():
        p = make_pipeline(StandardScaler(), model).fit(x, y).predict(xt)
        out[label] = {"rmse": mean_squared_error(yt, p) ** 0.5, "mae": mean_absolute_error(yt, p), "r2": r2_score(yt, p)}
    return out


def classification(folder, name, positive=None):
    x, y, xt, yt = load(folder, name)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(x, y)
    p = model.predict(xt)
    result = {"accuracy": accuracy_score(yt, p)}
    if positive is not None:
        column = list(model.classes_).index(positive)
        result["auc"] = roc_auc_score([v == positive for v in yt], model.predict_proba(xt)[:, column])
        result["f1"] = f1_score(yt, p, pos_label=positive)
    return {"LogisticRegression": result}


def main(folder):
    print(json.dumps({
        "diabetes": regression(folder),
        "breast-cancer": classification(folder, "breast-cancer", positive="malignant"),
        "wine": classification(folder, "wine"),
    }, indent=2))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "recipes", "data"))
