#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test. What CI runs.
#   scripts/test.sh            all tests
#   scripts/test.sh -L unit    a subset by ctest label (unit, plugins, pipeline, slow, samples, server)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
# No reruns: a test that fails once fails the run (the two intermittent failures that once made
# this script rerun were found and fixed: session locks, unique server names).
# FERRY_KEEP_SERVERS=1 leaves each test's servers running for a post-mortem (stop them by name).
ctest -j2 --output-on-failure --timeout 600 "$@"
