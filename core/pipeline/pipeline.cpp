#include "pipeline/pipeline.hpp"

#include "log/log.hpp"
#include "pipeline/transform_chain.hpp"

#include <ferry/sdk/events.hpp>
#include <fmt/format.h>

#include <cstring>
#include <mutex>
#include <thread>

namespace ferry::core {

// State shared by the source thread and the sink thread.
struct Pipeline::Shared {
  explicit Shared(const QueueLimits& limits) : queue(limits) {}

  BoundedQueue queue;
  std::mutex mu;
  Failure failure;                                  // the first failure of either side
  std::vector<sdk::OwnedPosition> acks;             // durable, not yet told to the source
  std::optional<StoredCheckpoint> last_checkpoint;  // durable
  std::vector<std::shared_ptr<EventBatch>> free_batches;
  std::atomic<bool> failed{false};

  // A sink-side failure: nothing more can be applied, so both sides stop at once.
  void fail(Failure f) {
    record(std::move(f));
    queue.abort();
  }
  // A source-side failure (source or transform): what is already queued came before the failure
  // and is sound, so the sink drains it first; the task then pauses at the latest checkpoint.
  void fail_after_drain(Failure f) {
    record(std::move(f));
    queue.close();
  }
  void record(Failure f) {
    {
      std::lock_guard lock(mu);
      if (!failure) failure = std::move(f);
    }
    failed = true;
  }
};

Pipeline::Pipeline(PluginInstance& source, std::vector<PluginInstance*> transforms, PluginInstance& sink,
                   PipelineOptions options, CheckpointPersister persist, StopSignal& stop, PipelineCounters& counters)
    : source_(source),
      transforms_(std::move(transforms)),
      sink_(sink),
      options_(options),
      persist_(std::move(persist)),
      stop_(stop),
      counters_(counters) {}

template <typename Call>
uint32_t Pipeline::with_retries(PluginInstance& plugin, const char* operation, Call&& call, Failure& failure) {
  auto logger = log::get("pipeline");
  for (uint32_t attempt = 1;; ++attempt) {
    uint32_t status = call();
    if (status == FERRY_OK || status == FERRY_END) return status;
    failure = plugin.failure(status, operation);
    if (status != FERRY_RETRYABLE) return status;
    if (attempt > options_.retry.max_retries) {
      failure.message = fmt::format("{} (gave up after {} retries)", failure.message, options_.retry.max_retries);
      failure.retryable = false;
      return FERRY_ERROR;
    }
    auto wait = options_.retry.backoff(attempt);
    logger->warn("retrying after transient error plugin={} op={} attempt={} backoff_ms={} error=\"{}\"", plugin.name(),
                 operation, attempt, wait.count(), failure.message);
    if (stop_.wait_for(wait)) return status;  // the caller sees the stop
  }
}

PipelineResult Pipeline::run(const ferry_position* start) {
  auto logger = log::get("pipeline");
  Shared shared(options_.queue);
  PipelineResult result;

  Failure f;
  uint32_t status = with_retries(source_, "open", [&] { return source_.def().source->open(source_.self(), start); }, f);
  if (status != FERRY_OK) {
    result.outcome = stop_.requested() && f.retryable ? PipelineResult::Outcome::Stopped : PipelineResult::Outcome::Failed;
    result.failure = f;
    return result;
  }

  std::thread sink_thread([&] { sink_loop(shared); });

  TransformChain chain(transforms_);
  sdk::OwnedPosition last_pos;  // of the last event pushed, for a synthesized final checkpoint
  bool last_was_final = false;
  bool ended = false;
  bool stopping = false;

  auto acquire = [&] {
    std::lock_guard lock(shared.mu);
    if (!shared.free_batches.empty()) {
      auto b = std::move(shared.free_batches.back());
      shared.free_batches.pop_back();
      b->reset();
      return b;
    }
    return std::make_shared<EventBatch>(options_.source_batch_events);
  };

  while (!shared.failed) {
    std::vector<sdk::OwnedPosition> acks;
    {
      std::lock_guard lock(shared.mu);
      acks.swap(shared.acks);
    }
    if (source_.def().source->ack) {
      for (const auto& a : acks) {
        ferry_position p = a.as_abi();
        source_.def().source->ack(source_.self(), &p);
      }
    }
    stopping = stop_.requested();
    if (!stopping && !shared.queue.wait_for_room()) break;

    auto batch = acquire();
    Failure pf;
    uint32_t flags = stopping ? FERRY_POLL_STOPPING : 0u;
    uint32_t poll_wait = static_cast<uint32_t>(options_.poll_wait.count());
    status = with_retries(source_, "poll", [&] {
      return source_.def().source->poll(source_.self(), batch->abi(), poll_wait, flags);
    }, pf);
    if (status != FERRY_OK && status != FERRY_END) {
      if (status == FERRY_RETRYABLE && stop_.requested()) break;  // stopped while retrying
      shared.fail_after_drain(std::move(pf));
      break;
    }
    counters_.events_polled += batch->count();
    if (Failure tf = chain.run(*batch)) {
      shared.fail_after_drain(std::move(tf));
      break;
    }
    if (batch->count() > 0) {
      const ferry_event& tail = batch->events()[batch->count() - 1];
      last_pos = sdk::OwnedPosition::from(tail.pos);
      last_was_final = tail.kind == FERRY_EVENT_CHECKPOINT && (tail.flags & FERRY_EVENT_FINAL);
    }
    if (status == FERRY_END) {
      ended = true;
      if (!last_was_final) {
        // The phase is complete where its last event stood: say so in-band, as a barrier.
        ferry_event& cp = batch->append_host_event();
        cp.kind = FERRY_EVENT_CHECKPOINT;
        cp.flags = FERRY_EVENT_FINAL;
        auto copy = [&](const std::string& s) -> ferry_str {
          if (s.empty()) return {nullptr, 0};
          char* p = static_cast<char*>(batch->arena().alloc(s.size(), 1));
          std::memcpy(p, s.data(), s.size());
          return {p, static_cast<uint32_t>(s.size())};
        };
        cp.pos.binlog_file = copy(last_pos.binlog_file);
        cp.pos.binlog_pos = last_pos.binlog_pos;
        cp.pos.gtid_set = copy(last_pos.gtid_set);
        cp.pos.gtid_flavor = last_pos.gtid_flavor;
        cp.pos.timestamp_us = last_pos.timestamp_us;
        cp.pos.token = copy(last_pos.token);
      }
    }
    shared.queue.push(std::move(batch));
    if (ended || stopping) break;
  }

  shared.queue.close();
  sink_thread.join();

  result.queue = shared.queue.stats();
  {
    std::lock_guard lock(shared.mu);
    result.last_checkpoint = shared.last_checkpoint;
    if (shared.failure) {
      result.outcome = PipelineResult::Outcome::Failed;
      result.failure = shared.failure;
    } else if (ended) {
      result.outcome = PipelineResult::Outcome::Finished;
    } else {
      result.outcome = PipelineResult::Outcome::Stopped;
    }
  }
  // Acks still pending reach the source before it is destroyed.
  if (source_.def().source->ack) {
    for (const auto& a : shared.acks) {
      ferry_position p = a.as_abi();
      source_.def().source->ack(source_.self(), &p);
    }
  }
  logger->info("pipeline ended outcome={} events_polled={} events_written={} peak_queue_events={} peak_queue_bytes={}",
               result.outcome == PipelineResult::Outcome::Finished  ? "finished"
               : result.outcome == PipelineResult::Outcome::Stopped ? "stopped"
                                                                    : "failed",
               counters_.events_polled.load(), counters_.events_written.load(), result.queue.peak_events,
               result.queue.peak_bytes);
  return result;
}

void Pipeline::sink_loop(Shared& shared) {
  Failure f;
  uint32_t status = with_retries(sink_, "open", [&] { return sink_.def().sink->open(sink_.self()); }, f);
  if (status != FERRY_OK) {
    if (!f) f = Failure{FERRY_E_TASK_INTERNAL, "sink open interrupted", false};
    shared.fail(std::move(f));
    return;
  }
  while (auto batch = shared.queue.pop(options_.sink_batch_events)) {
    Failure wf;
    status = with_retries(sink_, "write", [&] { return sink_.def().sink->write(sink_.self(), batch->abi()); }, wf);
    if (status != FERRY_OK) {
      if (status == FERRY_RETRYABLE && stop_.requested()) {
        shared.queue.abort();  // stopped while the sink could not write: nothing more counts
        return;
      }
      shared.fail(std::move(wf));
      return;
    }
    counters_.events_written += batch->count();
    counters_.queue_events = shared.queue.stats().events;
    uint64_t rows = 0;
    const ferry_event* ev = batch->abi()->events;
    for (uint32_t i = 0; i < batch->count(); ++i) rows += ev[i].kind == FERRY_EVENT_ROW;
    counters_.rows_written += rows;
    const ferry_event& tail = batch->back();
    if (tail.kind == FERRY_EVENT_HEARTBEAT) {
      // The upstream had nothing more to send: caught up as of now.
      counters_.last_timestamp_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::system_clock::now().time_since_epoch()).count();
    } else if (tail.pos.timestamp_us) {
      counters_.last_timestamp_us = tail.pos.timestamp_us;
    }
    if (tail.kind == FERRY_EVENT_CHECKPOINT) {
      counters_.set_checkpoint(std::string(sdk::view(tail.pos.binlog_file)) + ":" + std::to_string(tail.pos.binlog_pos),
                               std::string(sdk::view(tail.pos.gtid_set)));
      StoredCheckpoint cp{sdk::OwnedPosition::from(tail.pos), (tail.flags & FERRY_EVENT_FINAL) != 0};
      if (persist_) {
        if (Failure pf = persist_(cp)) {
          shared.fail(std::move(pf));
          return;
        }
      }
      ++counters_.checkpoints;
      std::lock_guard lock(shared.mu);
      shared.acks.push_back(cp.position);
      shared.last_checkpoint = std::move(cp);
    }
    auto recyclable = shared.queue.release(std::move(*batch));
    if (!recyclable.empty()) {
      std::lock_guard lock(shared.mu);
      for (auto& b : recyclable) {
        if (shared.free_batches.size() < 8) shared.free_batches.push_back(std::move(b));
      }
    }
  }
}

}  // namespace ferry::core
