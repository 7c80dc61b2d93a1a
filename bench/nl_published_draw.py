#!/usr/bin/python3
"""nl_published_draw.py - the published non-linear runs' NL 1 data, redrawn.

The published non-linear experiment draws its four sets from one
numpy RandomState(SEED) that the models share; before NL 1 only the RF
baseline's constructor has drawn from it (one randint(10000)), so NL 1 -- and
only NL 1: later sets follow model fits that draw from the same state -- can
be drawn again here: scikit-learn's make_classification as ALGORITHMS.md §2
describes it (4 clusters, class_sep 0.5, hypercube, no shuffle, flip_y 0),
then the irrelevant columns one at a time, then noise N(0, (0.1/std(X))^2),
then per-column standardization. Writes it as a CSV for `repro_mpi fit
... csv:FILE` (label -1/+1 in the last column).

Then, on that data, it compares the published per-fit selections (the
experiments' raw results file, given with --published) with: the in-sample
correlation of every column with the label, and the published ElasticNet
pipeline of scikit-learn (SGDClassifier, GridSearchCV(cv=3), RFECV(cv=5,
min 2)) run with several RandomState seeds. Side-by-side check only (needs
python3-sklearn); not part of make test.

Usage: bench/nl_published_draw.py [--seed 123] [-o nl1.csv] [--published FILE.csv]
"""
import argparse
import csv
import re
import warnings

import numpy as np
from sklearn.datasets import make_classification
from sklearn.feature_selection import RFECV
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import scale

GRID = {"alpha": [0.0001, 0.001, 0.01, 0.1, 1, 10, 100],
        "l1_ratio": [0, 0.01, 0.1, 0.2, 0.5, 0.7, 1]}


def draw_nl1(seed, n=1000, strong=10, irrelevant=10, noise=0.1):
    """NL 1 as the published run drew it from RandomState(seed)."""
    rs = np.random.RandomState(seed)
    rs.randint(10000)  # the RF baseline's constructor draws its forest seed first
    Z, y = make_classification(n_samples=n, n_features=strong, n_informative=strong,
                               n_redundant=0, n_repeated=0, n_classes=2,
                               n_clusters_per_class=2, flip_y=0.0, class_sep=0.5,
                               hypercube=True, shift=0.0, scale=1.0, shuffle=False,
                               random_state=rs)
    X = np.zeros((n, strong + irrelevant))
    X[:, :strong] = Z
    for j in range(strong, strong + irrelevant):
        X[:, j] = rs.randn(n)
    X = X + rs.normal(size=X.shape, scale=noise / X.std())
    return scale(X), np.where(y > 0, 1, -1)


def published_selections(path, dataset, model):
    """Per-fit selected column sets of one (dataset, model) in the raw results."""
    out = []
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["dataset"] == dataset and r["model"] == model:
                text = r["features"].replace("True", "1").replace("False", "0")
                v = [int(float(x)) for x in re.findall(r"[-\d.]+", text)]
                out.append(frozenset(j for j, c in enumerate(v) if c > 0))
    return out


def sklearn_en(X, y, seed):
    """The published ElasticNet pipeline; returns the selected columns."""
    model = SGDClassifier(max_iter=100, tol=1e-3, random_state=np.random.RandomState(seed))
    gs = GridSearchCV(model, GRID, cv=3, error_score=np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gs.fit(X, y)
        sel = RFECV(estimator=gs.best_estimator_, cv=5, min_features_to_select=2).fit(X, y)
    return frozenset(np.flatnonzero(sel.get_support()).tolist())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=123)
    ap.add_argument("-o", "--output", default="nl1.csv")
    ap.add_argument("--published", help="the experiments' NL_experiment_results.csv")
    ap.add_argument("--en-seeds", type=int, default=10)
    a = ap.parse_args()
    X, y = draw_nl1(a.seed)
    np.savetxt(a.output, np.column_stack([X, y]), delimiter=",", fmt="%.17g")
    print(f"NL 1 of seed {a.seed} -> {a.output} ({X.shape[0]} x {X.shape[1]}, "
          f"{int((y > 0).sum())} positive)")
    r = [float(np.corrcoef(X[:, j], y)[0, 1]) for j in range(X.shape[1])]
    print("in-sample correlation with y, per column:",
          " ".join(f"{j}:{v:+.3f}" for j, v in enumerate(r)))
    ours = {}
    for s in range(a.en_seeds):
        sel = sklearn_en(X, y, s)
        ours[sel] = ours.get(sel, 0) + 1
    print(f"scikit-learn ElasticNet pipeline, {a.en_seeds} RandomState seeds:")
    for sel, k in sorted(ours.items(), key=lambda t: -t[1]):
        print(f"  {k} x {sorted(sel)}")
    if a.published:
        for model in ("ElasticNet", "RF", "SQ"):
            pub = published_selections(a.published, "NL 1", model)
            cnt = {}
            for sel in pub:
                cnt[sel] = cnt.get(sel, 0) + 1
            print(f"published {model} ({len(pub)} fits):")
            for sel, k in sorted(cnt.items(), key=lambda t: -t[1]):
                print(f"  {k} x {sorted(sel)}")


if __name__ == "__main__":
    main()
