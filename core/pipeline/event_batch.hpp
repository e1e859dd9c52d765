// EventBatch: the host side of a ferry_batch, a fixed-capacity array of events with the arena
// their data lives in. Filled and transformed on the source thread, then handed to the queue;
// read-only afterwards until the sink releases it and the pool recycles it.
#pragma once

#include "pipeline/arena.hpp"

#include <ferry/abi/ferry_abi.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace ferry::core {

class EventBatch {
 public:
  explicit EventBatch(uint32_t capacity);

  // The ABI view handed to plugins. Its host_private points back at this object.
  ferry_batch* abi() { return &abi_; }
  const ferry_batch* abi() const { return &abi_; }

  uint32_t count() const { return abi_.count; }
  ferry_event* events() { return events_.data(); }
  const ferry_event* events() const { return events_.data(); }
  Arena& arena() { return arena_; }

  // Bytes this batch pins in memory: its event array and its arena.
  size_t bytes() const { return events_.capacity() * sizeof(ferry_event) + arena_.bytes_reserved(); }

  // Appends one event (the host's own, e.g. a synthesized final checkpoint), growing if needed.
  ferry_event& append_host_event();

  // Transforms' insertions, applied by apply_inserts() after each transform.
  void queue_insert(uint32_t after_index, const ferry_event& event);
  bool has_inserts() const { return !inserts_.empty(); }
  void apply_inserts();

  // Removes events flagged FERRY_EVENT_DROPPED, keeping order.
  void compact();

  void reset();

  static EventBatch* from(ferry_batch* b) { return static_cast<EventBatch*>(b->host_private); }

 private:
  void sync_abi();

  ferry_batch abi_{};
  std::vector<ferry_event> events_;
  std::vector<std::pair<uint32_t, ferry_event>> inserts_;  // (after index + 1, event)
  Arena arena_;
};

}  // namespace ferry::core
