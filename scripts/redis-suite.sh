#!/usr/bin/env bash
# The ratchet: Redis 7.4.1's own TCL test suite against `playground-proxy emulate`.
#
#   scripts/redis-suite.sh [--update] [--record] [--runs N] [--no-skip] [FILE...]
#
# Builds the proxy, starts a fresh `emulate` on a free port for each file, runs ../shared/redis-tests/run (relative to
# the repository's root) for FILEs (default: the set below, chosen to fit CI's time), reads every
# test's outcome from the logs and compares them with tests/redis-suite/:
#
#   expected-failures.txt  tests that still fail: "file<TAB>test name" a line, '#' comments
#   flaky.txt              tests that pass or fail with timing: neither required to pass nor to fail
#   skip.txt               tests that hang emulate: skipped (--no-skip runs them)
#
# A test is keyed by its file and its name; the second test of the same name in a file is
# "name (#2)", and so on. An error outside any test is the harness's "BLOCK ABORTED: ..." test;
# a file that aborts (runtest exception, no progress, file timeout) is the test "(file aborted)".
#
# Exit status 1 when a test fails that is on neither list: a test that passes must not start
# failing. A listed test that now passes is reported; --update removes it from the list, so the
# list only shrinks. --record rewrites both lists from this run (tests that failed in every run
# are expected, in some runs flaky): for the first run or a deliberate reset; review its diff.
# --runs N runs the files N times (the union of failures counts; with --record, see above).
#
# Environment: REDIS_SUITE_PROXY (a playground-proxy binary to use instead of building one),
# REDIS_SUITE_PORT (default: the first free port from 16600), FILE_TIMEOUT (300), TEST_TIMEOUT
# (120), and the runner's TAGS, EXTRA, SKIPTESTS.
set -euo pipefail
export LC_ALL=C # one sort order for the lists, whatever the machine's locale

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runner="$root/../shared/redis-tests/run"
lists="$root/tests/redis-suite"
expected_file="$lists/expected-failures.txt"
flaky_file="$lists/flaky.txt"
skip_file="$lists/skip.txt"

# The files CI runs (numbers in tests/redis-suite/README.md): the runner's whole `core` set, and
# the files of `all` where emulate passes tests today (the others fail every test on a command
# family the engine does not have yet: streams, scripting...; add them as it grows).
default_files=(unit/type/string unit/type/incr unit/type/hash unit/type/list unit/type/set
  unit/type/zset unit/expire unit/keyspace unit/multi unit/scan unit/protocol unit/other
  unit/type/list-3 unit/info-command unit/introspection unit/introspection-2 unit/quit unit/pause unit/slowlog unit/latency-monitor
  unit/bitops unit/bitfield unit/geo unit/hyperloglog unit/type/hash-field-expire unit/dump unit/sort
  unit/type/stream unit/type/stream-cgroups
  unit/pubsub unit/pubsubshard unit/tracking
  unit/scripting unit/functions unit/lazyfree unit/replybufsize unit/violations)

update=0 record=0 no_skip=0 runs=1 files=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --update) update=1 ;;
    --record) record=1 ;;
    --no-skip) no_skip=1 ;;
    --runs)
      runs=${2:?--runs N}
      shift
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "unknown flag $1 (see --help)" >&2
      exit 2
      ;;
    *) files+=("$1") ;;
  esac
  shift
