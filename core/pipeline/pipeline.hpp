// Pipeline: one phase's source -> transforms -> bounded queue -> sink, running until the source
// ends, a stop is requested, or something fails.
//
// Threads: run() polls the source and runs the transforms on the calling thread; the sink runs on
// a thread of its own. Checkpoint protocol: the source emits a CHECKPOINT event in-band; the
// queue closes the sink's batch at it; the sink makes everything before it durable (and, when it
// owns checkpoints, the position too); otherwise the host persists the position; only then is
// the source told (ack). A retryable failure is retried with capped backoff; any other failure
// stops both sides at once and nothing after the last durable checkpoint counts as done.
#pragma once

#include "errors/error_table.hpp"
#include "pipeline/bounded_queue.hpp"
#include "plugin/plugin_instance.hpp"
#include "task/checkpoint_store.hpp"
#include "task/retry_policy.hpp"
#include "task/stop_signal.hpp"

#include <atomic>
#include <mutex>
#include <chrono>
#include <functional>
#include <optional>
#include <vector>

namespace ferry::core {

struct PipelineOptions {
  uint32_t source_batch_events = 1024;  // capacity handed to each source poll
  uint32_t sink_batch_events = 1024;    // most events in one sink write
  QueueLimits queue;
  std::chrono::milliseconds poll_wait{200};
  RetryPolicy retry;
};

// Live counters for progress display; written by the pipeline's threads, read by anyone.
struct PipelineCounters {
  std::atomic<uint64_t> events_polled{0};
  std::atomic<uint64_t> events_written{0};
  std::atomic<uint64_t> rows_written{0};
  std::atomic<uint64_t> checkpoints{0};
  std::atomic<uint64_t> queue_events{0};
  std::atomic<int64_t> last_timestamp_us{0};  // upstream commit time of the last event written

  // The last durable checkpoint, "file:pos" and the GTID set, for the status line.
  void set_checkpoint(std::string position, std::string gtid) {
    std::lock_guard lock(mu_);
    checkpoint_ = std::move(position);
    gtid_ = std::move(gtid);
  }
  std::pair<std::string, std::string> checkpoint() const {
    std::lock_guard lock(mu_);
    return {checkpoint_, gtid_};
  }

 private:
  mutable std::mutex mu_;
  std::string checkpoint_;
  std::string gtid_;
};

struct PipelineResult {
  enum class Outcome { Finished, Stopped, Failed };
  Outcome outcome = Outcome::Finished;
  Failure failure;
  std::optional<StoredCheckpoint> last_checkpoint;  // the last one made durable in this run
  QueueStats queue;
};

// Persists a durable checkpoint for sinks that do not own theirs.
using CheckpointPersister = std::function<Failure(const StoredCheckpoint&)>;

class Pipeline {
 public:
  Pipeline(PluginInstance& source, std::vector<PluginInstance*> transforms, PluginInstance& sink,
           PipelineOptions options, CheckpointPersister persist, StopSignal& stop, PipelineCounters& counters);

  // `start` is where the source resumes (null: its own default).
  PipelineResult run(const ferry_position* start);

 private:
  struct Shared;
  void sink_loop(Shared& shared);
  // Calls `call` until it returns a status other than RETRYABLE, or retries run out, or a stop
  // is requested. Returns the final status; `failure` is set when it is not OK/END.
  template <typename Call>
  uint32_t with_retries(PluginInstance& plugin, const char* operation, Call&& call, Failure& failure);

  PluginInstance& source_;
  std::vector<PluginInstance*> transforms_;
  PluginInstance& sink_;
  PipelineOptions options_;
  CheckpointPersister persist_;
  StopSignal& stop_;
  PipelineCounters& counters_;
};

}  // namespace ferry::core
