#!/usr/bin/env bash
# Regenerates the checked-in seed corpus (tests/fuzz/corpus/) from a real binlog: starts a
# throwaway MariaDB server with scripts/mariadb-server.sh, runs corpus.sql on it, and turns every
# binlog file it wrote into seeds with binlog_fuzz_seeds (built with the project), then adds the
# MySQL 8 seeds of binlog_mysql8_fuzz_seeds. The server is stopped and its directory removed
# however the script ends.
#
#   tests/fuzz/make_corpus.sh [BUILD_DIR]      BUILD_DIR defaults to ./build
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(realpath -m -- "${1:-$root/build}")
seeds_tool=$build/tests/fuzz/binlog_fuzz_seeds
mysql8_seeds_tool=$build/tests/fuzz/binlog_mysql8_fuzz_seeds
servers=$root/scripts/mariadb-server.sh
corpus=$here/corpus

[ -x "$seeds_tool" ] || { echo "make_corpus.sh: build binlog_fuzz_seeds first (no $seeds_tool)" >&2; exit 1; }
[ -x "$mysql8_seeds_tool" ] || { echo "make_corpus.sh: build binlog_mysql8_fuzz_seeds first (no $mysql8_seeds_tool)" >&2; exit 1; }

name=fuzz-corpus-$$
trap 'bash "$servers" stop "$name" >/dev/null 2>&1 || true' EXIT
bash "$servers" start "$name"
eval "$(bash "$servers" env "$name")"
prefix=FERRY_${name^^}
prefix=${prefix//-/_}
socket_var=${prefix}_SOCKET datadir_var=${prefix}_DATADIR
socket=${!socket_var} datadir=${!datadir_var}

mariadb --no-defaults --socket="$socket" --user=root <"$here/corpus.sql"

# The index lists the files in order, relative to the data directory unless absolute.
binlogs=()
while IFS= read -r f; do
  [[ $f == /* ]] || f=$datadir/${f#./}
  binlogs+=("$f")
done <"$datadir/binlog.index"
rm -f -- "$corpus"/*
mkdir -p -- "$corpus"
"$seeds_tool" "$corpus" "${binlogs[@]}"
"$mysql8_seeds_tool" "$corpus"  # events MariaDB never writes, built by hand
du -sh --apparent-size "$corpus"
