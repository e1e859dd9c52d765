#include "apply/commit_tracker.hpp"

namespace ferry::tidb {

uint64_t CommitTracker::begin(const BinlogPoint& end) {
  std::lock_guard lock(mu_);
  const uint64_t seq = next_seq_++;
  in_flight_.emplace(seq, std::make_pair(end, false));
  return seq;
}

void CommitTracker::done(const std::vector<uint64_t>& seqs) {
  std::lock_guard lock(mu_);
  for (uint64_t s : seqs) {
    auto it = in_flight_.find(s);
    if (it != in_flight_.end()) it->second.second = true;
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
  idle_.wait(lock, [&] { return in_flight_.size() < limit || failure_.has_value() || aborted_; });
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

void CommitTracker::abort() {
  std::lock_guard lock(mu_);
  aborted_ = true;
  idle_.notify_all();
}

}  // namespace ferry::tidb
