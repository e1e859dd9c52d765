#!/usr/bin/env bash
# Sync apply speed, in one run on one backlog: ferry (mysql-binlog -> tidb) against MariaDB's own
# replication (a replica with slave_parallel_threads=4, optimistic) applying the same binlog
# backlog to identical downstreams; then the lag of ferry under a steady load.
#
#   bench/sync-apply.sh [ROW_CHANGES] [WORKERS]     (defaults 500000 and 16; needs ./build)
#
# Backlog: sysbench oltp_write_only-like: 8 tables (id, k, c CHAR(120), pad CHAR(60), KEY k) of
# 10000 rows, loaded before the start position; then transactions of 4 row changes on one random
# row (UPDATE k, UPDATE c, DELETE, INSERT the same id). Both downstreams: no binlog,
# innodb_flush_log_at_trx_commit=1, a 512 MiB buffer pool. Output: rows/s of each, the ratio,
# ferry's peak RSS, both checksums, and lag p50/p99 at a steady 5000 row changes/s.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-500000}
workers=${2:-16}
lag_seconds=${LAG_SECONDS:-30}
ferry=build/bin/ferry
[ -x "$ferry" ] || { echo "build first: scripts/build.sh" >&2; exit 2; }

tag=bench-sync-$$
up=$tag-up; fdown=$tag-ferry; rdown=$tag-replica
common=(--set innodb_buffer_pool_size=512M --set innodb_flush_log_at_trx_commit=1)
bash scripts/mariadb-server.sh start "$up" "${common[@]}" --set max_binlog_size=1G >/dev/null
cleanup() {
  [ -n "${ferry_pid:-}" ] && kill -9 "$ferry_pid" 2>/dev/null || true
  for s in "$up" "$fdown" "$rdown"; do bash scripts/mariadb-server.sh stop "$s" >/dev/null 2>&1 || true; done
  rm -rf "/tmp/$tag"
}
trap cleanup EXIT
bash scripts/mariadb-server.sh start "$fdown" "${common[@]}" --set skip-log-bin >/dev/null
bash scripts/mariadb-server.sh start "$rdown" "${common[@]}" --set skip-log-bin \
  --set slave_parallel_threads=4 --set slave_parallel_mode=optimistic >/dev/null
mkdir -p "/tmp/$tag"
var() { local v="FERRY_$(echo "$1" | tr 'a-z-' 'A-Z_')_$2"; eval "$(bash scripts/mariadb-server.sh env "$1")"; echo "${!v}"; }
up_port=$(var "$up" PORT); fdown_port=$(var "$fdown" PORT); rdown_port=$(var "$rdown" PORT)
sql() { local port=$1; shift; mariadb -h127.0.0.1 -P"$port" -uferry -pferry "$@"; }

echo "loading 8 x 10000 rows into the upstream and both downstreams..."
python3 - > "/tmp/$tag/init.sql" <<'PY'
import random
random.seed(1)
print("CREATE DATABASE sbtest; USE sbtest;")
for t in range(1, 9):
    print(f"CREATE TABLE sbtest{t} (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY (k));")
    for lo in range(1, 10001, 1000):
        vals = ",".join(f"({i},{random.randint(1,10000)},'{'c'*110}','{'p'*50}')" for i in range(lo, lo + 1000))
        print(f"INSERT INTO sbtest{t} VALUES {vals};")
PY
(echo "SET SESSION sql_log_bin = 0;"; cat "/tmp/$tag/init.sql") | sql "$up_port"
sql "$fdown_port" < "/tmp/$tag/init.sql"
sql "$rdown_port" < "/tmp/$tag/init.sql"
read -r start_file start_pos <<<"$(sql "$up_port" -N -e "SHOW MASTER STATUS" | awk '{print $1, $2}')"

echo "generating a backlog of $rows row changes upstream..."
python3 - "$rows" <<'PY' > "/tmp/$tag/work.sql"
import random, sys
random.seed(2)
txns = int(sys.argv[1]) // 4
out = []
for n in range(txns):
    t = random.randint(1, 8); i = random.randint(1, 10000)
    out.append(f"BEGIN;UPDATE sbtest.sbtest{t} SET k=k+1 WHERE id={i};UPDATE sbtest.sbtest{t} SET c='{n:0>110}' WHERE id={i};"
               f"DELETE FROM sbtest.sbtest{t} WHERE id={i};INSERT INTO sbtest.sbtest{t} VALUES ({i},{random.randint(1,10000)},'{'c'*110}','{'p'*50}');COMMIT;")
print("\n".join(out))
PY
gen_start=$(date +%s.%N)
sql "$up_port" < "/tmp/$tag/work.sql"
gen_end=$(date +%s.%N)
read -r end_file end_pos <<<"$(sql "$up_port" -N -e "SHOW MASTER STATUS" | awk '{print $1, $2}')"
echo "backlog: $start_file:$start_pos .. $end_file:$end_pos ($(python3 -c "print(f'{($end_pos-$start_pos)/2**20:.0f}')") MiB of binlog; the upstream took $(python3 -c "print(f'{$gen_end-$gen_start:.1f}')") s to write it)"

