#!/usr/bin/env bash
# The column-mask sample plugin, tested the way a user meets it. One step per ctest test:
#
#   build       install this build tree into WORK/prefix, then configure and build the sample out of
#               tree against that prefix alone (and check nothing came from the source tree)
#   task        run a task jsonl-source -> column-mask -> jsonl and compare its output exactly
#   int-rule    a rule matching an integer column pauses the task (exit 1) naming the column
#   demo        the shipped samples/tasks/column-mask.yaml runs and leaves no e-mail address or
#               card number in the clear (its plugin-dir pointed at this build of the sample)
#   unit        run the sample's own harness tests; skipped (exit 77) when it built none
#
# Usage: column_mask_sample.sh STEP --build-dir=DIR --work-dir=DIR --sample-dir=DIR --cases-dir=DIR
#                              --demo-task=FILE --ferry=FILE --cmake=FILE
set -euo pipefail

readonly kSkip=77  # ctest's SKIP_RETURN_CODE for this script

step="${1:?usage: column_mask_sample.sh STEP --key=value...}"
shift
for arg in "$@"; do
  case "$arg" in
    --build-dir=*) build_dir="${arg#*=}" ;;
    --work-dir=*) work_dir="${arg#*=}" ;;
    --sample-dir=*) sample_dir="${arg#*=}" ;;
    --cases-dir=*) cases_dir="${arg#*=}" ;;
    --demo-task=*) demo_task="${arg#*=}" ;;
    --ferry=*) ferry="${arg#*=}" ;;
    --cmake=*) cmake="${arg#*=}" ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
: "${build_dir:?--build-dir is required}" "${work_dir:?--work-dir is required}" "${sample_dir:?--sample-dir is required}"
: "${cases_dir:?--cases-dir is required}" "${demo_task:?--demo-task is required}" "${ferry:?--ferry is required}"
: "${cmake:?--cmake is required}"

prefix="$work_dir/prefix"
sample_build="$work_dir/sample-build"
sample_plugins="$sample_build/plugins"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A fresh directory for one task run: a leftover checkpoint there would make ferry resume
# instead of starting over.
fresh_task_dir() {
  [[ -x "$ferry" ]] || fail "$ferry is missing: build the 'ferry' target first"
  [[ -f "$sample_plugins/ferry-column-mask.so" ]] || fail "the sample is not built: run the build step (ctest -L samples) first"
  rm -rf "$1"
  mkdir -p "$1"
}

# Runs $1/task.yaml; leaves stdout, stderr and the exit code in $1.
run_ferry() {
  local dir="$1"
  # FERRY_PLUGIN_PATH would add directories beyond the build's own and the task's plugin-dir.
  set +e
  env -u FERRY_PLUGIN_PATH "$ferry" run "$dir/task.yaml" >"$dir/stdout" 2>"$dir/stderr"
  echo $? >"$dir/exit-code"
  set -e
}

# Runs the task from the case template $1 on the case input, in the fresh directory $2.
run_case_task() {
  local template="$1" dir="$2"
  fresh_task_dir "$dir"
  cp "$cases_dir/input.jsonl" "$dir/input.jsonl"
  sed "s|@SAMPLE_PLUGIN_DIR@|$sample_plugins|" "$cases_dir/$template" >"$dir/task.yaml"
  run_ferry "$dir"
}

step_build() {
  [[ -x "$ferry" ]] || fail "$ferry is missing: build the 'ferry' target first"
  compgen -G "$build_dir/lib/ferry/plugins/ferry-debug.so" >/dev/null || fail "ferry-debug.so is missing: build 'ferry-debug' first"
  rm -rf "$prefix" "$sample_build"
  echo "== installing $build_dir into $prefix"
  "$cmake" --install "$build_dir" --prefix "$prefix" >"$work_dir/install.log" 2>&1 \
    || { cat "$work_dir/install.log" >&2; fail "cmake --install failed"; }
  [[ -f "$prefix/lib/cmake/ferry-sdk/ferry-sdk-config.cmake" ]] || fail "the install has no ferry-sdk package config"

  echo "== configuring $sample_dir against $prefix"
  "$cmake" -S "$sample_dir" -B "$sample_build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    >"$work_dir/configure.log" 2>&1 || { cat "$work_dir/configure.log" >&2; fail "configuring the sample failed"; }
  # The sample must have found the SDK in the prefix, not anywhere else (a system install, the
  # build tree): a sample that only builds inside ferry's tree would pass here otherwise.
  local sdk_dir
  sdk_dir="$(sed -n 's/^ferry-sdk_DIR:PATH=//p' "$sample_build/CMakeCache.txt")"
  [[ "$sdk_dir" == "$prefix/"* ]] || fail "the sample found ferry-sdk at '$sdk_dir', not under $prefix"

  echo "== building the sample"
  "$cmake" --build "$sample_build" -j2 >"$work_dir/sample-build.log" 2>&1 \
    || { cat "$work_dir/sample-build.log" >&2; fail "building the sample failed"; }
  [[ -f "$sample_plugins/ferry-column-mask.so" ]] || fail "the build made no $sample_plugins/ferry-column-mask.so"
  local source_tree
  source_tree="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build_dir/CMakeCache.txt")"
  [[ -f "$sample_build/compile_commands.json" ]] || fail "the sample build wrote no compile_commands.json to check"
  if grep -qF "$source_tree/sdk/include" "$sample_build/compile_commands.json"; then
    fail "the sample compiled against ferry's source tree ($source_tree/sdk/include), not the installed SDK"
  fi
  echo "ok: sample built against $prefix only"
}

