#!/usr/bin/python3
"""Plain PCA + k-means on a Pol.is export, scored against Pol.is's own groups (the baseline of issue #18).

Usage: /usr/bin/python3 bench/analysis/reference_opinion.py DIR [DIR ...]   (or one folder of conversation folders)

For each conversation: the final vote matrix of participants-votes.csv (agree 1, disagree -1, pass 0, never
voted 0), restricted to the participants Pol.is placed in a group and to the comments not moderated out
(comments.csv moderated = -1), centred, projected on 2 principal components, KMeans(k = the number of
Pol.is groups, n_init 10, seed 42); ARI against Pol.is's group-id. No sparsity scaling, no vote minimum,
no warm start: the plain textbook pipeline. Prints one line per conversation, then mean +/- sample sd.
Needs Debian's python3-sklearn; run with /usr/bin/python3.
"""
import csv
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


def score(folder):
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
            rows.append([float(r[i]) if i < len(r) and r[i] != "" else 0.0 for i in keep])
    x = np.array(rows)
    k = len(set(groups))
    points = PCA(n_components=2, random_state=42).fit_transform(x - x.mean(axis=0))
    predicted = KMeans(n_clusters=k, n_init=10, random_state=42).fit_predict(points)
    return adjusted_rand_score(groups, predicted), len(groups), k


def main():
    results = []
    for folder in conversations(sys.argv[1:]):
        ari, n, k = score(folder)
        results.append(ari)
        print(f"conversation={os.path.basename(folder.rstrip('/'))} participants={n} polis_groups={k} ARI={ari:.4f}")
    v = np.array(results)
    print(f"per-conversation{len(v)} ARI = {v.mean():.4f} ± {v.std(ddof=1):.4f}  (conversations: {' '.join(f'{a:.4f}' for a in v)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