done
[[ ${#files[@]} -eq 0 ]] && files=("${default_files[@]}")

if [[ ! -f $runner ]]; then
  echo "missing $runner: the Redis test suite is expected in ../shared/redis-tests" >&2
  exit 1
fi

say() { printf '\033[1;34m%s\033[0m\n' "$*"; }

# The debug build. In `scripts/dev.sh test` it costs no compile time: `cargo test --workspace`
# has just built this very binary (the proxy's integration tests run it) and dev.sh passes it as
# REDIS_SUITE_PROXY; a `cargo build` here would resolve features without the dev-dependencies and
# compile tokio and its dependents again. `release` (opt-level z) or `fast` (opt-level 3, LTO,
# one codegen unit) would add minutes of compiling to save seconds: over four files (zset, set,
# string, expire) emulate used 7 s of CPU in 25 s of wall time; the rest is the harness's round
# trips and sleeps.
if [[ -n ${REDIS_SUITE_PROXY:-} ]]; then
  proxy=$REDIS_SUITE_PROXY
  [[ -x $proxy ]] || {
    echo "REDIS_SUITE_PROXY=$proxy is not an executable playground-proxy" >&2
    exit 1
  }
else
  say "building playground-proxy (debug)"
  cargo build --locked -q -p playground-proxy --bin playground-proxy
  proxy="${CARGO_TARGET_DIR:-$root/target}/debug/playground-proxy"
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${REDIS_SUITE_PORT:-}
if [[ -z $port ]]; then
  for p in $(seq 16600 16699); do
    if ! port_in_use "$p"; then
      port=$p
      break
    fi
  done
  [[ -n $port ]] || {
    echo "no free port in 16600-16699" >&2
    exit 1
  }
fi

work=$(mktemp -d)
server_pid=""
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

# A fresh emulate for each file, as each of Redis's own runs starts its server: a file that hangs
# the engine (a loop under its lock stops every client) or leaves state behind cannot take the
# next files down with it.
start_server() {
  RUST_LOG=warn "$proxy" emulate --listen "127.0.0.1:$port" 2>>"$work/emulate.log" &
  server_pid=$!
  for _ in $(seq 100); do
    port_in_use "$port" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "emulate did not start:" >&2
  tail -20 "$work/emulate.log" >&2
  exit 1
}

# Every outcome of one run as "file<TAB>name<TAB>ok|err|skip", from the runner's logs.
outcomes() {
  local logdir=$1 f log
  for f in "${files[@]}"; do
    log="$logdir/${f//\//_}.log"
    [[ -f $log ]] || {
      printf '%s\t(file aborted)\terr\n' "$f"
      continue
    }
    awk -v file="$f" '
      function emit(name, status) {
        seen[name]++
        if (seen[name] > 1) name = name " (#" seen[name] ")"
        printf "%s\t%s\t%s\n", file, name, status
      }
      /^\[ok\]: / { s = substr($0, 7); sub(/ \([0-9]+ ms\)$/, "", s); emit(s, "ok"); next }
      /^\[err\]: / { s = substr($0, 8); sub(/ in tests\/[^ ]*\.tcl$/, "", s); emit(s, "err"); next }
      /^\[skip\]: / { emit(substr($0, 9), "skip"); next }
      /^\[ignore\]: / { emit("(ignored by tag)", "skip"); next }
      /^\[exception\]|\[TIMEOUT\]/ { aborted = 1 }
      END { printf "%s\t(file aborted)\t%s\n", file, aborted ? "err" : "ok" }
    ' "$log"
  done
}

# Tests skipped because they hang emulate (their names, for the runner's SKIPTESTS).
skipped_in() { [[ -f $skip_file ]] && grep -av '^\(#\|$\)' "$skip_file" | awk -F'\t' -v f="$1" '$1 == f { print $2 }' || true; }

# The runner's logs (every [ok]/[err] line and each failure's reason) stay here after the run.
logs="${CARGO_TARGET_DIR:-$root/target}/redis-suite/$port"
rm -rf "$logs"
mkdir -p "$logs"

# 120 s without progress, as the runner's own default: unit/hyperloglog's "Fuzzing dense/sparse
# encoding" runs 42 s against Redis itself (the TCL client's work) and up to a minute against a
# debug emulate on a loaded machine; a hang still ends the file (its tests sit in skip.txt).
export FILE_TIMEOUT=${FILE_TIMEOUT:-300} TEST_TIMEOUT=${TEST_TIMEOUT:-120}
start=$(date +%s)
: >"$work/all"
for run in $(seq "$runs"); do
  say "Redis 7.4.1 test suite against emulate on port $port (run $run of $runs)"
  : >"$work/summary-$run"
  for f in "${files[@]}"; do
    start_server
    skip=$(skipped_in "$f")
    [[ $no_skip -eq 1 ]] && skip=""
    SKIPTESTS="${SKIPTESTS:-}"$'\n'"$skip" LOGDIR="$logs/run-$run" "$runner" "$port" "$f" |
      { grep -a "^$f: " || true; } | tee -a "$work/summary-$run"
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "emulate exited during $f:" >&2
      tail -20 "$work/emulate.log" >&2
      printf '%s\t(emulate exited)\terr\n' "$f" >>"$work/exited-$run"
    fi
    stop_server
  done
  outcomes "$logs/run-$run" >"$work/run-$run"
  # The file timeout and a server that died show only here.
  grep -a 'ABORTED (file took' "$work/summary-$run" | sed 's/:.*//' | awk '{ printf "%s\t(file aborted)\terr\n", $0 }' >>"$work/run-$run" || true
  [[ -f $work/exited-$run ]] && cat "$work/exited-$run" >>"$work/run-$run"
  cat "$work/run-$run" >>"$work/all"
done
echo "suite time: $(($(date +%s) - start))s for $runs run(s)"

# Keys (file<TAB>name) of a list file, without comments and blank lines.
keys() { [[ -f $1 ]] && grep -av '^\(#\|$\)' "$1" | sort -u || true; }
failed=$(awk -F'\t' '$3 == "err" { print $1 "\t" $2 }' "$work/all" | sort -u)
passed=$(awk -F'\t' '$3 == "ok" { print $1 "\t" $2 }' "$work/all" | sort -u)
# Failed in every run (sort -u per run, then count the runs).
always=$(for r in $(seq "$runs"); do awk -F'\t' '$3 == "err" { print $1 "\t" $2 }' "$work/run-$r" | sort -u; done |
  sort | uniq -c | awk -v n="$runs" '$1 == n' | sed 's/^ *[0-9]* //')
expected=$(keys "$expected_file")
flaky=$(keys "$flaky_file")
ran_files=$(printf '%s\n' "${files[@]}")
in_run() { awk -F'\t' 'NR == FNR { f[$0] = 1; next } ($1 in f)' <(echo "$ran_files") -; }

only() { comm -23 <(echo "$1" | sed '/^$/d' | sort -u) <(echo "$2" | sed '/^$/d' | sort -u); }
both() { comm -12 <(echo "$1" | sed '/^$/d' | sort -u) <(echo "$2" | sed '/^$/d' | sort -u); }

count() { echo -n "$1" | grep -c . || true; }
echo
say "totals"
awk -F'\t' -v runs="$runs" '
  $2 == "(file aborted)" && $3 == "ok" { next }
  { n[$1 FS $3]++; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
  END {
    for (i = 1; i <= k; i++) {
      f = order[i]
      printf "%s: %d passed, %d failed, %d skipped\n", f, n[f FS "ok"] / runs, n[f FS "err"] / runs, n[f FS "skip"] / runs
      p += n[f FS "ok"]; e += n[f FS "err"]; s += n[f FS "skip"]
    }
    printf "TOTAL: %d passed, %d failed, %d skipped (per run)\n", p / runs, e / runs, s / runs
  }' "$work/all"

if [[ $record -eq 1 ]]; then
  mkdir -p "$lists"
  keep_expected=$(echo "$expected" | sed '/^$/d' | awk -F'\t' 'NR == FNR { f[$0] = 1; next } !($1 in f)' <(echo "$ran_files") - || true)
  keep_flaky=$(echo "$flaky" | sed '/^$/d' | awk -F'\t' 'NR == FNR { f[$0] = 1; next } !($1 in f)' <(echo "$ran_files") - || true)
  {
    echo "# Tests of Redis's suite that still fail against emulate: file<TAB>test name. The list only"
    echo "# shrinks: scripts/redis-suite.sh --update removes the tests that pass now."
    printf '%s\n%s\n' "$keep_expected" "$always" | sed '/^$/d' | sort -u
  } >"$expected_file"
  {
    echo "# Tests that pass or fail with timing against emulate (seen both ways over repeated runs):"
    echo "# neither required to pass nor to fail. file<TAB>test name."
    printf '%s\n%s\n' "$keep_flaky" "$(only "$failed" "$always")" | sed '/^$/d' | sort -u
  } >"$flaky_file"
  echo "recorded $(count "$always") expected failures and $(count "$(only "$failed" "$always")") flaky tests of this run in $lists"
  exit 0
fi

new=$(only "$(only "$failed" "$expected")" "$flaky")
fixed=$(only "$(both "$expected" "$passed")" "$failed")
unseen=$(only "$(echo "$expected" | in_run)" "$(printf '%s\n%s\n' "$failed" "$passed")")

status=0
if [[ -n $new ]]; then
  printf '\n\033[1;31m%s tests fail that are not on %s:\033[0m\n' "$(count "$new")" "${expected_file#"$root"/}"
  echo "$new" | sed 's/^/  /'
  echo "(a test that passed must not start failing) Why they failed, from the logs in ${logs#"$root"/}/:"
  while IFS=$'\t' read -r f name; do
    base=${name% (#*)}
    for r in $(seq "$runs"); do
      log="$logs/run-$r/${f//\//_}.log"
      if grep -aqF "[err]: $base in tests/$f.tcl" "$log" 2>/dev/null; then
        # The [err] line and its reason, up to the next outcome line.
        awk -v head="[err]: $base in tests/$f.tcl" '$0 == head { on = 1; print; next } on && /^\[/ { exit } on && n++ < 6' "$log"
        break
      fi
    done
  done <<<"$new"
  status=1
fi
if [[ -n $fixed ]]; then
  printf '\n\033[1;32m%s tests on the list pass now:\033[0m\n' "$(count "$fixed")"
  echo "$fixed" | sed 's/^/  /'
  if [[ $update -eq 1 ]]; then
    tmp=$(mktemp)
    grep -avxFf <(echo "$fixed") "$expected_file" >"$tmp" || true
    mv "$tmp" "$expected_file"
    echo "removed them from ${expected_file#"$root"/}"
  else
    echo "run scripts/redis-suite.sh --update to remove them from ${expected_file#"$root"/}"
  fi
fi
if [[ -n $unseen ]]; then
  printf '\n%s listed tests did not run (renamed? a test before them aborted its block?):\n' "$(count "$unseen")"
  echo "$unseen" | sed 's/^/  /'
fi
echo
echo "expected failures: $(count "$(echo "$expected" | in_run)") listed for these files, $(count "$(both "$failed" "$expected")") failed; flaky: $(count "$(echo "$flaky" | in_run)") listed, $(count "$(both "$failed" "$flaky")") failed"
[[ $status -eq 0 ]] && echo "redis suite: no new failures" || echo "redis suite: NEW FAILURES (see above)"
exit $status
