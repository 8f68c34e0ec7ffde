#!/usr/bin/env bash
# Checks that the test tiers (docs/testing.md) split the suite exactly: every test is in one Category and
# only one, so running each tier once runs every test once. Lists the tests of the Release build (run
# `dotnet build OpenGov.Dialogue.sln -c Release` first), per tier and in total; prints the counts and
# the tests that are in no tier or in more than one. Exit code 0 when the tiers add up to the suite.
set -uo pipefail
cd "$(dirname "$0")/.."

tiers=(unit http postgres cluster browser)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line per test (its full name), sorted. The assemblies are listed in parallel, so their lines interleave.
list() {
  dotnet test OpenGov.Dialogue.sln -c Release --no-build --list-tests "$@" 2>&1 | sed -n 's/^    //p' | sort
}

list >"$work/all"
for tier in "${tiers[@]}"; do
  list --filter "Category=$tier" >"$work/$tier"
done

total=$(wc -l <"$work/all")
sum=0
for tier in "${tiers[@]}"; do
  count=$(wc -l <"$work/$tier")
  sum=$((sum + count))
  printf '%-9s %5d\n' "$tier" "$count"
  [ "$count" -gt 0 ] || echo "tier $tier selects no test"
done
printf '%-9s %5d (sum of the tiers)\n' "tiers" "$sum"
printf '%-9s %5d (the whole suite)\n' "all" "$total"

sort "${tiers[@]/#/$work/}" >"$work/tiered"
status=0
if ! cmp -s "$work/tiered" "$work/all"; then
  status=1
  echo "The tiers do not split the suite exactly:"
  comm -13 "$work/tiered" "$work/all" | sed 's/^/  in no tier: /'
  comm -23 "$work/tiered" "$work/all" | sed 's/^/  in more than one tier: /'
fi
for tier in "${tiers[@]}"; do
  [ -s "$work/$tier" ] || status=1
done
[ "$total" -gt 0 ] || status=1
exit "$status"
