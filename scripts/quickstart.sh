#!/usr/bin/env bash
# The main job, end to end on this machine: installs what is missing, builds, starts an upstream
# and a downstream MariaDB on loopback, loads a sample shop database with every column type
# upstream, and migrates it with an `all` task (dump, load, then sync) while a live workload
# writes upstream; then waits for the sync to catch up and shows `ferry verify` saying the two
# match. The servers stay up for a look around; the last lines say how to reach and stop them.
#   QUICKSTART_WORKLOAD_SECONDS  how long the live workload writes (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

ferry=build/bin/ferry
servers=scripts/mariadb-server.sh
seconds=${QUICKSTART_WORKLOAD_SECONDS:-20}
task=samples/demo/task.yaml

echo
echo "== servers: demo-up (upstream, binlog) and demo-down (downstream) =="
for name in demo-up demo-down; do bash $servers stop "$name" >/dev/null 2>&1 || true; done
bash $servers start demo-up >/dev/null
bash $servers start demo-down --set skip-log-bin >/dev/null
eval "$(bash $servers env demo-up)"
eval "$(bash $servers env demo-down)"
export DEMO_UP_PORT=$FERRY_DEMO_UP_PORT DEMO_DOWN_PORT=$FERRY_DEMO_DOWN_PORT
export DEMO_USER=$FERRY_DEMO_UP_USER DEMO_PASSWORD=$FERRY_DEMO_UP_PASSWORD
up() { mariadb -h127.0.0.1 -P"$DEMO_UP_PORT" -u"$DEMO_USER" -p"$DEMO_PASSWORD" --default-character-set=utf8mb4 "$@"; }
down() { mariadb -h127.0.0.1 -P"$DEMO_DOWN_PORT" -u"$DEMO_USER" -p"$DEMO_PASSWORD" --default-character-set=utf8mb4 "$@"; }
echo "upstream 127.0.0.1:$DEMO_UP_PORT, downstream 127.0.0.1:$DEMO_DOWN_PORT, user $DEMO_USER"

echo
echo "== sample database upstream: samples/demo/shop.sql =="
up < samples/demo/shop.sql
up < samples/demo/workload.sql
up -N -e "SELECT CONCAT(table_name, ': ', table_rows, ' rows') FROM information_schema.tables WHERE table_schema = 'shop' ORDER BY 1"

echo
echo "== check $task =="
rm -rf samples/demo/ferry-data
$ferry check "$task"

echo
echo "== run $task (all: dump, load, sync) with a ${seconds}s live workload upstream =="
up -N shop -e "CALL workload($seconds)" > samples/demo/workload.out 2>&1 &
workload=$!
$ferry run "$task" &
ferry_pid=$!
trap 'kill $ferry_pid $workload 2>/dev/null || true' EXIT
wait $workload
echo
echo "workload finished: $(tr -d '\n' < samples/demo/workload.out) rounds"

# Caught up when the sync checkpoint stands at the upstream's binlog position.
target=$(up -N -e "SHOW MASTER STATUS" | awk '{print $1" "$2}')
caught_up=no
for _ in $(seq 1 240); do
  at=$(down -N -e "SELECT binlog_name, binlog_pos FROM dm_meta.demo_syncer_checkpoint WHERE is_global = 1" 2>/dev/null | awk '{print $1" "$2}' || true)
  if [ "$at" = "$target" ]; then caught_up=yes; break; fi
  sleep 0.5
done
echo
echo "sync checkpoint: ${at:-none}; upstream binlog: $target; caught up: $caught_up"
kill -TERM $ferry_pid
wait $ferry_pid || true
trap - EXIT

echo
echo "== verify: upstream and downstream, table by table =="
if $ferry verify "$task"; then
  echo "verification: ok, the downstream matches the upstream"
else
  echo "verification: MISMATCH (see above; 'ferry verify $task --rows' lists the rows)" >&2
  exit 1
fi

echo
echo "The servers are still running:"
echo "  mariadb -h127.0.0.1 -P$DEMO_UP_PORT -u$DEMO_USER -p$DEMO_PASSWORD shop     # upstream"
echo "  mariadb -h127.0.0.1 -P$DEMO_DOWN_PORT -u$DEMO_USER -p$DEMO_PASSWORD shop   # downstream"
echo "  bash $servers stop demo-up; bash $servers stop demo-down                  # when done"
