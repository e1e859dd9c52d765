#!/usr/bin/env bash
# Start-up over many tables (issue 3: "a task over 10,000 tables starts in under 10 seconds"; DM
# once timed out starting such tasks because its syncer read every table's schema first).
#
#   bench/many-tables.sh [TABLES]      (default 10000; needs ./build)
#
# The upstream and the downstream both hold TABLES tables `many.tN (id INT PRIMARY KEY, v INT,
# UNIQUE KEY (v))`, empty. Then, in one run:
#  1. start-up: `ferry run` of an incremental task from the upstream's current position, until its
#     sink is open and its source streams (what a task must do before it can apply anything);
#  2. first sight of every table: one upstream transaction per 100 tables inserts a row into each
#     table; the time until ferry's checkpoint reaches the end, which includes learning each
#     table's columns and keys the first time it appears (one catalog read per table);
#  3. the same stream applied by a MariaDB replica (the peer: it needs no schema), started from the
#     same position, for the ratio.
# Output: the three times, the ratio of 2 to 3, ferry's peak RSS, and whether all rows arrived.
set -euo pipefail
cd "$(dirname "$0")/.."
tables=${1:-10000}
[[ $tables =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [TABLES]" >&2; exit 2; }
ferry=build/bin/ferry
[ -x "$ferry" ] || { echo "build first: scripts/build.sh" >&2; exit 2; }

tag=bench-tables-$$
up=$tag-up; fdown=$tag-ferry; rdown=$tag-replica
work=$(mktemp -d "${TMPDIR:-/tmp}/$tag.XXXXXX")
cleanup() {
  [ -n "${ferry_pid:-}" ] && kill -9 "$ferry_pid" 2>/dev/null || true
  for s in "$up" "$fdown" "$rdown"; do bash scripts/mariadb-server.sh stop "$s" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# Enough file handles and table cache for 10,000 tables on each server.
common=(--set innodb_buffer_pool_size=512M --set open_files_limit=65535 --set table_open_cache=20000
        --set table_definition_cache=20000 --set innodb_flush_log_at_trx_commit=2)
echo "starting three MariaDB servers..."
bash scripts/mariadb-server.sh start "$up" "${common[@]}" >/dev/null
bash scripts/mariadb-server.sh start "$fdown" "${common[@]}" --set skip-log-bin >/dev/null
bash scripts/mariadb-server.sh start "$rdown" "${common[@]}" --set skip-log-bin >/dev/null
var() { local v="FERRY_$(echo "$1" | tr 'a-z-' 'A-Z_')_$2"; eval "$(bash scripts/mariadb-server.sh env "$1")"; echo "${!v}"; }
up_port=$(var "$up" PORT); fdown_port=$(var "$fdown" PORT); rdown_port=$(var "$rdown" PORT)
sql() { local port=$1; shift; mariadb -h127.0.0.1 -P"$port" -uferry -pferry "$@"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }

echo "creating $tables tables on each server (not binlogged upstream)..."
python3 - "$tables" > "$work/schema.sql" <<'PY'
import sys
n = int(sys.argv[1])
print("CREATE DATABASE many; USE many;")
for i in range(1, n + 1):
    print(f"CREATE TABLE t{i} (id INT NOT NULL PRIMARY KEY, v INT, UNIQUE KEY (v));")
PY
t0=$(now)
(echo "SET SESSION sql_log_bin = 0;"; cat "$work/schema.sql") | sql "$up_port" &
sql "$fdown_port" < "$work/schema.sql" &
sql "$rdown_port" < "$work/schema.sql" &
wait
echo "  took $(since "$t0") s"
read -r start_file start_pos <<<"$(sql "$up_port" -N -e "SHOW MASTER STATUS" | awk '{print $1, $2}')"

cat > "$work/task.yaml" <<YAML
name: many
task-mode: incremental
incremental:
  source: {plugin: mysql-binlog, port: $up_port, user: ferry, password: ferry, binlog-name: $start_file, binlog-pos: $start_pos}
  sink: {plugin: tidb, port: $fdown_port, user: ferry, password: ferry}
YAML

echo "1. ferry start-up..."
t0=$(now)
"$ferry" --log-level=info run "$work/task.yaml" > "$work/ferry.log" 2>&1 &
ferry_pid=$!
until grep -q "tidb sink open" "$work/ferry.log" && grep -q "streaming from" "$work/ferry.log"; do
  kill -0 "$ferry_pid" 2>/dev/null || { cat "$work/ferry.log" >&2; exit 1; }
  sleep 0.02
done
t_start=$(since "$t0")

echo "2. one row into each table upstream ($((tables / 100 + 1)) transactions)..."
python3 - "$tables" > "$work/rows.sql" <<'PY'
import sys
n = int(sys.argv[1])
for lo in range(1, n + 1, 100):
    print("BEGIN;" + "".join(f"INSERT INTO many.t{i} VALUES (1, {i});" for i in range(lo, min(n, lo + 99) + 1)) + "COMMIT;")
PY
t0=$(now)
sql "$up_port" < "$work/rows.sql"
t_write=$(since "$t0")
read -r end_file end_pos <<<"$(sql "$up_port" -N -e "SHOW MASTER STATUS" | awk '{print $1, $2}')"
ferry_at() { sql "$fdown_port" -N -e "SELECT binlog_name, binlog_pos FROM dm_meta.many_syncer_checkpoint WHERE is_global=1" 2>/dev/null | tr '\t' ' '; }
until [ "$(ferry_at || true)" = "$end_file $end_pos" ]; do
  kill -0 "$ferry_pid" 2>/dev/null || { tail -20 "$work/ferry.log" >&2; exit 1; }
  sleep 0.05
done
t_ferry=$(since "$t0")
rss_kib=$(awk '/VmHWM/{print $2}' "/proc/$ferry_pid/status")
kill -TERM "$ferry_pid"; wait "$ferry_pid" || true; ferry_pid=

echo "3. MariaDB replica on the same stream..."
replica_at() { sql "$rdown_port" -e "SHOW SLAVE STATUS\G" | awk '/Relay_Master_Log_File/{f=$2} /Exec_Master_Log_Pos/{p=$2} END{print f, p}'; }
t0=$(now)
sql "$rdown_port" -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$up_port, MASTER_USER='ferry', MASTER_PASSWORD='ferry', MASTER_LOG_FILE='$start_file', MASTER_LOG_POS=$start_pos, MASTER_USE_GTID=no; START SLAVE"
until [ "$(replica_at)" = "$end_file $end_pos" ]; do sleep 0.05; done
t_replica=$(since "$t0")

missing=$(python3 - "$tables" <<'PY'
import sys
n = int(sys.argv[1])
print(" UNION ALL ".join(f"SELECT COUNT(*) c FROM many.t{i}" for i in range(1, n + 1)))
PY
)
rows_ferry=$(echo "SELECT SUM(c) FROM ($missing) x" | sql "$fdown_port" -N)
rows_replica=$(echo "SELECT SUM(c) FROM ($missing) x" | sql "$rdown_port" -N)

python3 - "$tables" "$t_start" "$t_write" "$t_ferry" "$t_replica" "$rss_kib" "$rows_ferry" "$rows_replica" <<'PY'
import sys
n, start, write, tf, tr, rss, rf, rr = sys.argv[1:]
n = int(n); start, write, tf, tr = map(float, (start, write, tf, tr))
print(f"tables: {n}")
print(f"1. ferry start-up (run -> sink open and streaming): {start:.2f} s   (target < 10 s)")
print(f"2. ferry, first change of every table applied:    {tf:.2f} s from the first write (the upstream took {write:.2f} s to write them)")
print(f"3. MariaDB replica, same stream:                   {tr:.2f} s   ratio ferry/replica {tf/tr:.2f}x")
print(f"ferry peak RSS {int(rss)/1024:.0f} MiB; rows arrived: ferry {rf}/{n}, replica {rr}/{n}")
PY
