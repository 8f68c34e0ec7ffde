#!/usr/bin/env bash
# Runs every `dialogue eval` command on the shared evaluation data and keeps the output.
# Usage: bench/analysis/evaluate.sh [DATA_DIR]   (default ../shared/data beside the repository)
# The data is read in place and never copied; results go to bench/results/ (ignored by git).
set -uo pipefail
cd "$(dirname "$0")/../.."
DATA="${1:-$(realpath ../shared/data)}"
OUT=bench/results/analysis-$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p bench/results
dotnet build src/Cli -c Release -v quiet -nologo >/dev/null || exit 1

run() {
  echo "\$ dialogue $*" | sed "s#$DATA#\$DATA#g"
  dotnet run --project src/Cli -c Release --no-build -- "$@" 2>&1
  echo "(exit $?)"
  echo
}

# The scikit-learn reference (Debian's python3-sklearn) on the folds the C# side wrote; skipped when missing.
reference() {
  echo "\$ /usr/bin/python3 bench/analysis/reference_cv.py $*" | sed "s#$FOLDS#\$FOLDS#g"
  if /usr/bin/python3 -c "import sklearn" 2>/dev/null; then
    /usr/bin/python3 bench/analysis/reference_cv.py "$@" 2>&1
    echo "(exit $?)"
  else
    echo "(skipped: no scikit-learn for /usr/bin/python3; apt-get install -y python3-sklearn)"
  fi
  echo
}

{
  echo "# data: $DATA"
  echo "## topics"
  run eval topics --train "$DATA/laporgub-complaints/train.csv" --holdout 0.2 --text-column text --label-column category
  run eval topics --train "$DATA/davidson-hate-offensive/train.csv" --holdout 0.2 --text-column tweet --label-column class
  run eval topics --train "$DATA/wethepeople-petitions/train.csv" --holdout 0.2 --text-column title+content --label-column tags --first-label-of ,
  run eval topics --train "$DATA/jigsaw-toxic-sample/test_examples.csv" --holdout 0.3 --text-column comment_text --label-column toxic

  echo "## cross-validation (5-fold on the training file; ML.NET, then scikit-learn on the same folds)"
  FOLDS=$(mktemp -d)
  run eval topics --train "$DATA/laporgub-complaints/train.csv" --text-column text --label-column category --cv 5 --folds-file "$FOLDS/topics.jsonl"
  reference topics "$FOLDS/topics.jsonl"
  run eval binary --train "$DATA/id-multilabel-hate-abusive/train.csv" --text-column Tweet --label-column HS --cv 5 --folds-file "$FOLDS/hs.jsonl"
  reference binary "$FOLDS/hs.jsonl"
  run eval binary --train "$DATA/id-multilabel-hate-abusive/train.csv" --text-column Tweet --label-column Abusive --cv 5 --folds-file "$FOLDS/abusive.jsonl"
  reference binary "$FOLDS/abusive.jsonl"
  run eval topics --train "$DATA/davidson-hate-offensive/train.csv" --text-column tweet --label-column class --cv 5 --folds-file "$FOLDS/davidson.jsonl"
  reference topics "$FOLDS/davidson.jsonl"
  # Grouping: group 4 folds, place the 5th; the reference's KMeans takes about 100 s per fold.
  run eval groups --data "$DATA/laporgub-complaints/train.csv" --text-column text --label-column category --k 17 --cv 5 --folds-file "$FOLDS/groups.jsonl"
  reference groups-cv "$FOLDS/groups.jsonl"
  # Moderated out: leave one conversation out (K = the number of conversations).
  run eval moderation --data "$DATA/polis" --cv --folds-file "$FOLDS/moderation.jsonl"
  run eval moderation --data "$DATA/polis" --cv --online
  reference binary "$FOLDS/moderation.jsonl"
  # Opinion groups: one fold per conversation; the plain PCA + k-means baseline.
  run eval opinion --polis "$DATA/polis" --cv
  run eval opinion --polis "$DATA/polis" --cv --keep-polis-participants
  run eval opinion --polis "$DATA/polis" --cv --replay
  if /usr/bin/python3 -c "import sklearn" 2>/dev/null; then
    echo "\$ /usr/bin/python3 bench/analysis/reference_opinion.py \$DATA/polis"
    /usr/bin/python3 bench/analysis/reference_opinion.py "$DATA/polis" 2>&1
    echo
  fi
  rm -rf "$FOLDS"

  echo "## binary"
  run eval binary --train "$DATA/id-multilabel-hate-abusive/train.csv" --holdout 0.2 --text-column Tweet --label-column HS
  run eval binary --train "$DATA/id-multilabel-hate-abusive/train.csv" --holdout 0.2 --text-column Tweet --label-column Abusive
  run eval binary --train "$DATA/davidson-hate-offensive/train.csv" --holdout 0.2 --text-column tweet --label-column class --positive 0
  run eval binary --train "$DATA/jigsaw-toxic-sample/test_examples.csv" --holdout 0.3 --text-column comment_text --label-column toxic

  echo "## groups"
  run eval groups --data "$DATA/laporgub-complaints/train.csv" --text-column text --label-column category --k 17 --baseline
  run eval groups --data "$DATA/laporgub-complaints/train.csv" --text-column text --label-column category --k 17 --dimensions 50 --representation lsa
  run eval groups --data "$DATA/wethepeople-petitions/train.csv" --text-column title+content --label-column tags --first-label-of ,
  run eval groups --data "$DATA/davidson-hate-offensive/train.csv" --text-column tweet --label-column class
  run eval groups --data "$DATA/id-multilabel-hate-abusive/train.csv" --text-column Tweet --label-column HS
  run eval groups --data "$DATA/laporgub-complaints/train.csv" --text-column text --label-column category --k 17 --replicate 100000

  echo "## duplicates"
  run eval duplicates --data "$DATA/laporgub-complaints/train.csv" --text-column text
  run eval duplicates --data "$DATA/davidson-hate-offensive/train.csv" --text-column tweet
  run eval duplicates --data "$DATA/id-multilabel-hate-abusive/train.csv" --text-column Tweet
  run eval duplicates --data "$DATA/wethepeople-petitions/train.csv" --text-column title+content
  run eval duplicates --data "$DATA/jigsaw-toxic-sample/test_examples.csv" --text-column comment_text
  for dir in "$DATA"/polis/*/; do
    run eval duplicates --data "${dir}comments.csv" --text-column comment-body
  done

  echo "## moderation (leave one conversation out)"
  for mode in "" "--online"; do
    for test in "$DATA"/polis/*/; do
      train=$(ls -d "$DATA"/polis/*/ | grep -vx "$test" | paste -sd,)
      run eval moderation --train "$train" --test "$test" $mode
    done
  done

  echo "## bad input"
  run eval topics --train "$DATA/laporgub-complaints/train.csv" --holdout 0.2 --text-column body --label-column category
  run eval binary --train /nonexistent.csv --test /nonexistent.csv --text-column a --label-column b
  run eval binary --train "$DATA/laporgub-complaints/train.csv" --holdout 0.2 --text-column text --label-column category --positive none-such
} | tee "$OUT"
echo "written: $OUT"
