#!/usr/bin/python3
"""Plain PCA + k-means on a Pol.is export, scored against Pol.is's own groups (the baseline of issue #18).

Usage: /usr/bin/python3 bench/analysis/reference_opinion.py [--sparsity-scaling] DIR [DIR ...]
       (or one folder of conversation folders; --sparsity-scaling multiplies each participant's projection by
       sqrt(comments / votes cast), as Pol.is does)

For each conversation: the final vote matrix of participants-votes.csv (agree 1, disagree -1, pass 0; a vote never
cast takes the comment's mean vote), restricted to the participants Pol.is placed in a group and to the comments not moderated out
(comments.csv moderated = -1), centred, projected on 2 principal components, KMeans(k = the number of
Pol.is groups, n_init 10, seed 42); ARI against Pol.is's group-id. No sparsity scaling, no vote minimum,
no warm start: the plain textbook pipeline. Prints one line per conversation, then mean +/- sample sd.
Needs Debian's python3-sklearn; run with /usr/bin/python3.
"""
import csv
import warnings
import os
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score


def conversations(paths):
    if len(paths) == 1 and not os.path.exists(os.path.join(paths[0], "comments.csv")):
        return sorted(os.path.join(paths[0], d) for d in os.listdir(paths[0])
                      if os.path.exists(os.path.join(paths[0], d, "comments.csv")))
    return paths


def score(folder, sparsity_scaling):
    with open(os.path.join(folder, "comments.csv"), encoding="utf-8", newline="") as f:
        out = {r["comment-id"] for r in csv.DictReader(f) if r["moderated"] == "-1"}
    with open(os.path.join(folder, "participants-votes.csv"), encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        first = header.index("n-disagree") + 1
        keep = [i for i in range(first, len(header)) if header[i] not in out]
        group_col = header.index("group-id")
        rows, groups = [], []
        for r in reader:
            if r[group_col] == "":
                continue
            groups.append(int(r[group_col]))
            rows.append([float(r[i]) if i < len(r) and r[i] != "" else np.nan for i in keep])
    x = np.array(rows)
    voted = (~np.isnan(x)).sum(axis=1)
    # Missing votes take the comment's mean vote (Pol.is imputes the same way before its PCA).
    means = np.nan_to_num(np.nanmean(x, axis=0))
    x = np.where(np.isnan(x), means, x)
    k = len(set(groups))
    points = PCA(n_components=2, random_state=42).fit_transform(x - x.mean(axis=0))
    if sparsity_scaling:
        # Pol.is pushes participants who voted on few comments outwards: sqrt(comments / votes cast).
        points = points * np.sqrt(x.shape[1] / np.maximum(voted, 1))[:, None]
    predicted = KMeans(n_clusters=k, n_init=10, random_state=42).fit_predict(points)
    return adjusted_rand_score(groups, predicted), len(groups), k


def main():
    warnings.simplefilter("ignore", RuntimeWarning)  # nanmean of a comment nobody placed voted on
    results = []
    scaling = "--sparsity-scaling" in sys.argv[1:]
    for folder in conversations([a for a in sys.argv[1:] if not a.startswith("--")]):
        ari, n, k = score(folder, scaling)
        results.append(ari)
        print(f"conversation={os.path.basename(folder.rstrip('/'))} participants={n} polis_groups={k} ARI={ari:.4f}")
    v = np.array(results)
    print(f"per-conversation{len(v)} ARI = {v.mean():.4f} ± {v.std(ddof=1):.4f}  (conversations: {' '.join(f'{a:.4f}' for a in v)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
