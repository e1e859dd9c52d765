// CommitTracker: the units in flight between the coordinator and the DML workers. It knows the
// low watermark (every unit ending at or before it is committed downstream), lets the
// coordinator wait for the workers to drain, and holds the first permanent failure a worker
// met. Thread-safe.
#pragma once

#include "checkpoint/binlog_point.hpp"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ferry::tidb {

struct ApplyFailure {
  uint32_t code = 0;  // ferry_error_code
  std::string message;
};

class CommitTracker {
 public:
  explicit CommitTracker(BinlogPoint start) : low_(std::move(start)) {}

  // A unit ending at `end` is handed to a worker; returns its sequence number.
  uint64_t begin(const BinlogPoint& end);
  // Units committed downstream.
  void done(const std::vector<uint64_t>& seqs);
  BinlogPoint low() const;
  // Blocks until nothing is in flight or a worker failed; returns the failure if one did.
  std::optional<ApplyFailure> wait_idle();
  // Blocks until fewer than `limit` units are in flight (backpressure on the coordinator).
  std::optional<ApplyFailure> wait_below(size_t limit);
  void fail(ApplyFailure failure);
  std::optional<ApplyFailure> failure() const;
  size_t in_flight() const;
  // Wakes wait_idle (when the sink is being destroyed).
  void abort();

 private:
  mutable std::mutex mu_;
  std::condition_variable idle_;
  std::map<uint64_t, std::pair<BinlogPoint, bool>> in_flight_;  // seq -> (end, committed)
  BinlogPoint low_;
  uint64_t next_seq_ = 1;
  std::optional<ApplyFailure> failure_;
  bool aborted_ = false;
};

}  // namespace ferry::tidb
