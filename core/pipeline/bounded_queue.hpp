// BoundedQueue: carries transformed event batches from the source thread to the sink thread,
// capped by events and by bytes. The producer waits when either reaches its cap (the high
// watermark) and resumes only when both fall below the low watermark, so a slow sink makes the
// source stop polling (and a binlog reader stop reading its socket) instead of buffering.
// Nothing is ever dropped. One producer thread and one consumer thread.
//
// pop() hands the sink a batch that closes when it is full, when the queue has nothing more
// right now (idle), or right after a barrier (DDL, CHECKPOINT), so a barrier is always the last
// event of what the sink sees.
#pragma once

#include "pipeline/event_batch.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace ferry::core {

struct QueueLimits {
  uint64_t max_events = 65536;
  uint64_t max_bytes = 64ull << 20;
  double low_watermark = 0.5;  // fraction of both caps below which a waiting producer resumes
};

// What the sink gets from pop(): a view of consecutive events, and the batches it pins.
class SinkBatch {
 public:
  const ferry_batch* abi() const { return &abi_; }
  uint32_t count() const { return abi_.count; }
  const ferry_event& back() const { return abi_.events[abi_.count - 1]; }

 private:
  friend class BoundedQueue;
  ferry_batch abi_{};
  std::vector<ferry_event> merged_;                  // when the events span batches
  std::vector<std::shared_ptr<EventBatch>> done_;    // fully consumed: released with this
  std::shared_ptr<EventBatch> partial_;              // the first batch still being read, pinned
};

struct QueueStats {
  uint64_t events = 0;
  uint64_t bytes = 0;
  uint64_t peak_events = 0;
  uint64_t peak_bytes = 0;
};

class BoundedQueue {
 public:
  explicit BoundedQueue(QueueLimits limits);

  // Blocks while the queue is over its caps. Returns false (and does not block) once the queue
  // is aborted.
  bool wait_for_room();
  // Adds a batch. Call wait_for_room() first; a push may exceed a cap by one batch.
  void push(std::shared_ptr<EventBatch> batch);
  // No more pushes: pop() returns what is left, then nullopt.
  void close();
  // Wakes both sides and makes them give up (on failure or a hard stop).
  void abort();

  // Waits for events and returns up to `max_events` of them, closing at a barrier. Returns
  // nullopt when the queue is closed and empty, or aborted.
  std::optional<SinkBatch> pop(uint32_t max_events);
  // Gives back what a SinkBatch pinned, once the sink has written it; returns the batches that
  // are no longer referenced so the caller can recycle them.
  std::vector<std::shared_ptr<EventBatch>> release(SinkBatch&& done);

  QueueStats stats() const;

 private:
  bool over_high() const;
  bool under_low() const;

  QueueLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable room_;
  std::condition_variable data_;
  std::deque<std::shared_ptr<EventBatch>> batches_;
  uint32_t read_offset_ = 0;  // into batches_.front()
  bool closed_ = false;
  bool aborted_ = false;
  bool producer_waiting_ = false;
  uint64_t events_ = 0;  // not yet popped
  uint64_t bytes_ = 0;   // pinned: pushed and not yet released
  uint64_t peak_events_ = 0;
  uint64_t peak_bytes_ = 0;
};

}  // namespace ferry::core