step_task() {
  local dir="$work_dir/task"
  run_case_task task.yaml.in "$dir"
  local code
  code="$(cat "$dir/exit-code")"
  if [[ "$code" != 0 ]]; then
    cat "$dir/stderr" >&2
    fail "ferry run exited with $code"
  fi
  if ! diff -u --label expected.jsonl --label output.jsonl "$cases_dir/expected.jsonl" "$dir/output.jsonl" >"$dir/diff"; then
    cat "$dir/diff" >&2
    fail "output differs from $cases_dir/expected.jsonl (- expected, + actual; whole output in $dir/output.jsonl)"
  fi
  # The salt is a secret: it must not show in anything ferry printed.
  if grep -q "s3cr3t-salt" "$dir/stdout" "$dir/stderr"; then
    fail "the salt appears in ferry's output"
  fi
  echo "ok: $(wc -l <"$dir/output.jsonl") lines match expected.jsonl"
}

step_int_rule() {
  local dir="$work_dir/int-rule"
  run_case_task int_rule_task.yaml.in "$dir"
  local code
  code="$(cat "$dir/exit-code")"
  [[ "$code" == 1 ]] || { cat "$dir/stderr" >&2; fail "ferry run exited with $code; a paused task exits with 1"; }
  for needle in "crm.customers.id" "value of type INT" "40001"; do
    grep -qF "$needle" "$dir/stderr" || { cat "$dir/stderr" >&2; fail "stderr does not mention '$needle'"; }
  done
  echo "ok: exit 1, and stderr says: $(grep -F crm.customers.id "$dir/stderr" | head -n 1)"
}

step_demo() {
  local dir="$work_dir/demo"
  fresh_task_dir "$dir"
  local demo_dir
  demo_dir="$(dirname "$demo_task")"
  cp "$demo_dir/column-mask-input.jsonl" "$dir/"
  grep -q '^plugin-dir:' "$demo_task" || fail "$demo_task has no plugin-dir line to point at this build"
  sed "s|^plugin-dir:.*|plugin-dir: [\"$sample_plugins\"]|" "$demo_task" >"$dir/task.yaml"
  run_ferry "$dir"
  local code
  code="$(cat "$dir/exit-code")"
  [[ "$code" == 0 ]] || { cat "$dir/stderr" >&2; fail "the demo task exited with $code"; }
  local outputs
  mapfile -t outputs < <(find "$dir" -name '*.jsonl' ! -name column-mask-input.jsonl)
  [[ ${#outputs[@]} == 1 ]] || fail "expected one output file from the demo task under $dir, found ${#outputs[@]}"
  # Every address and card number in the input must be gone, and the rows must all be there.
  if grep -E '@example|4111 1111 1111' "${outputs[0]}"; then
    fail "the demo output above still holds clear-text personal data"
  fi
  local rows_in rows_out
  rows_in="$(grep -c '"kind":"row"' "$dir/column-mask-input.jsonl")"
  rows_out="$(grep -c '"kind":"row"' "${outputs[0]}")"
  [[ "$rows_in" == "$rows_out" ]] || fail "the demo read $rows_in rows but wrote $rows_out"
  echo "ok: demo task wrote $rows_out rows with no clear-text e-mail or card number"
}

step_unit() {
  if [[ ! -x "$sample_build/column_mask_test" ]]; then
    echo "skipped: the sample built no column_mask_test (GTest not found by its configure)"
    exit "$kSkip"
  fi
  "$sample_build/column_mask_test"
}

case "$step" in
  build) step_build ;;
  task) step_task ;;
  int-rule) step_int_rule ;;
  demo) step_demo ;;
  unit) step_unit ;;
  *) echo "unknown step: $step" >&2; exit 2 ;;
esac
