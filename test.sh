#!/usr/bin/env bash
# Runs every test tier on a fresh machine: restores, builds in Release, starts a throw-away
# PostgreSQL server on 127.0.0.1 (installing the Debian packages when missing), runs `dotnet test`
# on the solution and prints the totals as one line "N passed, N failed". Exit code 0 only if all
# passed. Without PostgreSQL the PostgreSQL tests fail with a clear message; none is skipped.
# Extra arguments go to `dotnet test`: `./test.sh --filter Category=unit` runs one tier (docs/testing.md).
set -uo pipefail
cd "$(dirname "$0")"

# shellcheck source=tests/postgres-server.sh
source tests/postgres-server.sh
trap stop_test_postgres EXIT
if ! start_test_postgres; then
  unset DIALOGUE_TEST_POSTGRES
  echo "warning: no PostgreSQL server for this run; the PostgreSQL tests will fail"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The Pol.is round-trip tests read the shared evaluation data (never copied into the repository): beside
# this checkout, or at the machines' fixed place; DIALOGUE_SHARED_DATA, when set, wins.
if [ -z "${DIALOGUE_SHARED_DATA:-}" ]; then
  for candidate in "$(pwd)/../shared/data" /work/shared/data; do
    if [ -d "$candidate/polis" ]; then
      export DIALOGUE_SHARED_DATA="$candidate"
      break
    fi
  done
fi
[ -n "${DIALOGUE_SHARED_DATA:-}" ] || echo "warning: no shared data folder (../shared/data); the Pol.is round-trip tests will fail"

results="TestResults"
rm -rf "$results"
mkdir -p "$results"
# Tests that measure something (the cluster fault tests' recovery times) append a line here; printed at the end.
export DIALOGUE_TEST_FIGURES="$(pwd)/$results/figures.txt"

# The browser tests (tests/WebUi.Tests) drive Debian's Chromium; install it once when it is missing.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing chromium for the browser tests"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >/tmp/dialogue-chromium-install.log 2>&1 \
      || { tail -n 20 /tmp/dialogue-chromium-install.log; echo "installing chromium failed: the browser tests will fail"; }
  else
    echo "chromium is missing: run 'sudo apt-get install -y chromium' (the browser tests need /usr/bin/chromium)"
  fi
fi

# The page without JavaScript is driven by real text browsers (tests/Gateway.Tests/LiteTextBrowserTests.cs): lynx and
# w3m from Debian's packages; install them once when either is missing.
if [ ! -x /usr/bin/lynx ] || [ ! -x /usr/bin/w3m ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing lynx and w3m for the text-browser test"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends lynx w3m; } >/tmp/dialogue-textbrowsers-install.log 2>&1 \
      || { tail -n 20 /tmp/dialogue-textbrowsers-install.log; echo "installing lynx and w3m failed: the text-browser test will fail"; }
  else
    echo "lynx or w3m is missing: run 'sudo apt-get install -y lynx w3m' (the text-browser test needs /usr/bin/lynx and /usr/bin/w3m)"
  fi
fi

# The metrics tests check each scrape with promtool, from Debian's prometheus package; install it once when it is missing.
if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing prometheus (promtool) for the metrics tests"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus; } >/tmp/dialogue-prometheus-install.log 2>&1 \
      || { tail -n 20 /tmp/dialogue-prometheus-install.log; echo "installing prometheus failed: the metrics tests will fail (promtool missing)"; }
  else
    echo "promtool is missing: run 'sudo apt-get install -y prometheus' (the metrics tests need promtool)"
  fi
fi

# The reverse-proxy test (tests/Gateway.Tests/ProxiedClusterTests.cs) runs Debian's nginx with docker/nginx.conf in
# the foreground; install it once when it is missing. RUNLEVEL=1 keeps the package from starting its own daemon on port 80.
if [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing nginx for the reverse-proxy test"
    { apt-get update && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y nginx; } >/tmp/dialogue-nginx-install.log 2>&1 \
      || { tail -n 20 /tmp/dialogue-nginx-install.log; echo "installing nginx failed: the reverse-proxy test will fail"; }
  else
    echo "nginx is missing: run 'sudo apt-get install -y nginx' (the reverse-proxy test needs /usr/sbin/nginx)"
  fi
fi

# A build that fails is a failed run, even when older binaries of the same projects are still on disk.
if ! dotnet build OpenGov.Dialogue.sln -c Release 2>&1 | tail -n 30; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test OpenGov.Dialogue.sln -c Release --no-build \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ ${#trx_files[@]} -eq 0 ]; then
  failed=$((failed + 1))
  echo "no test results were written"
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host crash leaves no failed counter behind: count it, never report green.
  failed=1
fi

if [ -s "$DIALOGUE_TEST_FIGURES" ]; then
  echo "Figures measured by this run:"
  sed 's/^/  /' "$DIALOGUE_TEST_FIGURES"
fi

# Name the failed tests and their first message lines last, so a log that keeps only its tail still shows them.
for trx in "${trx_files[@]}"; do
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.*testName="\([^"]*\)".*/FAILED: \1/p'
  awk '/<Message>/{on=1; n=0} on && n<6 {print "  " $0; n++} /<\/Message>/{on=0}' "$trx" | head -n 40
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
