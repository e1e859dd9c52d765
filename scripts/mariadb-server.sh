#!/usr/bin/env bash
# Throwaway MariaDB servers for integration tests, benchmarks and the demo. Each server lives in
# its own directory under ${FERRY_SERVERS_DIR:-/tmp/ferry-servers}/NAME (my.cnf, data/, socket,
# pid, logs), listens on 127.0.0.1 only and never touches the system service or /etc/mysql.
#
#   mariadb-server.sh start NAME [--port P] [--set key[=value] ...]
#   mariadb-server.sh stop NAME [--keep]      shut down; remove the directory unless --keep
#   mariadb-server.sh status NAME             exit 0 running, 3 not running
#   mariadb-server.sh env NAME                FERRY_<NAME>_{HOST,PORT,USER,PASSWORD,SOCKET,DATADIR}=...
#   mariadb-server.sh stop-all [--keep]       stop every server in the servers directory
#
# Defaults are those of a migration source: row-based binlog with full images and metadata,
# CRC32 checksums, strict GTIDs, small memory. `--set` replaces a default or adds any mariadbd
# option (`--set binlog_row_image=MINIMAL`); `--set skip-X` also drops the default X
# (`--set skip-log-bin`). Users: root (socket, no password) and ferry/ferry with ALL PRIVILEGES
# WITH GRANT OPTION on 127.0.0.1 and localhost.
#
# Starting a stopped NAME whose directory was kept (`stop --keep`) restarts it on the same port
# with the same data; new --set options are added to the ones it had.
set -euo pipefail

# mariadbd lives in /usr/sbin, which is not on a normal user's (or ctest's) PATH.
PATH="$PATH:/usr/sbin:/sbin"

readonly kUser=ferry
readonly kPassword=ferry
readonly kHost=127.0.0.1
readonly kWaitSeconds=60
# Automatic ports come from below Linux's ephemeral range (32768+), where outgoing connections
# would otherwise grab them between our check and mariadbd's bind.
readonly kPortFirst=20000 kPortLast=32000

me=$(basename "$0")
die() { echo "$me: $*" >&2; exit 1; }
note() { echo "$me: $*"; }

# The comment block at the top of this file is the help text: on stdout for help, on stderr
# (exit 2) after a usage error.
help_text() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
usage() { help_text >&2; exit 2; }

base_dir() {
  local b=${FERRY_SERVERS_DIR:-/tmp/ferry-servers}
  realpath -m -- "$b"
}

check_name() {
  [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$ ]] ||
    die "bad server name '$1': use letters, digits, '-' and '_' (at most 63 characters)"
}

now_ms() { date +%s%3N; }

# Paths of server $name, set as globals by select_server.
select_server() {
  name=$1
  check_name "$name"
  base=$(base_dir)
  dir=$base/$name
  cnf=$dir/my.cnf
  datadir=$dir/data
  sock=$dir/mariadb.sock
  pidfile=$dir/mariadbd.pid
  errlog=$dir/error.log
  marker=$dir/.ferry-server
}

# Prints the pid of NAME's mariadbd and succeeds only if that process is alive and really is
# this server (its command line names our my.cnf), so a recycled pid is never mistaken for it.
running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(<"$pidfile") || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  pid_is_ours "$pid" || return 1
  echo "$pid"
}

pid_is_ours() {
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"--defaults-file=$cnf "* ]]
}

# `kill -0` (and `tail --pid`) succeed on a zombie. An exited mariadbd stays a zombie until its
# parent reaps it: this script during start-up, or pid 1 after it, and some init processes reap
# only every second or two. So read the process state instead.
alive() {
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != [ZX] ]]
}

need_tools() {
  local t
  for t in mariadbd mariadb-install-db mariadb-admin mariadb; do
    command -v "$t" >/dev/null ||
      die "'$t' not found; install mariadb-server and mariadb-client (scripts/install-deps.sh)"
  done
}

# ---- ports -------------------------------------------------------------------------------------

