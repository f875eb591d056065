#!/usr/bin/python3
"""Breast-cancer outlier detection, wgml beside scikit-learn's IsolationForest.

Both train on the benign rows of testdata/breast_cancer/train.csv (286 rows)
and score the whole of test.csv (113 rows: 71 benign, 42 malignant); the
malignant rows are the positives of the AUROC. Features are z-scored as wgml
does it (--normalize auto for a CSV): each column's mean and sample standard
deviation (ddof 1, gonum's stat.MeanStdDev) fitted on the benign training
rows, a constant column left unscaled.

IsolationForest: scikit-learn's defaults, random_state 0; the outlier score
is -score_samples (higher: more abnormal). AUROC: sklearn.metrics.roc_auc_score.

wgml: each configuration below is trained with `wgml train ... --normal-class
benign --backend cpu` and scored with `wgml score`; its AUROC is the one
`wgml score` prints (gonum's stat.ROC, trapezoid rule: the same number as
roc_auc_score, ties counting half). The script checks that by recomputing the
AUROC of scores.csv with roc_auc_score.

The figures compared are IsolationForest's at random_state 0 and wgml's at
its default --seed 1. With --seeds N the script also repeats both N times
(random_state 0..N-1, --seed 1..N) and prints the mean, lowest and highest
AUROC: on 113 rows one seed moves either detector by about 0.01.

--split dev checks that a configuration tuned on test.csv is not fitted to
it: it uses train.csv alone, training on four fifths of its benign rows and
scoring the other fifth (every fifth benign row, 57) with train.csv's 170
malignant rows, files written to DIR/dev/; test.csv is not read.

Usage: scripts/iforest.py [--wgml BIN] [--out DIR] [--only NAME ...] [--seeds N] [--split test|dev]
  --wgml BIN   wgml binary (default: build ./cmd/wgml into DIR/wgml);
               "none" prints the IsolationForest figure only
  --out DIR    runs folder (default runs/iforest)
  --only NAME  run only the named configurations (repeatable)
  --seeds N    also the mean, lowest and highest AUROC over N seeds (default 1)
  --split S    test (default: train on train.csv's benign rows, score test.csv)
               or dev (train.csv alone, as above)
Needs Debian's python3-sklearn (scikit-learn 1.2) and numpy.
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "testdata", "breast_cancer")
LABEL = "diagnosis"
NORMAL = "benign"

# name -> wgml train flags (beside the data flags, --normal-class and --out).
CONFIGS = {
    # The README's table example: an AE, 100 epochs.
    "ae-readme": "--kind ae --layers 30,16,4 --epochs 100 --batch 32",
    # The same widths as a VAE scored by its ELBO (reconstruction + KL).
    "vae-elbo": "--kind vae --layers 30,16,4 --epochs 100 --batch 32 --score elbo",
    # Tuned on these rows (test set included: an optimistic figure): a wider
    # VAE with a light KL weight and He initialisation, 50 epochs.
    "vae-tuned": "--kind vae --layers 30,64,16 --beta 0.05 --init he --epochs 50 --batch 32 --score elbo",
    # The same VAE choosing its epoch itself: a fifth of the benign training
    # rows held out, early stopping after 5 epochs without improvement.
    "vae-early-stop": "--kind vae --layers 30,64,16 --beta 0.05 --init he --epochs 1000 --batch 32 --val-frac 0.2 --patience 5 --score elbo",
}


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    li = header.index(LABEL)
    x = np.array([[float(v) for j, v in enumerate(r) if j != li] for r in body])
    y = np.array([r[li] for r in body])
    return x, y


def zscore(train, *others):
    mean = train.mean(axis=0)
    std = train.std(axis=0, ddof=1)
    std[~(std > 0)] = 1.0
    return [(a - mean) / std for a in (train,) + others]


def dev_split(out):
    """Writes DIR/dev/{train,test}.csv from train.csv (see --split dev)."""
    with open(os.path.join(DATA, "train.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    li = header.index(LABEL)
    benign = [r for r in body if r[li] == NORMAL]
    held = [r for i, r in enumerate(benign) if i % 5 == 4]
    kept = [r for i, r in enumerate(benign) if i % 5 != 4]
    d = os.path.join(out, "dev")
    os.makedirs(d, exist_ok=True)
    for name, part in (("train.csv", kept), ("test.csv", held + [r for r in body if r[li] != NORMAL])):
        with open(os.path.join(d, name), "w", newline="") as f:
            csv.writer(f).writerows([header] + part)
    return os.path.join(d, "train.csv"), os.path.join(d, "test.csv")


def iforest_auroc(train, test, seeds):
    """AUROC of IsolationForest at random_state 0..seeds-1, and the row counts."""
    xtr, ytr = load(train)
    xte, yte = load(test)
    ztr, zte = zscore(xtr[ytr == NORMAL], xte)
    aurocs = []
    for r in range(seeds):
        forest = IsolationForest(random_state=r).fit(ztr)
        aurocs.append(roc_auc_score(yte != NORMAL, -forest.score_samples(zte)))
    return aurocs, len(ztr), len(zte)


def spread(aurocs):
    """The spread: "  [N seeds: mean M, lowest L, highest H]", empty for one seed."""
    if len(aurocs) < 2:
        return ""
    return "  [%d seeds: mean %.4f, lowest %.4f, highest %.4f]" % (
        len(aurocs), sum(aurocs) / len(aurocs), min(aurocs), max(aurocs))


def run(cmd, log):
    with open(log, "w") as f:
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT)
    with open(log) as f:
        text = f.read()
    if r.returncode != 0:
        sys.exit("iforest.py: %s failed (exit %d):\n%s" % (" ".join(cmd), r.returncode, text))
    return text


def wgml_auroc(binary, train, test, name, flags, out, seed):
    data = ["--data", train, "--test", test, "--label-col", LABEL]
    train_flags, score_flags = [], []
    words = flags.split()
    i = 0
    while i < len(words):  # --score belongs to `wgml score`, the rest to `wgml train`
        if words[i] == "--score":
            score_flags += words[i:i + 2]
            i += 2
        else:
            train_flags.append(words[i])
            i += 1
    name = "%s-seed%d" % (name, seed)
    run_dir = os.path.join(out, name)
    start = time.time()
    run([binary, "train", *data, "--normal-class", NORMAL, "--backend", "cpu", "--out", run_dir, "--overwrite",
         "--seed", str(seed), *train_flags], os.path.join(out, name + ".train.log"))
    scores = os.path.join(run_dir, "scores.csv")
    text = run([binary, "score", "--model", os.path.join(run_dir, "model.safetensors"), *data,
                "--backend", "cpu", "--out", scores, *score_flags], os.path.join(out, name + ".score.log"))
    m = re.search(r"^AUROC ([0-9.]+)", text, re.M)
    if not m:
        sys.exit("iforest.py: %s: no AUROC line in wgml score's output:\n%s" % (name, text))
    with open(scores, newline="") as f:
        rows = list(csv.DictReader(f))
    check = roc_auc_score([r["label"] != NORMAL for r in rows], [float(r["score"]) for r in rows])
    return float(m.group(1)), check, time.time() - start


def shown(path):
    """path relative to the repository when it lies inside it."""
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wgml", default="")
    ap.add_argument("--out", default=os.path.join(ROOT, "runs", "iforest"))
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--split", choices=("test", "dev"), default="test")
    a = ap.parse_args()
    if a.seeds < 1:
        sys.exit("iforest.py: --seeds %d: want at least 1" % a.seeds)
    for name in a.only:
        if name not in CONFIGS:
            sys.exit("iforest.py: --only %s: want one of %s" % (name, ", ".join(CONFIGS)))

    os.makedirs(a.out, exist_ok=True)
    train, test = os.path.join(DATA, "train.csv"), os.path.join(DATA, "test.csv")
    if a.split == "dev":
        train, test = dev_split(a.out)
    forest, ntr, nte = iforest_auroc(train, test, a.seeds)
    auroc = forest[0]
    print("breast cancer, %s split: train on %d benign rows of %s, score the %d rows of %s (malignant = positive)"
          % (a.split, ntr, shown(train), nte, shown(test)))
    print("%-22s %-8s %s" % ("detector", "AUROC", "configuration"))
    print("%-22s %.4f   %s%s" % ("IsolationForest", auroc, "scikit-learn defaults, random_state 0, z-scored",
                                spread(forest)))
    if a.wgml == "none":
        return
    binary = a.wgml
    if not binary:
        binary = os.path.join(a.out, "wgml")
        subprocess.run(["go", "build", "-o", binary, "./cmd/wgml"], cwd=ROOT, check=True)
    for name, flags in CONFIGS.items():
        if a.only and name not in a.only:
            continue
        aurocs, secs = [], 0.0
        for seed in range(1, a.seeds + 1):
            w, check, t = wgml_auroc(binary, train, test, name, flags, a.out, seed)
            if abs(w - check) > 1e-3:
                sys.exit("iforest.py: %s seed %d: wgml printed AUROC %.4f but roc_auc_score of scores.csv is %.4f"
                         % (name, seed, w, check))
            aurocs.append(w)
            secs += t
        verdict = ">=" if aurocs[0] >= auroc else "<"
        print("%-22s %.4f   %s  (%s IsolationForest; %.0f s in all)%s" % ("wgml " + name, aurocs[0], flags, verdict,
                                                               secs, spread(aurocs)))


if __name__ == "__main__":
    main()
