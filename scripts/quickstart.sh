#!/usr/bin/env bash
# The main job, end to end on this machine: installs what is missing, builds, lists the plugins
# and runs the sample pipeline with progress, then shows what came out.
# (Later issues turn this into a real MariaDB -> MariaDB migration with verification.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

echo
echo "== plugins =="
build/bin/ferry plugins list

task=samples/tasks/generate-to-jsonl.yaml
echo
echo "== check $task =="
build/bin/ferry check "$task"

echo
echo "== run $task =="
rm -rf samples/tasks/ferry-data
build/bin/ferry run "$task"

out=samples/tasks/ferry-data/generate-demo.jsonl
echo
echo "== result =="
rows=$(grep -c '"kind":"row"' "$out")
echo "rows written: $rows (expected 10000)"
echo "last checkpoint: $(cat "$out.checkpoint")"
echo "first row: $(grep -m1 '"kind":"row"' "$out" | cut -c1-160)..."
[ "$rows" -eq 10000 ] && echo "verification: ok" || { echo "verification: MISMATCH" >&2; exit 1; }