cat > "/tmp/$tag/task.yaml" <<YAML
name: bench
task-mode: incremental
incremental:
  source: {plugin: mysql-binlog, port: $up_port, user: ferry, password: ferry, binlog-name: $start_file, binlog-pos: $start_pos}
  sink: {plugin: tidb, port: $fdown_port, user: ferry, password: ferry, worker-count: $workers}
YAML
# Polls until `probe` prints the end position; prints the seconds it took.
wait_for() {
  local start; start=$(date +%s.%N)
  while [ "$("$@" 2>/dev/null || true)" != "$end_file $end_pos" ]; do sleep 0.05; done
  python3 -c "import time; print(f'{time.time() - $start:.2f}')"
}
ferry_at() { sql "$fdown_port" -N -e "SELECT binlog_name, binlog_pos FROM dm_meta.bench_syncer_checkpoint WHERE is_global=1" | tr '\t' ' '; }
replica_at() { sql "$rdown_port" -e "SHOW SLAVE STATUS\G" | awk '/Relay_Master_Log_File/{f=$2} /Exec_Master_Log_Pos/{p=$2} END{print f, p}'; }

echo "ferry (worker-count $workers) applying the backlog..."
"$ferry" --log-level=warn run "/tmp/$tag/task.yaml" > "/tmp/$tag/ferry.log" 2>&1 &
ferry_pid=$!
t_ferry=$(wait_for ferry_at)
rss_kib=$(awk '/VmHWM/{print $2}' "/proc/$ferry_pid/status")

echo "MariaDB replica (slave_parallel_threads=4, optimistic) applying the same backlog..."
sql "$rdown_port" -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$up_port, MASTER_USER='ferry', MASTER_PASSWORD='ferry', MASTER_LOG_FILE='$start_file', MASTER_LOG_POS=$start_pos, MASTER_USE_GTID=no"
sql "$rdown_port" -e "START SLAVE"
t_replica=$(wait_for replica_at)

same=yes
for t in 1 2 3 4 5 6 7 8; do
  a=$(sql "$up_port" -N -e "CHECKSUM TABLE sbtest.sbtest$t" | awk '{print $2}')
  b=$(sql "$fdown_port" -N -e "CHECKSUM TABLE sbtest.sbtest$t" | awk '{print $2}')
  c=$(sql "$rdown_port" -N -e "CHECKSUM TABLE sbtest.sbtest$t" | awk '{print $2}')
  [ "$a" = "$b" ] && [ "$a" = "$c" ] || { same=no; echo "sbtest$t differs: upstream $a ferry $b replica $c"; }
done

echo "steady load: 5000 row changes/s for ${lag_seconds}s while ferry syncs; lag sampled downstream..."
sql "$up_port" -e "CREATE TABLE sbtest.beat (id INT AUTO_INCREMENT PRIMARY KEY, ts DATETIME(6) NOT NULL)"
python3 - "$lag_seconds" <<'PY' | sql "$up_port" &
import random, sys, time
random.seed(3)
end = time.time() + float(sys.argv[1]); n = 0
while time.time() < end:
    tick = time.time()
    for _ in range(125):  # 500 row changes per 100 ms
        t = random.randint(1, 8); i = random.randint(1, 10000); n += 1
        print(f"BEGIN;UPDATE sbtest.sbtest{t} SET k=k+1 WHERE id={i};UPDATE sbtest.sbtest{t} SET c='{n:0>110}' WHERE id={i};"
              f"DELETE FROM sbtest.sbtest{t} WHERE id={i};INSERT INTO sbtest.sbtest{t} VALUES ({i},1,'c','p');COMMIT;")
    print("INSERT INTO sbtest.beat (ts) VALUES (NOW(6));", flush=True)
    time.sleep(max(0.0, 0.1 - (time.time() - tick)))
PY
load_pid=$!
: > "/tmp/$tag/lag.txt"
while kill -0 "$load_pid" 2>/dev/null; do
  sql "$fdown_port" -N -e "SELECT TIMESTAMPDIFF(MICROSECOND, MAX(ts), NOW(6)) FROM sbtest.beat" 2>/dev/null >> "/tmp/$tag/lag.txt" || true
  sleep 0.2
done
lag=$(python3 - "/tmp/$tag/lag.txt" <<'PY'
import sys
v = sorted(int(x) for x in open(sys.argv[1]) if x.strip().lstrip('-').isdigit())
if not v: print("no samples"); raise SystemExit
p = lambda q: v[min(len(v) - 1, int(q * len(v)))] / 1e6
print(f"p50 {p(0.5):.3f} s, p99 {p(0.99):.3f} s, max {v[-1]/1e6:.3f} s over {len(v)} samples")
PY
)
kill -TERM "$ferry_pid"; wait "$ferry_pid" || true; ferry_pid=

python3 - "$rows" "$t_ferry" "$t_replica" "$rss_kib" "$workers" "$same" "$lag" <<'PY'
import sys
rows, tf, tr, rss, workers, same, lag = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
print(f"ferry   (worker-count {workers}): {tf:7.2f} s  {rows/tf:9,.0f} row changes/s  peak RSS {rss/1024:.0f} MiB")
print(f"replica (4 threads, optimistic): {tr:7.2f} s  {rows/tr:9,.0f} row changes/s")
print(f"ratio ferry/replica: {tr/tf:.2f}x   tables equal on all three servers: {same}")
print(f"lag at 5000 row changes/s: {lag}")
PY
