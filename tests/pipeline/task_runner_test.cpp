// The task runner: retries, pausing, resuming from checkpoints without loss or repeats, and the
// hand-over from the full phase to the incremental one.
#include "task_test_support.hpp"

#include "task/task_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace ferry::core {
namespace {

using namespace ferry::core::testing;

const char* kFastRetry = "retry: {initial-backoff: 1ms, max-backoff: 4ms, max-retries: 5}\n";

TEST(TaskRunner, RetryableSinkErrorsAreRetriedUntilTheyClear) {
  auto dir = scratch_dir("retry_clears");
  write_file(dir / "in.jsonl", rows_input(1, 10));
  write_file(dir / "task.yaml", std::string("name: t\ntask-mode: incremental\n") + kFastRetry +
                                    "incremental:\n  source: {plugin: jsonl-source, path: in.jsonl}\n"
                                    "  sink: {plugin: flaky-sink, retryable-failures: 3}\n");
  TaskResult r = run_task(dir / "task.yaml");
  EXPECT_EQ(r.outcome, TaskResult::Outcome::Finished) << r.failure.describe();
}

TEST(TaskRunner, RetriesThatNeverClearPauseTheTaskSayingSo) {
  auto dir = scratch_dir("retry_exhausted");
  write_file(dir / "in.jsonl", rows_input(1, 3));
  write_file(dir / "task.yaml", std::string("name: t\ntask-mode: incremental\n") + kFastRetry +
                                    "incremental:\n  source: {plugin: jsonl-source, path: in.jsonl}\n"
                                    "  sink: {plugin: flaky-sink, retryable-failures: 1000}\n");
  TaskResult r = run_task(dir / "task.yaml");
  ASSERT_EQ(r.outcome, TaskResult::Outcome::Paused);
  EXPECT_EQ(r.failure.code, FERRY_E_DOWNSTREAM_TRANSIENT);
  EXPECT_EQ(r.failure.message,
            "plugin 'flaky-sink' failed in write: deadlock found when trying to get lock (gave up after 5 retries)");
}

// A failure part-way pauses the task; running it again after the cause is gone resumes from the
// last checkpoint, and the output holds every row exactly once.
TEST(TaskRunner, ResumesAfterAPauseWithNothingLostOrRepeated) {
  auto dir = scratch_dir("pause_resume");
  write_file(dir / "in.jsonl", rows_input(1, 50));
  const std::string common = "name: t\ntask-mode: incremental\nqueue: {batch-events: 4}\n"
                             "incremental:\n  source: {plugin: jsonl-source, path: in.jsonl, checkpoint-every: 5}\n"
                             "  sink: {plugin: jsonl, path: out.jsonl, include-position: false}\n";
  write_file(dir / "task.yaml", common + "  transforms: [{plugin: fail-on-id, id: 33}]\n");
  TaskResult first = run_task(dir / "task.yaml");
  ASSERT_EQ(first.outcome, TaskResult::Outcome::Paused);
  EXPECT_EQ(first.failure.message, "plugin 'fail-on-id' failed in process: refusing row 33");
  // What was queued before the failing batch was drained: the task paused at the last
  // checkpoint before row 33 (line 34), not at the start.
  ASSERT_TRUE(first.position.has_value());
  EXPECT_GE(first.position->position.binlog_pos, 25u);
  EXPECT_LE(first.position->position.binlog_pos, 33u);

  write_file(dir / "task.yaml", common);  // the cause is fixed
  TaskResult second = run_task(dir / "task.yaml");
  ASSERT_EQ(second.outcome, TaskResult::Outcome::Finished) << second.failure.describe();

  std::stringstream out(read_file(dir / "out.jsonl"));
  std::string line;
  std::vector<int> ids;
  while (std::getline(out, line)) {
    auto at = line.find("\"id\":");
    if (at != std::string::npos) ids.push_back(std::stoi(line.substr(at + 5)));
  }
  std::vector<int> want(50);
  for (int i = 0; i < 50; ++i) want[i] = i + 1;
  EXPECT_EQ(ids, want);
}

// Two runs of one task would stream with the same replica id and apply the same events twice:
// the second is refused by name while the first holds the task's lock, and runs once it is gone.
TEST(TaskRunner, ASecondRunOfARunningTaskIsRefusedSayingWhoHoldsIt) {
  auto dir = scratch_dir("task_lock");
  write_file(dir / "in.jsonl", rows_input(1, 3));
  write_file(dir / "task.yaml", "name: t\ntask-mode: incremental\ndata-dir: data\n"
                                "incremental:\n  source: {plugin: jsonl-source, path: in.jsonl}\n"
                                "  sink: {plugin: jsonl, path: out.jsonl}\n");
  std::filesystem::create_directories(dir / "data" / "t");
  {
    TaskLock first;  // a run in progress
    ASSERT_FALSE(first.acquire(dir / "data" / "t", "t"));
    TaskResult second = run_task(dir / "task.yaml");
    ASSERT_EQ(second.outcome, TaskResult::Outcome::Paused);
    EXPECT_EQ(second.failure.code, FERRY_E_TASK_ALREADY_RUNNING);
    EXPECT_EQ(second.failure.message, "task t is already running in process " + std::to_string(::getpid()) + " (it holds " +
                                          (dir / "data" / "t" / "task.lock").string() + ")");
    EXPECT_FALSE(std::filesystem::exists(dir / "out.jsonl")) << "the refused run must not start";
  }
  TaskResult again = run_task(dir / "task.yaml");
  EXPECT_EQ(again.outcome, TaskResult::Outcome::Finished) << again.failure.describe();
}

TEST(TaskRunner, AllModeHandsTheFullPhasePositionToTheIncrementalPhase) {
  auto dir = scratch_dir("handover");
  // The "snapshot" holds rows 1-5; the "binlog" holds the same five lines and three more. The
  // incremental phase must start right after the snapshot's last line.
  write_file(dir / "snapshot" / "events.jsonl", rows_input(1, 5));
  write_file(dir / "binlog" / "events.jsonl", rows_input(1, 8));
  write_file(dir / "task.yaml",
             "name: t\ntask-mode: all\n"
             "full:\n  source: {plugin: jsonl-source, path: snapshot/events.jsonl}\n"
             "  sink: {plugin: jsonl, path: full.jsonl, include-position: false}\n"
             "incremental:\n  source: {plugin: jsonl-source, path: binlog/events.jsonl}\n"
             "  sink: {plugin: jsonl, path: incremental.jsonl, include-position: false}\n");
  TaskResult r = run_task(dir / "task.yaml");
  ASSERT_EQ(r.outcome, TaskResult::Outcome::Finished) << r.failure.describe();
  const std::string row = R"({"kind":"row","op":"insert","schema":"s","table":"t","after":{"id":)";
  EXPECT_EQ(read_file(dir / "incremental.jsonl"),
            row + "6}}\n" + row + "7}}\n" + row + "8}}\n" + R"({"kind":"checkpoint","final":true})" "\n");

  // Both phases are final now: a second run does nothing and changes nothing.
  const std::string before = read_file(dir / "full.jsonl") + read_file(dir / "incremental.jsonl");
  TaskResult again = run_task(dir / "task.yaml");
  EXPECT_EQ(again.outcome, TaskResult::Outcome::Finished);
  EXPECT_EQ(read_file(dir / "full.jsonl") + read_file(dir / "incremental.jsonl"), before);
}

TEST(TaskRunner, AStopRequestedBeforeStartDrainsAndStopsCleanly) {
  auto dir = scratch_dir("stop");
  write_file(dir / "task.yaml",
             "name: t\ntask-mode: incremental\n"
             "incremental:\n  source: {plugin: generate, rows: 0, checkpoint-every: 10}\n"
             "  sink: {plugin: jsonl, path: out.jsonl, include-position: true}\n");
  StopSignal stop;
  stop.request();
  TaskResult r = run_task(dir / "task.yaml", &stop);
  EXPECT_EQ(r.outcome, TaskResult::Outcome::Stopped);
  EXPECT_EQ(r.failure.code, 0u);
}

TEST(TaskRunner, HostCheckpointsAreStoredForSinksThatDoNotKeepTheirOwn) {
  auto dir = scratch_dir("host_checkpoint");
  write_file(dir / "task.yaml",
             "name: t\ntask-mode: incremental\n"
             "incremental:\n  source: {plugin: generate, rows: 100, checkpoint-every: 10}\n"
             "  sink: {plugin: discard}\n");
  TaskResult r = run_task(dir / "task.yaml");
  ASSERT_EQ(r.outcome, TaskResult::Outcome::Finished);
  const std::string cp = read_file(dir / "ferry-data" / "t" / "checkpoint-incremental.json");
  EXPECT_NE(cp.find("\"binlog-pos\":100"), std::string::npos) << cp;
  EXPECT_NE(cp.find("\"final\":true"), std::string::npos) << cp;
}

// Runs `task_file` with or without --remove-meta; returns the rows the sink wrote.
uint64_t rows_written_by_run(const std::filesystem::path& task_file, bool remove_meta) {
  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  config::TaskSpec spec = config::load_task_file(task_file, registry);
  spec.remove_meta = remove_meta;
  StopSignal stop;
  TaskRunner runner(spec, nullptr, stop);
  TaskResult r = runner.run();
  EXPECT_EQ(r.outcome, TaskResult::Outcome::Finished) << r.failure.describe();
  return runner.counters().rows_written;
}

// A task from in.jsonl (a checkpoint every 2 lines) to `sink`.
std::string jsonl_task(const std::string& sink) {
  return "name: t\ntask-mode: incremental\n"
         "incremental:\n  source: {plugin: jsonl-source, path: in.jsonl, checkpoint-every: 2}\n  sink: " + sink + "\n";
}

// DM's start-task --remove-meta: the host forgets its checkpoints of the task, and the phase
// runs again from the source's start instead of being skipped as finished.
TEST(TaskRunner, RemoveMetaDropsTheHostsCheckpointsAndStartsOver) {
  auto dir = scratch_dir("remove_meta_host");
  write_file(dir / "in.jsonl", rows_input(1, 5));
  write_file(dir / "task.yaml", jsonl_task("{plugin: discard}"));
  EXPECT_EQ(rows_written_by_run(dir / "task.yaml", false), 5u);
  EXPECT_EQ(rows_written_by_run(dir / "task.yaml", false), 0u);  // finished: nothing to do
  write_file(dir / "in.jsonl", rows_input(1, 7));
  EXPECT_EQ(rows_written_by_run(dir / "task.yaml", true), 7u);
  EXPECT_NE(read_file(dir / "ferry-data" / "t" / "checkpoint-incremental.json").find("\"final\":true"), std::string::npos);
}

// A sink that keeps its own checkpoint drops it when the host says remove-meta (task_info):
// the jsonl sink's output and .checkpoint start over.
TEST(TaskRunner, RemoveMetaMakesASinkWithItsOwnCheckpointStartOver) {
  auto dir = scratch_dir("remove_meta_sink");
  write_file(dir / "in.jsonl", rows_input(1, 5));
  write_file(dir / "task.yaml", jsonl_task("{plugin: jsonl, path: out.jsonl, include-position: false}"));
  EXPECT_EQ(rows_written_by_run(dir / "task.yaml", false), 5u);
  EXPECT_EQ(rows_written_by_run(dir / "task.yaml", false), 0u);
  write_file(dir / "in.jsonl", rows_input(11, 3));  // different rows: a resume would skip them
  EXPECT_EQ(rows_written_by_run(dir / "task.yaml", true), 3u);
  const std::string out = read_file(dir / "out.jsonl");
  EXPECT_EQ(out.find("\"id\":1}"), std::string::npos) << out;  // the first run's rows are gone
  EXPECT_NE(out.find("\"id\":11}"), std::string::npos) << out;
  EXPECT_NE(out.find("\"id\":13}"), std::string::npos) << out;
}

}  // namespace
}  // namespace ferry::core
