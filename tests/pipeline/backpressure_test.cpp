// Backpressure: a source far faster than its sink pushes 10 million events through; the queue
// never holds more than its cap (plus the one batch a push may overshoot by), and the process's
// peak memory grows by a bounded amount, not with the number of events.
#include "task_test_support.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace ferry::core {
namespace {

using namespace ferry::core::testing;

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

TEST(Backpressure, TenMillionEventsStayWithinTheQueueCap) {
  auto dir = scratch_dir("backpressure");
  write_file(dir / "task.yaml",
             "name: bp\ntask-mode: incremental\n"
             "queue: {max-events: 16384, max-bytes: 4MiB, batch-events: 1024}\n"
             "incremental:\n  source: {plugin: generate, rows: 10000000, tables: 8, checkpoint-every: 1000000}\n"
             "  transforms: [{plugin: count}, {plugin: count}, {plugin: count}]\n"
             "  sink: {plugin: slow-sink, work-per-event: 40}\n");
  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  registry.add_directory(FIXTURE_PLUGIN_DIR);
  config::TaskSpec spec = config::load_task_file(dir / "task.yaml", registry);
  StopSignal stop;
  TaskRunner runner(spec, nullptr, stop);
  const long rss_before = peak_rss_kib();
  TaskResult r = runner.run();
  const long rss_growth_kib = peak_rss_kib() - rss_before;
  ASSERT_EQ(r.outcome, TaskResult::Outcome::Finished) << r.failure.describe();
  EXPECT_EQ(runner.counters().events_written.load(), 10'000'000u + 10 + 1);  // rows, checkpoints, final

  // 10M events of ~250 bytes would be ~2.5 GB if nothing pushed back.
  EXPECT_LT(rss_growth_kib, 64 * 1024) << "peak RSS grew by " << rss_growth_kib << " KiB";
}

// The queue's own accounting, measured directly: its peak stays at the cap plus one batch.
TEST(Backpressure, QueuePeakIsTheCapPlusOneBatch) {
  auto dir = scratch_dir("backpressure_peak");
  write_file(dir / "task.yaml",
             "name: bp\ntask-mode: incremental\n"
             "queue: {max-events: 4096, max-bytes: 1MiB, batch-events: 256}\n"
             "incremental:\n  source: {plugin: generate, rows: 1000000, checkpoint-every: 100000}\n"
             "  sink: {plugin: slow-sink, work-per-event: 100}\n");
  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  registry.add_directory(FIXTURE_PLUGIN_DIR);
  config::TaskSpec spec = config::load_task_file(dir / "task.yaml", registry);
  // Run the pipeline directly to see its queue statistics.
  auto make = [&](const config::StageSpec& s) {
    return std::get<std::unique_ptr<PluginInstance>>(
        PluginInstance::create(*s.plugin, config::clone(*s.config), InstanceEnv{"bp", dir.string(), dir.string(), nullptr}));
  };
  auto source = make(spec.phases[0].source);
  auto sink = make(spec.phases[0].sink);
  StopSignal stop;
  PipelineCounters counters;
  Pipeline pipeline(*source, {}, *sink, spec.pipeline, nullptr, stop, counters);
  PipelineResult r = pipeline.run(nullptr);
  ASSERT_EQ(r.outcome, PipelineResult::Outcome::Finished) << r.failure.describe();
  EXPECT_LE(r.queue.peak_events, 4096u + 256u + 1u);
  // A batch pins at most its event array and a few arena chunks.
  const uint64_t one_batch = 257 * sizeof(ferry_event) + 2 * Arena::kChunkBytes;
  EXPECT_LE(r.queue.peak_bytes, (1u << 20) + one_batch);
  EXPECT_GT(r.queue.peak_bytes, (1u << 20) / 2) << "the sink was not slow enough to fill the queue";
}

}  // namespace
}  // namespace ferry::core
