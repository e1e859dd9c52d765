#include "pipeline/event_batch.hpp"

#include <algorithm>
#include <cstring>

namespace ferry::core {

EventBatch::EventBatch(uint32_t capacity) : events_(capacity) {
  abi_.header = {sizeof(ferry_batch), FERRY_ABI_MAJOR, FERRY_ABI_MINOR};
  abi_.host_private = this;
  sync_abi();
}

void EventBatch::sync_abi() {
  abi_.events = events_.data();
  abi_.capacity = static_cast<uint32_t>(events_.size());
}

ferry_event& EventBatch::append_host_event() {
  if (abi_.count == events_.size()) {
    events_.resize(events_.size() + 1);
    sync_abi();
  }
  ferry_event& e = events_[abi_.count++];
  std::memset(&e, 0, sizeof e);
  return e;
}

void EventBatch::queue_insert(uint32_t after_index, const ferry_event& event) {
  // UINT32_MAX means "at the front": position 0; otherwise after_index + 1.
  uint32_t at = after_index == UINT32_MAX ? 0 : after_index + 1;
  inserts_.emplace_back(at, event);
}

void EventBatch::apply_inserts() {
  if (inserts_.empty()) return;
  // Stable: insertions at the same place keep the order they were made in.
  std::stable_sort(inserts_.begin(), inserts_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ferry_event> merged;
  merged.reserve(std::max<size_t>(events_.size(), abi_.count + inserts_.size()));
  size_t next = 0;
  for (uint32_t i = 0; i <= abi_.count; ++i) {
    while (next < inserts_.size() && inserts_[next].first == i) merged.push_back(inserts_[next++].second);
    if (i < abi_.count) merged.push_back(events_[i]);
  }
  while (next < inserts_.size()) merged.push_back(inserts_[next++].second);  // index past the end
  abi_.count = static_cast<uint32_t>(merged.size());
  if (merged.size() < events_.size()) merged.resize(events_.size());
  events_ = std::move(merged);
  inserts_.clear();
  sync_abi();
}

void EventBatch::compact() {
  uint32_t out = 0;
  for (uint32_t i = 0; i < abi_.count; ++i) {
    if (events_[i].flags & FERRY_EVENT_DROPPED) continue;
    if (out != i) events_[out] = events_[i];
    ++out;
  }
  abi_.count = out;
}

void EventBatch::reset() {
  abi_.count = 0;
  inserts_.clear();
  arena_.reset();
}

}  // namespace ferry::core
