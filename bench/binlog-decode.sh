#!/usr/bin/env bash
# Binlog decode speed, in one run on one backlog: `ferry binlog decode` (ferry's decoder, JSON
# out) against `mariadb-binlog --base64-output=decode-rows -vv` (MariaDB's decoder, text out), and
# the raw transfer rate of `mariadb-binlog --read-from-remote-server --raw` as the wire's ceiling.
#
#   bench/binlog-decode.sh [ROW_CHANGES]     (default 500000; needs a build in ./build)
#
# The backlog is sysbench-like: 8 tables (id, k, c CHAR(120), pad CHAR(60)); transactions of 10
# row changes: inserts, then updates of k, then deletes of a tenth. Output: rows/s for each
# tool, the ratio, and each tool's peak RSS.
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
sql -e "FLUSH BINARY LOGS"
files=$(ls "$datadir"/binlog.[0-9]* | sort)
bytes=$(cat $files | wc -c)
echo "backlog: $(echo $files | wc -w) files, $((bytes / 1048576)) MiB"

measure() {  # label, command...: prints seconds and peak RSS (KiB)
  local label=$1; shift
  local stats
  stats=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$stats" "$@" > /dev/null 2>&1 || { echo "$label failed" >&2; exit 1; }
  echo "$label $(tail -1 "$stats")"
  rm -f "$stats"
}
ferry_rows=$("$ferry" binlog decode $files | grep -o '"before":\|"after":{' | grep -c . || true)
echo "row images decoded by ferry: $ferry_rows"

read -r _ f_s f_rss <<<"$(measure ferry "$ferry" binlog decode $files)"
read -r _ d_s d_rss <<<"$(measure ferry-stats "$ferry" binlog stats $files)"
read -r _ m_s m_rss <<<"$(measure mariadb-binlog mariadb-binlog --base64-output=decode-rows -vv $files)"
rawdir=$(mktemp -d)
first=$(basename "$(echo $files | cut -d' ' -f1)")
read -r _ r_s r_rss <<<"$(measure raw-transfer bash -c "cd $rawdir && mariadb-binlog --read-from-remote-server --raw --host=127.0.0.1 --port=$port --user=ferry --password=ferry --to-last-log $first")"
rm -rf "$rawdir"

python3 - "$rows" "$f_s" "$f_rss" "$m_s" "$m_rss" "$r_s" "$r_rss" "$bytes" "$d_s" "$d_rss" <<'PY'
import sys
rows = int(sys.argv[1]); f_s, f_rss, m_s, m_rss, r_s, r_rss = map(float, sys.argv[2:8]); b = int(sys.argv[8])
d_s, d_rss = map(float, sys.argv[9:11])
def rate(s): return rows / s if s > 0 else float('inf')
print(f"ferry binlog decode      : {f_s:6.2f} s  {rate(f_s):>12,.0f} row changes/s  {b/1048576/f_s if f_s else 0:7.1f} MiB/s  peak RSS {f_rss/1024:.1f} MiB")
print(f"ferry binlog stats       : {d_s:6.2f} s  {rate(d_s):>12,.0f} row changes/s  (decode only, no output)  peak RSS {d_rss/1024:.1f} MiB")
print(f"mariadb-binlog -vv       : {m_s:6.2f} s  {rate(m_s):>12,.0f} row changes/s  peak RSS {m_rss/1024:.1f} MiB")
print(f"mariadb-binlog --raw     : {r_s:6.2f} s  {b/1048576/r_s if r_s else 0:7.1f} MiB/s transfer  peak RSS {r_rss/1024:.1f} MiB")
print(f"ratio mariadb-binlog time / ferry decode (JSON out) time: {m_s/f_s if f_s else float('inf'):.1f}x")
print(f"ratio mariadb-binlog time / ferry stats (decode only) time: {m_s/d_s if d_s else float('inf'):.1f}x")
PY