# Local TCP ports the kernel knows about, one per line: all of them, or with `listening` only
# those in LISTEN state (0A). Read from /proc, which needs no extra package (ss, netstat).
kernel_ports() {
  local f addr state
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    while read -r _ addr _ state _; do
      [[ $addr == *:* ]] || continue
      [ "${1:-}" != listening ] || [ "$state" = 0A ] || continue
      echo $((16#${addr##*:}))
    done <"$f"
  done
}

pick_free_port() {
  local used i p
  # Ports other servers of ours have claimed count as used: they may not be bound yet.
  used=" $({ kernel_ports; cat "$base"/*/port 2>/dev/null || true; } | sort -un | tr '\n' ' ') "
  for ((i = 0; i < 200; i++)); do
    p=$((kPortFirst + RANDOM % (kPortLast - kPortFirst + 1)))
    [[ $used == *" $p "* ]] || { echo "$p"; return 0; }
  done
  die "found no free port in $kPortFirst-$kPortLast after 200 tries"
}

# Under the base lock: moves a fresh server to another automatic port after losing a bind race.
claim_new_port() {
  port=$(pick_free_port)
  echo "$port" >"$dir/port"
  echo "$port" >"$dir/server_id"
}

port_listening() { kernel_ports listening | grep -qx "$1"; }

# Serializes the claim of a name and a port between concurrent starts (parallel ctest).
# The lock is on the servers directory itself, so no lock file is left lying around.
# A failure inside exits the script, which releases the lock too.
with_base_lock() {
  local fd
  exec {fd}<"$base"
  flock -w 30 "$fd" || die "timed out waiting for the lock on $base"
  "$@"
  flock -u "$fd"
  exec {fd}<&-
}

# ---- my.cnf ------------------------------------------------------------------------------------

# The defaults, in the order they are written. Keys use '_' so --set can match either spelling.
# server_id is the port the server first had, kept when it is restarted on another port, so
# that its GTIDs keep their server part.
default_options() {
  cat <<EOF
bind_address=$kHost
server_id=$(<"$dir/server_id")
log_bin=binlog
binlog_format=ROW
binlog_row_image=FULL
binlog_row_metadata=FULL
binlog_checksum=CRC32
gtid_domain_id=0
gtid_strict_mode=ON
log_slave_updates=ON
innodb_buffer_pool_size=128M
innodb_log_file_size=48M
performance_schema=OFF
skip_name_resolve
character_set_server=utf8mb4
max_allowed_packet=64M
EOF
}

# Sets $key to the option name of "name[=value]" in one spelling: mariadbd treats '-' and '_'
# alike. A variable rather than output, because a subshell per line is slow on a busy machine.
option_key() { key=${1%%=*}; key=${key//-/_}; key=${key,,}; }

# Writes my.cnf from the defaults plus $dir/settings (the --set options, later ones win).
write_cnf() {
  local -a keys=() lines=()
  local line k i found key
  while IFS= read -r line; do
    option_key "$line"
    keys+=("$key"); lines+=("$line")
  done < <(default_options)
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    option_key "$line"
    k=$key
    if [[ $k == skip_* ]]; then
      # `skip-log-bin` must also remove `log_bin=...`, or the file would say both.
      for i in "${!keys[@]}"; do [ "${keys[$i]}" != "${k#skip_}" ] || keys[i]="" lines[i]=""; done
    fi
    found=0
    for i in "${!keys[@]}"; do
      if [ "${keys[$i]}" = "$k" ]; then lines[i]=$line; found=1; fi
    done
    [ $found = 1 ] || { keys+=("$k"); lines+=("$line"); }
  done <"$dir/settings"

  {
    echo "# Written by $me for server '$name'; rewritten at every start. Change it with --set."
    echo "[mariadbd]"
    echo "datadir=$datadir"
    echo "socket=$sock"
    echo "pid_file=$pidfile"
    echo "log_error=$errlog"
    # A private tmpdir: servers started at the same time must never share temporary files
    # (concurrent bootstraps in /tmp were seen to fail on each other's temporary tables).
    echo "tmpdir=$dir/tmp"
    echo "port=$port"
    for line in "${lines[@]}"; do [ -z "$line" ] || echo "$line"; done
    echo
    echo "# So that 'mariadb --defaults-file=$cnf' logs in as the test user."
    echo "[client]"
    echo "socket=$sock"
    echo "user=$kUser"
    echo "password=$kPassword"
  } >"$cnf.tmp"
  mv "$cnf.tmp" "$cnf"
}

check_set_option() {
  local key
  option_key "$1"
  case $key in
    port) die "use --port P instead of --set port=..." ;;
    datadir|socket|pid_file|log_error|user)
      die "'$key' is managed by $me and cannot be set" ;;
    "") die "--set needs key or key=value" ;;
  esac
}

# ---- start -------------------------------------------------------------------------------------

# Under the base lock: decides whether this is a fresh server or a restart of a kept one, and
# claims the directory and port. Sets $fresh and $port.
claim() {
  local want_port=$1 pid
  if [ -d "$dir" ]; then
    [ -f "$marker" ] || die "$dir exists but was not made by $me; remove it or pick another name"
    if pid=$(running_pid); then
      die "server '$name' is already running (pid $pid, port $(<"$dir/port")); stop it first"
    fi
    if [ -f "$dir/starting" ] && alive "$(<"$dir/starting")"; then
      die "server '$name' is being started by pid $(<"$dir/starting")"
    fi
  fi
  # A kept server comes back on its own port unless told otherwise.
  if [ -f "$dir/initialized" ]; then
    fresh=0
    port=${want_port:-$(<"$dir/port")}
  else
    fresh=1
    port=${want_port:-$(pick_free_port)}
  fi
  ! port_listening "$port" || die "port $port is already in use"
  if [ "$fresh" = 1 ]; then
    # Nothing worth keeping: a new name, or an earlier start that failed before it was ready.
    rm -rf -- "$dir"
    mkdir -p -- "$dir"
    : >"$marker"
    : >"$dir/settings"
  fi
  echo "$port" >"$dir/port"
  [ "$fresh" = 0 ] || echo "$port" >"$dir/server_id"
  echo $$ >"$dir/starting"
}

initialize() {
  mkdir -p "$dir/tmp"
  local -a as_user=()
  [ "$(id -u)" != 0 ] || as_user=(--user=root)
  if ! mariadb-install-db --defaults-file="$cnf" --datadir="$datadir" \
      --auth-root-authentication-method=normal --skip-test-db "${as_user[@]}" \
      >"$dir/install.log" 2>&1; then
    # The bootstrap server writes its reasons to log_error; install.log only says it failed.
    echo "$me: mariadb-install-db failed for '$name' (full output in $dir/install.log);" \
         "last lines of $errlog:" >&2
    tail -n 20 "$errlog" >&2 2>/dev/null || tail -n 20 "$dir/install.log" >&2
    exit 1
  fi
}

# Launches mariadbd and waits until it answers. Returns 1 only when the port was taken by
# someone else between our check and the bind; every other failure exits.
launch_and_wait() {
  local -a as_user=()
  [ "$(id -u)" != 0 ] || as_user=(--user=root)
  local log_from=1
  [ -f "$errlog" ] && log_from=$(($(stat -c %s "$errlog") + 1))
  rm -f -- "$pidfile"
  # setsid: the server outlives this script and is not hit by Ctrl-C in the caller's terminal.
  # All three standard streams are redirected so that a caller reading our output (popen, $(...))
  # is not kept waiting for mariadbd to close them.
  setsid mariadbd --defaults-file="$cnf" "${as_user[@]}" </dev/null >>"$errlog" 2>&1 &
  local pid=$! deadline=$((SECONDS + kWaitSeconds))
  while :; do
    if mariadb-admin --no-defaults --socket="$sock" --user=root --connect-timeout=2 ping \
        >/dev/null 2>&1; then
      return 0
    fi
    if ! alive "$pid"; then
      if tail -c +"$log_from" "$errlog" | grep -q "Address already in use"; then
        return 1
      fi
      echo "$me: mariadbd for '$name' exited during start-up; last lines of $errlog:" >&2
      tail -c +"$log_from" "$errlog" | tail -n 30 >&2
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "$me: '$name' did not answer within ${kWaitSeconds}s; last lines of $errlog:" >&2
      tail -c +"$log_from" "$errlog" | tail -n 30 >&2
      kill -KILL "$pid" 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
  done
}

create_users() {
  # Not binlogged: a test reading the binlog from the start sees only what it did itself.
  # root@<hostname> and root@::1 from mariadb-install-db only produce skip-name-resolve warnings.
  mariadb --no-defaults --socket="$sock" --user=root --connect-timeout=5 <<EOF
SET SESSION sql_log_bin = 0;
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1');
DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '127.0.0.1', '');
FLUSH PRIVILEGES;
CREATE USER IF NOT EXISTS '$kUser'@'127.0.0.1' IDENTIFIED BY '$kPassword';
CREATE USER IF NOT EXISTS '$kUser'@'localhost' IDENTIFIED BY '$kPassword';
GRANT ALL PRIVILEGES ON *.* TO '$kUser'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$kUser'@'localhost' WITH GRANT OPTION;
EOF
}

