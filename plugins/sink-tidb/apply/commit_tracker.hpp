// CommitTracker: the units in flight between the coordinator and the DML workers. It knows the
// low watermark (every unit ending at or before it is committed downstream), lets the
// coordinator wait for the workers to drain, and holds the first permanent failure a worker
// met. Thread-safe.
#pragma once

#include "checkpoint/binlog_point.hpp"

#include <chrono>
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

  // A worker that must run alone holds the coordinator (dispatch waits in wait_released()) and
  // says how many units in flight are its own and the sequence number of its group's first;
  // wait_alone() returns once every unit in flight belongs to a holding worker and no holder's
  // group comes earlier upstream: holders run one at a time, in upstream order.
  void hold(uint32_t worker, size_t own_units, uint64_t first_seq);
  void release(uint32_t worker);
  void wait_released();
  bool wait_alone(uint32_t worker, std::chrono::milliseconds timeout);

 private:
  mutable std::mutex mu_;
  std::condition_variable idle_;
  std::map<uint64_t, std::pair<BinlogPoint, bool>> in_flight_;  // seq -> (end, committed)
  size_t pending_ = 0;  // units of in_flight_ not committed yet (the rest wait for the prefix)
  BinlogPoint low_;
  uint64_t next_seq_ = 1;
  std::optional<ApplyFailure> failure_;
  bool aborted_ = false;
  std::map<uint32_t, std::pair<size_t, uint64_t>> holds_;  // worker -> (its units in flight, first seq)
};

}  // namespace ferry::tidb
