#include "apply/commit_tracker.hpp"

#include <algorithm>
#include <cstdint>

namespace ferry::tidb {

uint64_t CommitTracker::begin(const BinlogPoint& end) {
  std::lock_guard lock(mu_);
  const uint64_t seq = next_seq_++;
  in_flight_.emplace(seq, std::make_pair(end, false));
  ++pending_;
  return seq;
}

void CommitTracker::done(const std::vector<uint64_t>& seqs) {
  std::lock_guard lock(mu_);
  for (uint64_t s : seqs) {
    auto it = in_flight_.find(s);
    if (it != in_flight_.end() && !it->second.second) {
      it->second.second = true;
      --pending_;
    }
  }
  // The low watermark moves over the committed prefix.
  while (!in_flight_.empty() && in_flight_.begin()->second.second) {
    auto& end = in_flight_.begin()->second.first;
    if (!end.empty()) low_ = std::move(end);
    in_flight_.erase(in_flight_.begin());
  }
  idle_.notify_all();
}

std::optional<ApplyFailure> CommitTracker::wait_below(size_t limit) {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return pending_ < limit || failure_.has_value() || aborted_; });
  return failure_;
}

BinlogPoint CommitTracker::low() const {
  std::lock_guard lock(mu_);
  return low_;
}

std::optional<ApplyFailure> CommitTracker::wait_idle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return in_flight_.empty() || failure_.has_value() || aborted_; });
  return failure_;
}

void CommitTracker::fail(ApplyFailure failure) {
  std::lock_guard lock(mu_);
  if (!failure_) failure_ = std::move(failure);
  idle_.notify_all();
}

std::optional<ApplyFailure> CommitTracker::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

size_t CommitTracker::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_.size();
}

void CommitTracker::hold(uint32_t worker, size_t own_units, uint64_t first_seq) {
  std::lock_guard lock(mu_);
  holds_[worker] = {own_units, first_seq};
  idle_.notify_all();
}

void CommitTracker::release(uint32_t worker) {
  std::lock_guard lock(mu_);
  holds_.erase(worker);
  idle_.notify_all();
}

void CommitTracker::wait_released() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return holds_.empty() || failure_.has_value() || aborted_; });
}

bool CommitTracker::wait_alone(uint32_t worker, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return idle_.wait_for(lock, timeout, [&] {
    if (aborted_) return true;
    size_t held = 0;
    uint64_t earliest = UINT64_MAX;
    for (const auto& [w, h] : holds_) {
      held += h.first;
      earliest = std::min(earliest, h.second);
    }
    auto mine = holds_.find(worker);
    return pending_ <= held && mine != holds_.end() && mine->second.second == earliest;
  });
}

void CommitTracker::abort() {
  std::lock_guard lock(mu_);
  aborted_ = true;
  idle_.notify_all();
}

}  // namespace ferry::tidb
