#!/usr/bin/env bash
# Installs the Debian 12 packages ferry needs to build, test and run its demo, only those that
# are missing. Runs as root (CI, fresh machines) or through sudo.
set -euo pipefail

packages=(
  # toolchain
  g++ make cmake pkg-config git
  # libraries (see ../shared/reference/dependencies.md for how each links)
  libboost-dev libpoco-dev libyaml-cpp-dev libre2-dev libspdlog-dev libfmt-dev
  nlohmann-json3-dev libcli11-dev libmariadb-dev prometheus-cpp-dev
  libzstd-dev zlib1g-dev libdeflate-dev  # libdeflate: the binlog checksum (CRC32 with PCLMUL)
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the binlog decoder fuzz tests: clang++ and its libFuzzer runtime (libclang_rt.fuzzer)
  clang libclang-rt-14-dev
  # real servers for integration tests, the demo and the benchmarks
  mariadb-server mariadb-client
  mydumper time  # bench/dump-load.sh: mydumper and myloader as peers, GNU time for peak RSS
  openssl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 2; }
  sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Servers are started by the project's own scripts on loopback, never as system services.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo_cmd[@]}" chmod +x /usr/sbin/policy-rc.d
  trap '"${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
fi
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
