#!/usr/bin/env bash
# What ctest runs for the binlog decoder fuzz target (see CMakeLists.txt):
#
#   run_fuzzer.sh fuzz FUZZER CORPUS_DIR CRASH_DIR SECONDS
#       fuzzes for SECONDS from a temporary copy of CORPUS_DIR; a crashing input is written to
#       CRASH_DIR (crash-*, leak-*, timeout-*, oom-*) and the run fails
#   run_fuzzer.sh replay FUZZER DIR
#       runs every input in DIR once (README.md and other *.md files aside); fails on a crash
set -euo pipefail

me=$(basename "$0")
usage() { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }

[ $# -ge 1 ] || usage
mode=$1
shift
case $mode in
  fuzz)
    [ $# -eq 4 ] || usage
    fuzzer=$1 corpus=$2 crashes=$3 seconds=$4
    work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-fuzz.XXXXXX")
    trap 'rm -rf -- "$work"' EXIT
    # libFuzzer adds the inputs it finds to its corpus directory: a copy keeps the tree clean.
    cp -- "$corpus"/* "$work"/
    mkdir -p -- "$crashes"
    # -timeout: an input that takes seconds is a hang (a loop that stopped consuming bytes).
    # Not exec: the trap must still remove the copy.
    "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$crashes/" "$work"
    ;;
  replay)
    [ $# -eq 2 ] || usage
    fuzzer=$1 dir=$2
    [ -d "$dir" ] || { echo "$me: no directory $dir" >&2; exit 2; }
    inputs=()
    for f in "$dir"/*; do
      [ -f "$f" ] && [[ $f != *.md ]] && inputs+=("$f")
    done
    if [ ${#inputs[@]} -eq 0 ]; then
      echo "$me: no inputs in $dir"
      exit 0
    fi
    # Files (not a directory) make libFuzzer run each once instead of fuzzing.
    exec "$fuzzer" -timeout=10 "${inputs[@]}"
    ;;
  *) usage ;;
esac
