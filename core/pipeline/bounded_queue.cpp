#include "pipeline/bounded_queue.hpp"

#include <ferry/sdk/events.hpp>

#include <algorithm>

namespace ferry::core {

BoundedQueue::BoundedQueue(QueueLimits limits) : limits_(limits) {}

bool BoundedQueue::over_high() const { return events_ >= limits_.max_events || bytes_ >= limits_.max_bytes; }

bool BoundedQueue::under_low() const {
  return events_ <= limits_.max_events * limits_.low_watermark && bytes_ <= limits_.max_bytes * limits_.low_watermark;
}

bool BoundedQueue::wait_for_room() {
  std::unique_lock lock(mu_);
  if (!over_high()) return !aborted_;
  producer_waiting_ = true;
  room_.wait(lock, [&] { return aborted_ || under_low(); });
  producer_waiting_ = false;
  return !aborted_;
}

void BoundedQueue::push(std::shared_ptr<EventBatch> batch) {
  if (batch->count() == 0) return;
  {
    std::lock_guard lock(mu_);
    events_ += batch->count();
    bytes_ += batch->bytes();
    peak_events_ = std::max(peak_events_, events_);
    peak_bytes_ = std::max(peak_bytes_, bytes_);
    batches_.push_back(std::move(batch));
  }
  data_.notify_one();
}

void BoundedQueue::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  data_.notify_all();
}

void BoundedQueue::abort() {
  {
    std::lock_guard lock(mu_);
    aborted_ = true;
    closed_ = true;
  }
  data_.notify_all();
  room_.notify_all();
}

std::optional<SinkBatch> BoundedQueue::pop(uint32_t max_events) {
  std::unique_lock lock(mu_);
  data_.wait(lock, [&] { return aborted_ || !batches_.empty() || closed_; });
  if (aborted_ || batches_.empty()) return std::nullopt;

  SinkBatch out;
  bool contiguous = true;  // all taken events so far are one run of the front batch
  const ferry_event* first = nullptr;
  uint32_t taken = 0;
  bool barrier = false;
  while (!batches_.empty() && taken < max_events && !barrier) {
    auto& front = batches_.front();
    const ferry_event* ev = front->events();
    uint32_t begin = read_offset_;
    uint32_t end = begin;
    while (end < front->count() && taken < max_events) {
      barrier = sdk::is_barrier(ev[end].kind);
      ++end;
      ++taken;
      if (barrier) break;
    }
    if (first == nullptr) {
      first = ev + begin;
    } else {
      if (contiguous) {  // switch to a merged copy
        out.merged_.assign(first, first + (taken - (end - begin)));
        contiguous = false;
      }
    }
    if (!contiguous) out.merged_.insert(out.merged_.end(), ev + begin, ev + end);
    if (end == front->count()) {
      out.done_.push_back(std::move(front));
      batches_.pop_front();
      read_offset_ = 0;
    } else {
      read_offset_ = end;
      out.partial_ = front;  // still in the queue; pinned until the sink is done
    }
  }
  events_ -= taken;
  out.abi_.header = {sizeof(ferry_batch), FERRY_ABI_MAJOR, FERRY_ABI_MINOR};
  out.abi_.events = contiguous ? const_cast<ferry_event*>(first) : out.merged_.data();
  out.abi_.count = taken;
  out.abi_.capacity = taken;
  lock.unlock();
  return out;
}

std::vector<std::shared_ptr<EventBatch>> BoundedQueue::release(SinkBatch&& done) {
  std::vector<std::shared_ptr<EventBatch>> recyclable;
  {
    std::lock_guard lock(mu_);
    for (auto& b : done.done_) {
      bytes_ -= b->bytes();
      if (b.use_count() == 1) recyclable.push_back(std::move(b));
    }
    if (producer_waiting_ && under_low()) room_.notify_one();
  }
  return recyclable;
}

QueueStats BoundedQueue::stats() const {
  std::lock_guard lock(mu_);
  return {events_, bytes_, peak_events_, peak_bytes_};
}

}  // namespace ferry::core
