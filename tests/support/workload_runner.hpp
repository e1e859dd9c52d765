// Runs a Workload on a thread of its own, for a number of transactions, for a while, or until
// stopped: the writes a sync test keeps going while it kills, restarts or waits for ferry.
#pragma once

#include "support/connection.hpp"
#include "support/workload.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace ferry::testing {

// Owns its connection and thread; borrows the workload, which nothing else may use until the
// run has ended (stop() or wait_finished() returned). Its methods may be called from any thread.
// The destructor stops a run still going and drops its error: call stop() to see it.
// When a run ends by itself; the first limit reached ends it.
struct RunLimit {
  uint64_t transactions = 0;              // 0: no limit
  std::chrono::milliseconds duration{0};  // 0: no limit
};

class WorkloadRunner {
 public:
  WorkloadRunner(Workload& workload, Connection connection);
  ~WorkloadRunner();
  WorkloadRunner(const WorkloadRunner&) = delete;
  WorkloadRunner& operator=(const WorkloadRunner&) = delete;

  // Starts the thread; it runs transactions until the first limit is reached or stop(). With a
  // duration, how many commit depends on the machine, but they are always a prefix of the seed's
  // sequence. One run per runner.
  void start(RunLimit limit = {});
  // Lets the transaction in flight finish (committed or rolled back, never half), ends the run
  // and returns the totals. Throws std::runtime_error with the workload's error if it failed.
  WorkloadStats stop();
  // Waits for the run to end by its limit (or its error) and returns as stop() does. Without a
  // limit only an error ends it: use stop().
  WorkloadStats wait_finished();
  // Waits until at least `n` transactions are committed: true, or false if the run ended first
  // or `timeout` passed.
  bool wait_committed(uint64_t n, std::chrono::milliseconds timeout);

  uint64_t committed() const { return committed_.load(); }
  bool finished() const { return finished_.load(); }

 private:
  void loop(RunLimit limit);
  WorkloadStats join();

  Workload& workload_;
  Connection connection_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};
  std::atomic<uint64_t> committed_{0};
  mutable std::mutex mu_;
  std::condition_variable progress_;
  std::string error_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace ferry::testing