# Logs in as the test user (over TCP with the password, or the socket) and checks the privileges
# a binlog reader needs. In 10.5+ REPLICATION CLIENT is an alias of BINLOG MONITOR, so the
# information schema lists only the latter.
verify_user() {
  local how=$1 out privs p
  shift
  out=$(mariadb --no-defaults "$@" --user="$kUser" --password="$kPassword" --connect-timeout=5 \
          --batch --skip-column-names -e "
    SELECT CONCAT(',', GROUP_CONCAT(PRIVILEGE_TYPE), ',', MIN(IS_GRANTABLE), ',')
      FROM information_schema.USER_PRIVILEGES
     WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',
                            SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''');
    SHOW MASTER STATUS;" 2>&1) ||
    die "user $kUser cannot log in over $how or run SHOW MASTER STATUS: $out"
  privs=${out%%$'\n'*}
  for p in "REPLICATION SLAVE" "BINLOG MONITOR" "SUPER" "YES"; do
    [[ $privs == *",$p,"* ]] || die "user $kUser over $how lacks '$p'; it has: $privs"
  done
}

verify_users() {
  verify_user tcp --host="$kHost" --port="$port"
  verify_user socket --socket="$sock"
}

on_start_exit() {
  local rc=$?
  rm -f -- "$dir/starting"
  [ $rc -ne 0 ] && [ -d "$dir" ] || return 0
  if [ "$fresh" = 1 ]; then
    echo "$me: start of '$name' failed; $dir is kept for inspection;" \
         "remove it with: $0 stop $name" >&2
  else
    echo "$me: restart of '$name' failed; its data in $dir is untouched" >&2
  fi
}

cmd_start() {
  local want_port="" sets=() arg
  [ $# -ge 1 ] || usage
  select_server "$1"; shift
  while [ $# -gt 0 ]; do
    case $1 in
      --port) [ $# -ge 2 ] || die "--port needs a value"; want_port=$2; shift 2 ;;
      --port=*) want_port=${1#--port=}; shift ;;
      --set) [ $# -ge 2 ] || die "--set needs key[=value]"; sets+=("$2"); shift 2 ;;
      --set=*) sets+=("${1#--set=}"); shift ;;
      *) die "start: unknown argument '$1'" ;;
    esac
  done
  [ -z "$want_port" ] || [[ $want_port =~ ^[0-9]+$ && $want_port -ge 1 && $want_port -le 65535 ]] ||
    die "bad port '$want_port'"
  for arg in "${sets[@]}"; do check_set_option "$arg"; done
  need_tools
  # The socket path must fit in sockaddr_un (107 bytes) or mariadbd refuses to start.
  [ ${#sock} -le 107 ] || die "socket path $sock is longer than 107 bytes; use a shorter FERRY_SERVERS_DIR or NAME"

  local t0
  t0=$(now_ms)
  mkdir -p -- "$base"
  with_base_lock claim "$want_port"
  trap on_start_exit EXIT
  printf '%s\n' "${sets[@]}" >>"$dir/settings"

  local attempt
  for attempt in 1 2 3 4 5; do
    write_cnf
    [ "$fresh" = 0 ] || [ -d "$datadir/mysql" ] || initialize
    if launch_and_wait; then break; fi
    # Lost a race for the port. Only an automatic port on a fresh server may move.
    if [ "$fresh" = 0 ] || [ -n "$want_port" ]; then
      die "port $port is already in use (mariadbd could not bind it)"
    fi
    [ $attempt -lt 5 ] || die "port taken 5 times in a row; giving up"
    with_base_lock claim_new_port
  done

  if [ "$fresh" = 1 ]; then
    create_users || die "could not create user $kUser on '$name' (see $errlog)"
  fi
  verify_users
  : >"$dir/initialized"
  note "started '$name' pid=$(running_pid) port=$port in $(( $(now_ms) - t0 )) ms" \
       "($([ "$fresh" = 1 ] && echo "new" || echo "restarted") data in $datadir)"
}

# ---- stop / status / env -----------------------------------------------------------------------

# Waits up to $2 seconds for pid $1 to exit.
wait_exit() {
  local deadline=$((SECONDS + $2))
  while alive "$1"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.05
  done
}

stop_one() {
  local keep=$1 pid rc=0
  [ -d "$dir" ] || die "no server named '$name' (no directory $dir)"
  [ -f "$marker" ] || die "$dir was not made by $me; not touching it"
  if pid=$(running_pid); then
    if ! mariadb-admin --no-defaults --socket="$sock" --user=root --connect-timeout=5 \
        shutdown >/dev/null 2>&1; then
      # The server may not answer (hung, or users broken): SIGTERM is a clean shutdown too.
      note "mariadb-admin shutdown failed for '$name'; sending SIGTERM to $pid"
      kill -TERM "$pid" 2>/dev/null || true
    fi
    if ! wait_exit "$pid" "$kWaitSeconds"; then
      echo "$me: '$name' (pid $pid) still running after ${kWaitSeconds}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      wait_exit "$pid" 10 || die "pid $pid survived SIGKILL"
      rc=1
    fi
    note "stopped '$name' (pid $pid)"
  else
    note "'$name' was not running"
  fi
  if [ "$keep" = 1 ]; then
    note "kept $dir"
  else
    rm -rf -- "$dir"
  fi
  return $rc
}

cmd_stop() {
  local keep=0
  [ $# -ge 1 ] || usage
  select_server "$1"; shift
  while [ $# -gt 0 ]; do
    case $1 in
      --keep) keep=1; shift ;;
      *) die "stop: unknown argument '$1'" ;;
    esac
  done
  stop_one "$keep"
}

cmd_stop_all() {
  local -a keep=()
  local d rc=0 n=0
  case ${1:-} in
    "") ;;
    --keep) keep=(--keep) ;;
    *) die "stop-all: unknown argument '$1'" ;;
  esac
  local base
  base=$(base_dir)
  for d in "$base"/*/; do
    [ -f "$d.ferry-server" ] || continue
    # A process of its own per server: one failure does not stop the others being stopped.
    bash "$0" stop "$(basename "$d")" "${keep[@]}" || rc=1
    n=$((n + 1))
  done
  note "stop-all: $n server(s) in $base"
  return $rc
}

cmd_status() {
  [ $# -eq 1 ] || usage
  select_server "$1"
  local pid
  if pid=$(running_pid); then
    note "'$name' running pid=$pid port=$(<"$dir/port") dir=$dir"
    return 0
  elif [ -d "$dir" ]; then
    note "'$name' not running (directory $dir kept)"
  else
    note "'$name' not running (no directory $dir)"
  fi
  return 3
}

cmd_env() {
  [ $# -eq 1 ] || usage
  select_server "$1"
  [ -f "$dir/port" ] || die "no server named '$name' (no directory $dir)"
  local var
  var=FERRY_$(echo "${name^^}" | tr -c 'A-Z0-9\n' '_')
  printf '%s_HOST=%q\n' "$var" "$kHost"
  printf '%s_PORT=%q\n' "$var" "$(<"$dir/port")"
  printf '%s_USER=%q\n' "$var" "$kUser"
  printf '%s_PASSWORD=%q\n' "$var" "$kPassword"
  printf '%s_SOCKET=%q\n' "$var" "$sock"
  printf '%s_DATADIR=%q\n' "$var" "$datadir"
}

[ $# -ge 1 ] || usage
command=$1; shift
case $command in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  stop-all) cmd_stop_all "$@" ;;
  status) cmd_status "$@" ;;
  env) cmd_env "$@" ;;
  -h|--help|help) help_text ;;
  *) echo "$me: unknown command '$command'" >&2; usage ;;
esac
