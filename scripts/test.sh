#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test. What CI runs.
#   scripts/test.sh            all tests
#   scripts/test.sh -L unit    a subset by ctest label (unit, plugins, pipeline, slow, samples, server)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest -j2 --output-on-failure --timeout 600 "$@"
