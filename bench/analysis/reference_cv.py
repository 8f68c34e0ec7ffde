#!/usr/bin/python3
"""scikit-learn reference on the folds `dialogue eval ... --cv K --folds-file F` wrote.

Usage: /usr/bin/python3 bench/analysis/reference_cv.py topics F.jsonl
       /usr/bin/python3 bench/analysis/reference_cv.py binary F.jsonl [--positive 1]
       /usr/bin/python3 bench/analysis/reference_cv.py groups F.jsonl          (KMeans NMI, no folds)
       /usr/bin/python3 bench/analysis/reference_cv.py groups-cv F.jsonl       (KMeans fitted on folds != f, NMI/ARI on fold f,
                                                                               as `dialogue eval groups --cv K --folds-file F`)
       /usr/bin/python3 bench/analysis/reference_cv.py binary F.jsonl          on the folds file of `eval moderation --cv`:
                                                                               text only, leave one conversation out

The recipe (docs/analysis.md): TF-IDF of word 1-2-grams and of char_wb 3-5-grams,
min_df 2, sublinear tf, each L2-normalised, the two matrices concatenated; LinearSVC(C=0.5) for topics,
LogisticRegression(C=10, max_iter 2000) for binary. The vectorisers are fitted on each training fold only.
Options --word-ngrams/--char-ngrams/--C/--no-sublinear/--min-df vary one setting at a time; --svm-nb is the binary
recipe of issue #18 section 1 (two linear SVMs, F1 threshold from inner folds).
Prints one line per fold and one line per metric, mean +/- sample sd (ddof=1), as the C# side does.
Needs Debian's python3-sklearn (apt-get install -y python3-sklearn); run with /usr/bin/python3.
"""
import argparse
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, adjusted_rand_score, f1_score, normalized_mutual_info_score,
                             roc_auc_score)
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC


def parse_range(text):
    lo, hi = text.split("-")
    return int(lo), int(hi)


def vectorisers(args):
    parts = []
    if args.word_ngrams != "0":
        parts.append(TfidfVectorizer(analyzer="word", ngram_range=parse_range(args.word_ngrams),
                                     min_df=args.min_df, sublinear_tf=not args.no_sublinear))
    if args.char_ngrams != "0":
        parts.append(TfidfVectorizer(analyzer="char_wb", ngram_range=parse_range(args.char_ngrams),
                                     min_df=args.min_df, sublinear_tf=not args.no_sublinear))
    return parts


def featurise(args, train_texts, test_texts):
    parts = vectorisers(args)
    train = sp.hstack([v.fit_transform(train_texts) for v in parts]).tocsr()
    test = sp.hstack([v.transform(test_texts) for v in parts]).tocsr() if test_texts is not None else None
    return train, test


def svm_nb_scores(x_train, y_train, x_test, c):
    """Mean decision value of LinearSVC on the features and on the features scaled by r = log((p+1)/|p+1| / (q+1)/|q+1|),
    p and q the number of positive and negative training texts holding each feature."""
    present = (x_train > 0).astype(np.float64)
    p = 1 + np.asarray(present[y_train].sum(0)).ravel()
    q = 1 + np.asarray(present[~y_train].sum(0)).ravel()
    r = sp.diags(np.log((p / p.sum()) / (q / q.sum())))
    plain = LinearSVC(C=c).fit(x_train, y_train).decision_function(x_test)
    scaled = LinearSVC(C=c).fit(x_train @ r, y_train).decision_function(x_test @ r)
    return (plain + scaled) / 2


