// TaskRunner: runs a task's phases in order (full, then incremental), resuming each from its
// checkpoint, skipping phases that already finished, and handing the final position of one phase
// to the next. Owns the phase's plugin instances while it runs. One run() at a time.
#pragma once

#include "config/task_file.hpp"
#include "metrics/metrics.hpp"
#include "pipeline/pipeline.hpp"
#include "task/checkpoint_store.hpp"
#include "task/stop_signal.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace ferry::core {

struct TaskResult {
  enum class Outcome { Finished, Stopped, Paused };
  Outcome outcome = Outcome::Finished;
  Failure failure;    // why it paused
  std::string phase;  // the phase it ended in
  std::optional<StoredCheckpoint> position;  // the last durable checkpoint of that phase
};

class TaskRunner {
 public:
  TaskRunner(const config::TaskSpec& spec, Metrics* metrics, StopSignal& stop);

  TaskResult run();

  // Progress of the phase running now; safe to read from another thread.
  const PipelineCounters& counters() const { return counters_; }
  std::string current_phase() const;

 private:
  std::optional<StoredCheckpoint> load_checkpoint(const config::PhaseSpec& phase, PluginInstance& sink, Failure& failure);

  const config::TaskSpec& spec_;
  Metrics* metrics_;
  StopSignal& stop_;
  CheckpointStore store_;
  PipelineCounters counters_;
  mutable std::mutex mu_;
  std::string phase_;
};

}  // namespace ferry::core
