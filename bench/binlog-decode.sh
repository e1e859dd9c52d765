#!/usr/bin/env bash
# Binlog decode speed, in one run on one backlog: `ferry binlog decode` (ferry's decoder, JSON
# out) against `mariadb-binlog --base64-output=decode-rows -vv` (MariaDB's decoder, text out), and
# the raw transfer rate of `mariadb-binlog --read-from-remote-server --raw` as the wire's ceiling,
# and ferry's live stream (its mysql-binlog source as a replica, into the discard sink), directly
# and through the relay log (enable-relay: copied to disk, read back).
#
#   bench/binlog-decode.sh [ROW_CHANGES]     (default 500000; needs a build in ./build;
#                                             BINLOG_COPY_TO=DIR keeps a copy of the backlog)
#
# The backlog is sysbench-like: 8 tables (id, k, c CHAR(120), pad CHAR(60)); transactions of 10
# row changes: inserts, then updates of k, then deletes of a tenth. Output: rows/s for each
# tool, the ratio, and each tool's peak RSS. Offline decodes: best of five, taking turns;
# the raw transfer and the live streams: best of three, taking turns.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-500000}
ferry=build/bin/ferry
[ -x "$ferry" ] || { echo "build first: scripts/build.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

name=bench-decode-$$
bash scripts/mariadb-server.sh start "$name" --set max_binlog_size=256M >/dev/null
trap 'bash scripts/mariadb-server.sh stop "$name" >/dev/null' EXIT
eval "$(bash scripts/mariadb-server.sh env "$name")"
var() { local v="FERRY_$(echo "$name" | tr 'a-z-' 'A-Z_')_$1"; echo "${!v}"; }
sock=$(var SOCKET)
datadir=$(var DATADIR)
port=$(var PORT)
sql() { mariadb -S "$sock" -uroot "$@"; }

echo "generating $rows row changes over 8 tables..."
sql -e "CREATE DATABASE sbtest"
for t in 1 2 3 4 5 6 7 8; do
  sql sbtest -e "CREATE TABLE sbtest$t (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY (k))"
done
inserts=$((rows * 7 / 10)); updates=$((rows * 2 / 10)); deletes=$((rows - inserts - updates))
python3 - "$inserts" "$updates" "$deletes" > /tmp/$name.sql <<'PY'
import sys
ins, upd, dele = map(int, sys.argv[1:])
per_table = (ins + 7) // 8
out = sys.stdout
def txn(stmts):
    out.write("BEGIN;\n" + "".join(stmts) + "COMMIT;\n")
batch = []
n = 0
for i in range(1, per_table + 1):
    for t in range(1, 9):
        if n >= ins: break
        c = (('%011d-' % i) * 10)[:120]
        pad = (('%011d-' % i) * 5)[:60]
        batch.append(f"INSERT INTO sbtest{t} VALUES ({i},{(i*7919)%100000},'{c}','{pad}');\n")
        n += 1
        if len(batch) == 10: txn(batch); batch = []
for j in range(upd):
    t = j % 8 + 1; i = j // 8 + 1
    batch.append(f"UPDATE sbtest{t} SET k=k+1 WHERE id={i};\n")
    if len(batch) == 10: txn(batch); batch = []
for j in range(dele):
    t = j % 8 + 1; i = per_table - j // 8
    batch.append(f"DELETE FROM sbtest{t} WHERE id={i};\n")
    if len(batch) == 10: txn(batch); batch = []
if batch: txn(batch)
PY
sql sbtest < /tmp/$name.sql
rm -f /tmp/$name.sql
# Where the last transaction ends: the live stream below is done once its checkpoint is there (or
# at the start of the next file, which is where a source stands after the rotation).
read -r end_file end_pos <<<"$(sql -N -e "SHOW MASTER STATUS" | awk '{print $1, $2}')"
sql -e "FLUSH BINARY LOGS"
read -r next_file _ <<<"$(sql -N -e "SHOW MASTER STATUS" | awk '{print $1, $2}')"
files=$(ls "$datadir"/binlog.[0-9]* | sort)
bytes=$(cat $files | wc -c)
echo "backlog: $(echo $files | wc -w) files, $((bytes / 1048576)) MiB"
# BINLOG_COPY_TO=DIR keeps a copy of the backlog, for profiling the decoder on the same files.
if [ -n "${BINLOG_COPY_TO:-}" ]; then mkdir -p "$BINLOG_COPY_TO" && cp $files "$BINLOG_COPY_TO"/; fi

once() {  # command...: "seconds peak-RSS-KiB" of one run (wall time in ns: GNU time's %e has
  # 10 ms steps, 5% of ferry's stats run)
  local stats start end
  stats=$(mktemp)
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$stats" "$@" > /dev/null 2>&1 || { echo "$* failed" >&2; rm -f "$stats"; return 1; }
  end=$(date +%s%N)
  echo "$(python3 -c "print(f'{($end - $start) / 1e9:.3f}')") $(tail -1 "$stats")"
  rm -f "$stats"
}
faster() { python3 -c "import sys; sys.exit(0 if float('${1%% *}') < float('${2%% *}') else 1)"; }
# After the workload the server keeps a core busy for a while (InnoDB purge and page flushing)
# and the kernel still writes the new files back: write them back now, then wait until the
# whole machine is quiet, at most a minute, so that no tool is timed beside that work and another
# not.
sync
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
for _ in $(seq 60); do
  before=$(machine_busy); sleep 1; after=$(machine_busy)
  [ $((after - before)) -gt $(( $(getconf CLK_TCK) / 20 )) ] || break  # under 5% of a core
done
echo "machine quiet: $((after - before)) ticks of CPU in the last second"
ferry_rows=$("$ferry" binlog decode $files | grep -o '"before":\|"after":{' | grep -c . || true)
echo "row images decoded by ferry: $ferry_rows"

# The offline decoders take turns, five rounds, so that each meets the machine's slow and fast
# moments alike; each keeps its best run.
declare -A offline=([ferry]="$ferry binlog decode $files" [ferry-stats]="$ferry binlog stats $files"
                    [mariadb-binlog]="mariadb-binlog --base64-output=decode-rows -vv $files")
declare -A best=()
for _ in 1 2 3 4 5; do
  for tool in ferry ferry-stats mariadb-binlog; do
    run=$(once ${offline[$tool]}) || exit 1  # the command's words: paths here hold no spaces
    if [ -z "${best[$tool]:-}" ] || faster "$run" "${best[$tool]}"; then best[$tool]=$run; fi
  done
done
read -r f_s f_rss <<<"${best[ferry]}"
read -r d_s d_rss <<<"${best[ferry-stats]}"
read -r m_s m_rss <<<"${best[mariadb-binlog]}"
rawdir=$(mktemp -d)
first=$(basename "$(echo $files | cut -d' ' -f1)")

# Live: ferry's mysql-binlog source as a replica (COM_BINLOG_DUMP, checksums verified, every row
# decoded into events) into the discard sink, from the first file until its checkpoint reaches
# the upstream's end; timed by polling the checkpoint the host keeps for sinks without their own
# (written every 20 ms: the end shows at most that late).
# `live_stream NAME [SOURCE KEYS]` prints seconds and peak RSS (KiB).
live_stream() {
  local name=$1 extra=${2:-}
  cat > "$rawdir/$name.yaml" <<YAML
name: $name
data-dir: $rawdir/data
task-mode: incremental
incremental:
  source: {plugin: mysql-binlog, port: $port, user: ferry, password: ferry, binlog-name: $first, binlog-pos: 4, checkpoint-interval: 20ms$extra}
  sink: {plugin: discard}
YAML
  local start pid
  start=$(date +%s.%N)
  "$ferry" --log-level=warn run "$rawdir/$name.yaml" > "$rawdir/$name.log" 2>&1 &
  pid=$!
  # The host's checkpoint file is compact JSON with sorted keys.
  until grep -qsE "\"binlog-file\":\"($end_file\",\"binlog-pos\":$end_pos|$next_file\",\"binlog-pos\":4)," "$rawdir"/data/$name/*.json; do
    kill -0 "$pid" 2>/dev/null || { cat "$rawdir/$name.log" >&2; exit 1; }
    sleep 0.02
  done
  local secs rss
  secs=$(python3 -c "import time; print(f'{time.time() - $start:.3f}')")
  rss=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  echo "$secs $rss"
}
# Three rounds, each: the raw transfer, the live stream, the same through the relay log (the
# writer copies the files to disk, the source reads them back); each keeps its best.
raw=""; live=""; relayed=""
for round in 1 2 3; do
  run=$(once bash -c "cd $rawdir && mariadb-binlog --read-from-remote-server --raw --host=127.0.0.1 --port=$port --user=ferry --password=ferry --to-last-log $first") || exit 1
  if [ -z "$raw" ] || faster "$run" "$raw"; then raw=$run; fi
  run=$(live_stream "stream$round")
  if [ -z "$live" ] || faster "$run" "$live"; then live=$run; fi
  run=$(live_stream "relayed$round" ", enable-relay: true, relay-dir: $rawdir/relay$round")
  if [ -z "$relayed" ] || faster "$run" "$relayed"; then relayed=$run; fi
done
read -r r_s r_rss <<<"$raw"
read -r l_s l_rss <<<"$live"
read -r y_s y_rss <<<"$relayed"
relay_bytes=$(cat "$rawdir"/relay3/binlog.[0-9]* | wc -c)
[ "$relay_bytes" -ge "$bytes" ] || { echo "the relay holds $relay_bytes bytes of $bytes" >&2; exit 1; }
rm -rf "$rawdir"

python3 - "$rows" "$f_s" "$f_rss" "$m_s" "$m_rss" "$r_s" "$r_rss" "$bytes" "$d_s" "$d_rss" "$l_s" "$l_rss" "$y_s" "$y_rss" <<'PY'
import sys
rows = int(sys.argv[1]); f_s, f_rss, m_s, m_rss, r_s, r_rss = map(float, sys.argv[2:8]); b = int(sys.argv[8])
d_s, d_rss, l_s, l_rss, y_s, y_rss = map(float, sys.argv[9:15])
def rate(s): return rows / s if s > 0 else float('inf')
print(f"ferry binlog decode      : {f_s:6.3f} s  {rate(f_s):>12,.0f} row changes/s  {b/1048576/f_s if f_s else 0:7.1f} MiB/s  peak RSS {f_rss/1024:.1f} MiB")
print(f"ferry binlog stats       : {d_s:6.3f} s  {rate(d_s):>12,.0f} row changes/s  (decode only, no output)  peak RSS {d_rss/1024:.1f} MiB")
print(f"mariadb-binlog -vv       : {m_s:6.3f} s  {rate(m_s):>12,.0f} row changes/s  peak RSS {m_rss/1024:.1f} MiB")
print(f"mariadb-binlog --raw     : {r_s:6.3f} s  {b/1048576/r_s if r_s else 0:7.1f} MiB/s transfer  peak RSS {r_rss/1024:.1f} MiB")
print(f"ferry live stream        : {l_s:6.3f} s  {rate(l_s):>12,.0f} row changes/s  {b/1048576/l_s if l_s else 0:7.1f} MiB/s  (replica protocol -> discard)  peak RSS {l_rss/1024:.1f} MiB")
print(f"ferry live, relay log    : {y_s:6.3f} s  {rate(y_s):>12,.0f} row changes/s  {b/1048576/y_s if y_s else 0:7.1f} MiB/s  (copied to disk, read back -> discard)  peak RSS {y_rss/1024:.1f} MiB")
print(f"ratio raw transfer time / ferry live stream time: {r_s/l_s if l_s else float('inf'):.2f}x  (1.0 = as fast as the wire alone)")
print(f"ratio raw transfer time / ferry live stream through the relay: {r_s/y_s if y_s else float('inf'):.2f}x")
print(f"ratio mariadb-binlog time / ferry decode (JSON out) time: {m_s/f_s if f_s else float('inf'):.1f}x")
print(f"ratio mariadb-binlog time / ferry stats (decode only) time: {m_s/d_s if d_s else float('inf'):.1f}x")
PY
