#!/usr/bin/env bash
# Full-migration speed, in one run on one data set and the same two servers: ferry's full task
# (mysql-dump -> tidb-load, dump and load streamed) against mydumper + myloader through a
# directory, and against the downstream's own ingest ceiling, LOAD DATA LOCAL INFILE.
#
#   bench/dump-load.sh [ROWS_PER_TABLE] [TABLES]     (defaults 750000 and 8, about 1.2 GB;
#                                                     needs mydumper and GNU time, ferry from ./build)
#
# Data: sysbench's schema, sbtestN(id PK, k + KEY k_1, c CHAR(120), pad CHAR(60)) with c and pad in
# sysbench's "###########-###########-..." digit patterns, built server-side from MariaDB's SEQUENCE
# engine. Servers as in shared/reference/perf-baselines.md: a 2G buffer pool, 512M redo log,
# flush_log_at_trx_commit=2, O_DIRECT; the upstream has its row binlog, the downstream none.
# Every load goes into an empty downstream (database dropped before it). ROUNDS rounds (default 3)
# each run all of these, ferry beside the peers (the peers first in odd rounds, second in even):
#   1. mydumper -t 4 -r ROWS/5 into a directory, then myloader -t 4;
#   2. ferry runs of a task-mode: full task, 4 dump threads, sink pool-size 4, the sink's default
#      load-method (bulk on MariaDB) (FERRY_VARIANTS="T:P[:B[:M]] ..." runs one per
#      dump-threads:pool-size[:buffer MiB[:load-method]]; the targets use the fastest);
#   3. LOAD DATA LOCAL INFILE of the same rows as tab-separated files, 2 clients, tables split over them
#      (the files are exported before and not timed); 3b: the same into tables without the
#      secondary index, then ADD INDEX (what defer-indexes does, with LOAD DATA).
# After each load: row counts and CHECKSUM TABLE of every table against the upstream.
# Output: a table of wall time, rows/s, MB/s of logical data (bytes of the tab-separated export,
# as perf-baselines counts it; data_length and the mydumper output size are printed beside), the
# tool's peak RSS (GNU time: the largest single process), load1 at the start of each measurement;
# each tool's best run with every run's time beside; then ferry's best time against the peers' best
# (and round by round) and LOAD DATA's, and its RSS, each beside its target.
# If ferry is not built or lacks the mysql-dump/tidb-load plugins its row says so and the peers
# still run. FERRY=path/to/ferry measures another binary; FERRY_TIMEOUT (default 3600 s) bounds its run.
# Exit status 1 on any row or checksum mismatch, or when ferry ran and failed.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-750000}
tables=${2:-8}
[[ $rows =~ ^[1-9][0-9]*$ && $tables =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [ROWS_PER_TABLE] [TABLES]" >&2; exit 2; }
chunk_rows=$(( rows / 5 > 0 ? rows / 5 : 1 ))
ferry=${FERRY:-build/bin/ferry}
for tool in mydumper myloader mariadb /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool (scripts/install-deps.sh)" >&2; exit 2; }
done

tag=bench-load-$$
up=$tag-up; down=$tag-down
work=$(mktemp -d "${TMPDIR:-/tmp}/$tag.XXXXXX")
cleanup() {
  for s in "$up" "$down"; do bash scripts/mariadb-server.sh stop "$s" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
common=(--set innodb_buffer_pool_size=2G --set innodb_log_file_size=512M --set innodb_flush_log_at_trx_commit=2
        --set innodb_flush_method=O_DIRECT --set performance_schema=OFF)
echo "starting two MariaDB servers (2G buffer pool each)..."
bash scripts/mariadb-server.sh start "$up" "${common[@]}" --set sync_binlog=0 >/dev/null
bash scripts/mariadb-server.sh start "$down" "${common[@]}" --set skip-log-bin >/dev/null
var() { local v="FERRY_$(echo "$1" | tr 'a-z-' 'A-Z_')_$2"; eval "$(bash scripts/mariadb-server.sh env "$1")"; echo "${!v}"; }
up_port=$(var "$up" PORT); down_port=$(var "$down" PORT)
sql() { local port=$1; shift; mariadb -h127.0.0.1 -P"$port" -uferry -pferry "$@"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
ddl() { echo "CREATE TABLE sbtest.sbtest$1 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL DEFAULT 0, c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', KEY k_1(k)) ENGINE=InnoDB;"; }
# Tables of client $1 of 2, so that two clients share the tables round-robin.
tables_of() { local t; for ((t = $1 + 1; t <= tables; t += 2)); do echo "$t"; done; }

# ---- data ----------------------------------------------------------------------------------------
echo "generating $tables x $rows rows upstream (2 clients, not binlogged)..."
sql "$up_port" -e "CREATE DATABASE sbtest"
digits() { echo "LPAD(FLOOR(RAND($1) * 99999999999), 11, '0')"; }  # one sysbench '###########' group
gen_sql() {  # table: the INSERT ... SELECT that fills it; each RAND has its own seed, so reruns match
  local t=$1 j c=() p=()
  for ((j = 1; j <= 10; j++)); do c+=("$(digits $((t * 100 + j)))"); done
  for ((j = 11; j <= 15; j++)); do p+=("$(digits $((t * 100 + j)))"); done
  local IFS=,
  echo "INSERT INTO sbtest.sbtest$t (id, k, c, pad) SELECT seq, 1 + FLOOR(RAND($((t * 100))) * $rows),"
  echo "  CONCAT_WS('-', ${c[*]}), CONCAT_WS('-', ${p[*]}) FROM seq_1_to_$rows;"
}
gen_start=$(date +%s.%N)
pids=()
for client in 0 1; do
  { echo "SET SESSION sql_log_bin = 0;"
    for t in $(tables_of $client); do ddl "$t"; gen_sql "$t"; done
  } | sql "$up_port" sbtest &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { echo "data generation failed" >&2; exit 1; }; done
gen_end=$(date +%s.%N)
sql "$up_port" -N -e "$(for ((t = 1; t <= tables; t++)); do echo "ANALYZE TABLE sbtest.sbtest$t;"; done)" >/dev/null

declare -A up_count up_sum
for ((t = 1; t <= tables; t++)); do
  up_count[$t]=$(sql "$up_port" -N -e "SELECT COUNT(*) FROM sbtest.sbtest$t")
  up_sum[$t]=$(sql "$up_port" -N -e "CHECKSUM TABLE sbtest.sbtest$t" | awk '{print $2}')
done
total_rows=$(( rows * tables ))
data_length=$(sql "$up_port" -N -e "SELECT SUM(data_length) FROM information_schema.tables WHERE table_schema='sbtest'")

# The tab-separated files for LOAD DATA; their size is the logical data size, as in perf-baselines.
mkdir -p "$work/tsv"
for ((t = 1; t <= tables; t++)); do
  sql "$up_port" -e "SELECT * FROM sbtest.sbtest$t INTO OUTFILE '$work/tsv/sbtest$t.tsv'"
done
logical_bytes=$(cat "$work"/tsv/*.tsv | wc -c)
echo "data: $total_rows rows in $(python3 -c "print(f'{$gen_end-$gen_start:.1f}')") s; tab-separated export $((logical_bytes / 1000000)) MB, upstream data_length $((data_length / 1000000)) MB"

# ---- measurements --------------------------------------------------------------------------------
: > "$work/results.tsv"
# CPU seconds (user + system) a server has used so far, from its mariadbd's /proc/PID/stat.
server_pid() { cat "${FERRY_SERVERS_DIR:-/tmp/ferry-servers}/$1/mariadbd.pid"; }
up_pid=$(server_pid "$up"); down_pid=$(server_pid "$down")
cpu_secs() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
# Appends "label secs rss_kib load1 check tool_cpu up_cpu down_cpu" to results.tsv (CPU in
# seconds during the measurement: the tool's own, the upstream's, the downstream's); the check is
# filled in by verify. The CPU split shows what bounds a run on this 2-core machine.
measure() {  # label log command...: runs it under GNU time; returns the command's exit status
  local label=$1 log=$2 l rc=0 up0 down0; shift 2
  l=$(load1)
  up0=$(cpu_secs "$up_pid"); down0=$(cpu_secs "$down_pid")
  /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" "$@" > "$log" 2>&1 || rc=$?
  read -r secs rss user sys < <(tail -1 "$work/time.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$secs" "$rss" "$l" "-" \
    "$(python3 -c "print(f'{$user + $sys:.2f}')")" \
    "$(python3 -c "print(f'{$(cpu_secs "$up_pid") - $up0:.2f}')")" \
    "$(python3 -c "print(f'{$(cpu_secs "$down_pid") - $down0:.2f}')")" >> "$work/results.tsv"
  return $rc
}
# Compares every table downstream with the upstream; sets the check of the last result row.
verify() {
  local t n s bad=()
  for ((t = 1; t <= tables; t++)); do
    n=$(sql "$down_port" -N -e "SELECT COUNT(*) FROM sbtest.sbtest$t" 2>/dev/null || echo missing)
    s=$(sql "$down_port" -N -e "CHECKSUM TABLE sbtest.sbtest$t" 2>/dev/null | awk '{print $2}')
    [ "$n" = "${up_count[$t]}" ] || bad+=("sbtest$t rows $n/${up_count[$t]}")
    [ "$s" = "${up_sum[$t]}" ] || bad+=("sbtest$t checksum ${s:-none}/${up_sum[$t]}")
  done
  local check="rows+checksum ok"
  [ ${#bad[@]} -eq 0 ] || { check="MISMATCH: ${bad[*]}"; echo "  $check" >&2; }
  python3 - "$work/results.tsv" "$check" <<'PY'
import sys
path, check = sys.argv[1], sys.argv[2]
lines = open(path).read().splitlines()
f = lines[-1].split("\t"); f[4] = check; lines[-1] = "\t".join(f)
open(path, "w").write("\n".join(lines) + "\n")
PY
}
empty_downstream() { sql "$down_port" -e "DROP DATABASE IF EXISTS sbtest"; }

# Script lines: the 2 clients in parallel, each running STATEMENT (every @ in it is the table
# number) for its share of the tables with the mariadb FLAGS given, then waiting for both.
per_client() {
  local statement=$1 flags=$2 client t stmts
  for client in 0 1; do
    stmts=""
    for t in $(tables_of $client); do stmts+="${statement//@/$t} "; done
    [ -z "$stmts" ] || echo "mariadb -h127.0.0.1 -P$down_port -uferry -pferry $flags sbtest -e \"$stmts\" & pids+=(\$!)"
  done
  echo 'for p in "${pids[@]}"; do wait "$p" || rc=1; done; pids=()'
}
load_rows="LOAD DATA LOCAL INFILE '$work/tsv/sbtest@.tsv' INTO TABLE sbtest@;"

run_peers() {  # round
  echo "   mydumper -t 4 -r $chunk_rows, then myloader -t 4"
  rm -rf "$work/dump"
  measure "mydumper@$1" "$work/mydumper.log" \
    mydumper -h 127.0.0.1 -P "$up_port" -u ferry -p ferry -B sbtest -t 4 -r "$chunk_rows" -o "$work/dump" ||
    { cat "$work/mydumper.log" >&2; exit 1; }
  dump_bytes=$(find "$work/dump" -name 'sbtest.sbtest*.sql' ! -name '*-schema.sql' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  empty_downstream
  measure "myloader@$1" "$work/myloader.log" \
    myloader -h 127.0.0.1 -P "$down_port" -u ferry -p ferry -d "$work/dump" -t 4 ||
    { cat "$work/myloader.log" >&2; exit 1; }
  verify
  rm -rf "$work/dump"
}

run_load_data() {  # round
  echo "   LOAD DATA LOCAL INFILE, 2 clients"
  empty_downstream
  sql "$down_port" -e "CREATE DATABASE sbtest; $(for ((t = 1; t <= tables; t++)); do ddl "$t"; done)"
  { echo 'rc=0 pids=()'; per_client "$load_rows" --local-infile=1; echo 'exit $rc'; } > "$work/load-data.sh"
  measure "load-data@$1" "$work/load-data.log" bash "$work/load-data.sh" || { cat "$work/load-data.log" >&2; exit 1; }
  verify
  # LOAD DATA with ferry's defer-indexes: the downstream's own ingest without the index maintenance.
  echo "   LOAD DATA LOCAL INFILE, 2 clients, into tables without the secondary index, then ADD INDEX"
  empty_downstream
  sql "$down_port" -e "CREATE DATABASE sbtest; $(for ((t = 1; t <= tables; t++)); do ddl "$t" | sed 's/, KEY k_1(k)//'; done)"
  { echo 'rc=0 pids=()'
    per_client "$load_rows" --local-infile=1
    per_client "ALTER TABLE sbtest@ ADD KEY k_1(k);" ""
    echo 'exit $rc'
  } > "$work/load-data-deferred.sh"
  measure "load-data-deferred@$1" "$work/load-data-deferred.log" bash "$work/load-data-deferred.sh" ||
    { cat "$work/load-data-deferred.log" >&2; exit 1; }
  verify
}

ferry_note=""
if [ ! -x "$ferry" ]; then
  ferry_note="not available (not built: scripts/build.sh)"
elif ! plugins=$("$ferry" plugins list 2>/dev/null | awk 'NR > 1 {print $1}') ||
     ! grep -qx mysql-dump <<<"$plugins" || ! grep -qx tidb-load <<<"$plugins"; then
  ferry_note="not available (plugin missing)"
fi
run_ferry() {  # round
  [ -z "$ferry_note" ] || return 0
  # FERRY_VARIANTS="threads:pool-size[:buffer-size[:load-method]] ...": each is a run of its own
  # into an empty downstream (buffer-size in MiB; empty fields take the sink's defaults).
  local variant threads pool buffer method label rc
  for variant in ${FERRY_VARIANTS:-4:4}; do
    IFS=: read -r threads pool buffer method <<<"$variant"
    label="ferry-t${threads}-p${pool}${buffer:+-b$buffer}${method:+-m$method}"
    echo "   ferry (task-mode: full, mysql-dump -> tidb-load), threads $threads, pool-size $pool${buffer:+, buffer-size ${buffer} MiB}${method:+, load-method $method}"
    empty_downstream
    rm -rf "$work/ferry-data"
    cat > "$work/task.yaml" <<YAML
name: bench-load
task-mode: full
data-dir: $work/ferry-data
full:
  source:
    plugin: mysql-dump
    host: 127.0.0.1
    port: $up_port
    user: ferry
    password: ferry
    databases: [sbtest]
    threads: $threads
    rows: $chunk_rows
  sink:
    plugin: tidb-load
    host: 127.0.0.1
    port: $down_port
    user: ferry
    password: ferry
    pool-size: $pool
${buffer:+    buffer-size: ${buffer}MiB}
${method:+    load-method: $method}
YAML
    if measure "$label@$1" "$work/ferry.log" timeout "${FERRY_TIMEOUT:-3600}" "$ferry" --log-level=warn run --remove-meta "$work/task.yaml"; then
      verify
    else
      rc=$?
      ferry_note="failed (exit $rc; the last lines of its log are above)"
      sed -i '$d' "$work/results.tsv"
      echo "  ferry failed (exit $rc); last lines of its log:" >&2
      tail -n 20 "$work/ferry.log" | sed 's/^/    /' >&2
    fi
  done
}

# The machine's speed wanders by half within minutes (the same load's CPU seconds vary so), so
# one run of each says little: every round runs all of them, ferry next to the peers, which go
# first in odd rounds and second in even ones; each tool keeps its best run, and each round's
# own ferry/peers ratio is printed beside.
dump_bytes=0
for ((round = 1; round <= ${ROUNDS:-3}; round++)); do
  echo "round $round of ${ROUNDS:-3}:"
  if ((round % 2)); then run_peers "$round"; run_ferry "$round"; else run_ferry "$round"; run_peers "$round"; fi
  run_load_data "$round"
done

# ---- report --------------------------------------------------------------------------------------
python3 - "$work/results.tsv" "$total_rows" "$logical_bytes" "$data_length" "$dump_bytes" "$chunk_rows" "$ferry_note" "$rows" "$tables" <<'PY'
import sys
path, total, logical, data_length, dump_bytes, chunk, ferry_note = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
runs = {}  # name -> [(secs, rss MiB, load1, check, cpu split, round)]
for line in open(path):
    label, secs, rss, load1, check, tool_cpu, up_cpu, down_cpu = line.rstrip("\n").split("\t")
    name, rnd = label.rsplit("@", 1)
    runs.setdefault(name, []).append((float(secs), int(rss) / 1024, load1, check, (float(tool_cpu), float(up_cpu), float(down_cpu)), int(rnd)))
# The peers' run of a round: mydumper's plus myloader's.
by_round = {}
for name in ("mydumper", "myloader"):
    for run in runs.get(name, []):
        by_round.setdefault(run[5], []).append(run)
runs["peers"] = [(d[0] + l[0], max(d[1], l[1]), "", l[3], tuple(a + b for a, b in zip(d[4], l[4])), rnd)
                 for rnd, (d, l) in sorted(by_round.items())]
names = {"mydumper": f"mydumper -t 4 -r {chunk} (dump)", "myloader": "myloader -t 4 (load)",
         "peers": "mydumper + myloader", "load-data": "LOAD DATA LOCAL INFILE, 2 clients",
         "load-data-deferred": "LOAD DATA, index added after"}
variants = [k for k in runs if k.startswith("ferry-")]
for k in variants:
    t, p, *rest = k.split("-", 3)[1:]
    extra = rest[0] if rest else ""
    buffer = extra.split("-m")[0][1:] if extra.startswith("b") else ""
    method = extra.split("m", 1)[1] if "m" in extra else ""
    names[k] = f"ferry full, threads {t[1:]} pool-size {p[1:]}" + (f" buffer {buffer}M" if buffer else "") + (f" {method}" if method else "")
ok = lambda run: run[3] == "rows+checksum ok"
r = {name: min(rs, key=lambda run: run[0]) for name, rs in runs.items() if rs}
good = [k for k in variants if any(ok(run) for run in runs[k])]
for k in good:
    r[k] = min((run for run in runs[k] if ok(run)), key=lambda run: run[0])
if good:
    best = min(good, key=lambda k: r[k][0])
    r["ferry"] = r[best]
    runs["ferry"] = [run for k in good for run in runs[k] if ok(run)]
    names["ferry"] = "ferry, best of the above"
print()
print(f"data: {sys.argv[9]} tables x {int(sys.argv[8]):,} rows = {total:,} rows; MB/s counts {logical/1e6:,.1f} MB of logical data "
      f"(bytes of the tab-separated export); upstream data_length {data_length/1e6:,.1f} MB, mydumper output {dump_bytes/1e6:,.1f} MB")
print(f"{'tool (its best run)':38} {'wall s':>8} {'rows/s':>11} {'MB/s':>7} {'peak RSS':>10} {'load1':>6} {'CPU s tool/up/down = cores':>27}  {'check':16}  every run's wall s")
for key in ["mydumper", "myloader", "peers", "load-data", "load-data-deferred"] + variants + (["ferry"] if len(good) > 1 else []):
    if key not in r:
        continue
    secs, rss, load1, check, cpu, _ = r[key]
    rate = total / secs if secs > 0 else float("inf")
    mbs = logical / 1e6 / secs if secs > 0 else float("inf")
    cores = sum(cpu) / secs if secs > 0 else 0
    split = f"{cpu[0]:.1f}/{cpu[1]:.1f}/{cpu[2]:.1f} = {cores:.2f}"
    every = " ".join(f"{run[0]:.2f}" for run in runs[key])
    print(f"{names[key]:38} {secs:8.2f} {rate:11,.0f} {mbs:7.1f} {rss:6.0f} MiB {load1:>6} {split:>27}  {check:16}  {every}")
if not variants: print(f"{'ferry:':38} {ferry_note}")
print()
def target(label, value, limit, unit, digits=2):
    met = "met" if value <= limit else "MISSED"
    print(f"{label:42} {value:8.{digits}f}{unit:<4}  target <= {limit}{unit}  {met}")
if "ferry" in r:
    f = r["ferry"]
    if "peers" in r:
        target("ferry time / (mydumper + myloader) time", f[0] / r["peers"][0], 0.6, "x")
        # Each round's own pair: the fastest ferry run of the round against that round's peers.
        pairs = []
        for peers in runs["peers"]:
            mine = [run[0] for run in runs["ferry"] if run[5] == peers[5]]
            if mine: pairs.append(min(mine) / peers[0])
        if pairs:
            print(f"{'  the same, round by round':42} " + " ".join(f"{x:.2f}x" for x in pairs) +
                  f"   (median {sorted(pairs)[len(pairs) // 2]:.2f}x)")
    if "load-data" in r: target("ferry time / LOAD DATA time", f[0] / r["load-data"][0], 1.5, "x")
    if "load-data-deferred" in r and "peers" in r:
        floor = r["load-data-deferred"][0]
        print(f"{'(LOAD DATA, index after) / peers':42} {floor / r['peers'][0]:8.2f}x    the downstream's own ingest with LOAD DATA")
    # What the 2 cores allow at best: the downstream's CPU for the rows plus the upstream's and
    # ferry's, spread perfectly over both cores.
    print(f"{'ferry CPU s (tool+up+down) / 2 cores':42} {sum(f[4]) / 2:8.2f} s   the run's own floor on this machine (wall {f[0]:.2f} s)")
    target("ferry peak RSS", f[1], 512, " MiB", 0)
else:
    print(f"ferry / (mydumper + myloader) time, ferry / LOAD DATA time, ferry peak RSS: no figures, ferry {ferry_note}")
    print("targets: ferry time <= 0.6x mydumper+myloader, <= 1.5x LOAD DATA, peak RSS <= 512 MiB")
PY
# Failure shows in the exit status too: a mismatch anywhere, or a ferry that ran and failed.
if grep -q MISMATCH "$work/results.tsv" || [[ $ferry_note == failed* ]]; then exit 1; fi
