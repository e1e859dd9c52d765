#!/usr/bin/env bash
# Configures (once) and builds ferry into ./build. Incremental: run it as often as you like.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${FERRY_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type"
fi
cmake --build build -j"${FERRY_JOBS:-2}"