def best_f1_threshold(scores, truth):
    """The cut between two distinct scores that maximises F1 of score >= cut."""
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], truth[order]
    tp, fp = np.cumsum(t), np.cumsum(~t)
    f1 = 2 * tp / (tp + fp + t.sum())
    last = np.r_[s[1:] != s[:-1], True]
    i = np.flatnonzero(last)[np.argmax(f1[last])]
    return (s[i] + s[i + 1]) / 2 if i + 1 < len(s) else s[i]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=["topics", "binary", "groups", "groups-cv"])
    parser.add_argument("folds")
    parser.add_argument("--positive", default="1")
    parser.add_argument("--word-ngrams", default="1-2")
    parser.add_argument("--char-ngrams", default="3-5")
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--no-sublinear", action="store_true")
    parser.add_argument("--C", type=float, default=None, help="default 0.5 (topics) or 10 (binary)")
    parser.add_argument("--model", choices=["svm", "lr"], default=None, help="topics: svm (default) or multinomial lr; binary: lr")
    parser.add_argument("--balanced", action="store_true", help="class_weight='balanced'")
    parser.add_argument("--k", type=int, default=None, help="groups: clusters (default: number of labels)")
    parser.add_argument("--svm-nb", action="store_true",
                        help="binary: LinearSVC(C) and NB-SVM (features scaled by the naive Bayes log-count ratio) averaged, the F1 "
                             "threshold chosen on 3 inner folds of the training part (the recipe of issue #18 section 1; --C default 0.2)")
    args = parser.parse_args()

    rows = [json.loads(line) for line in open(args.folds, encoding="utf-8")]
    texts = np.array([r["text"] for r in rows], dtype=object)
    labels = np.array([r["label"] for r in rows], dtype=object)
    folds = np.array([r["fold"] for r in rows])
    k = folds.max() + 1
    print(f"reference task={args.task} rows={len(rows)} folds={k} word={args.word_ngrams} char_wb={args.char_ngrams} "
          f"min_df={args.min_df} sublinear={not args.no_sublinear}")

    if args.task == "groups":
        from sklearn.cluster import KMeans
        features, _ = featurise(args, texts, None)
        clusters = args.k or len(set(labels))
        predicted = KMeans(n_clusters=clusters, n_init=10, random_state=42).fit_predict(features)
        print(f"NMI={normalized_mutual_info_score(labels, predicted):.4f} k={clusters}")
        return 0

    weight = "balanced" if args.balanced else None
    names = {"topics": ["macroF1", "accuracy"], "groups-cv": ["NMI_heldout", "ARI_heldout", "NMI_grouped"]}.get(
        args.task, ["F1", "AUC", "accuracy"])
    figures = {n: [] for n in names}
    for f in range(k):
        start = time.time()
        train, test = folds != f, folds == f
        x_train, x_test = featurise(args, texts[train], texts[test])
        if args.task == "groups-cv":
            from sklearn.cluster import KMeans
            clusters = args.k or len(set(labels))
            model = KMeans(n_clusters=clusters, n_init=10, random_state=42).fit(x_train)
            placed = model.predict(x_test)
            values = {"NMI_heldout": normalized_mutual_info_score(labels[test], placed),
                      "ARI_heldout": adjusted_rand_score(labels[test], placed),
                      "NMI_grouped": normalized_mutual_info_score(labels[train], model.labels_)}
        elif args.task == "topics":
            model = (LogisticRegression(C=args.C if args.C is not None else 10, max_iter=2000, class_weight=weight) if args.model == "lr"
                     else LinearSVC(C=args.C if args.C is not None else 0.5, class_weight=weight)).fit(x_train, labels[train])
            predicted = model.predict(x_test)
            values = {"macroF1": f1_score(labels[test], predicted, average="macro"),
                      "accuracy": accuracy_score(labels[test], predicted)}
        elif args.svm_nb:
            y_train = labels[train] == args.positive
            y_test = labels[test] == args.positive
            c = args.C if args.C is not None else 0.2
            scores = svm_nb_scores(x_train, y_train, x_test, c)
            inner = np.zeros(len(y_train))
            texts_train = texts[train]
            for fit, held in StratifiedKFold(3, shuffle=True, random_state=7).split(texts_train, y_train):
                a, b = featurise(args, texts_train[fit], texts_train[held])
                inner[held] = svm_nb_scores(a, y_train[fit], b, c)
            threshold = best_f1_threshold(inner, y_train)
            predicted = scores >= threshold
            values = {"F1": f1_score(y_test, predicted), "AUC": roc_auc_score(y_test, scores),
                      "accuracy": accuracy_score(y_test, predicted)}
        else:
            y_train = labels[train] == args.positive
            y_test = labels[test] == args.positive
            model = LogisticRegression(C=args.C if args.C is not None else 10, max_iter=2000, class_weight=weight).fit(x_train, y_train)
            scores = model.predict_proba(x_test)[:, 1]
            predicted = scores >= 0.5
            values = {"F1": f1_score(y_test, predicted), "AUC": roc_auc_score(y_test, scores),
                      "accuracy": accuracy_score(y_test, predicted)}
        for n in names:
            figures[n].append(values[n])
        print(f"fold {f + 1}/{k} train={train.sum()} test={test.sum()} "
              + " ".join(f"{n}={values[n]:.4f}" for n in names) + f" seconds={time.time() - start:.1f}")
    for n in names:
        v = np.array(figures[n])
        print(f"cv{k} {n} = {v.mean():.4f} ± {v.std(ddof=1):.4f}  (folds: {' '.join(f'{x:.4f}' for x in v)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
