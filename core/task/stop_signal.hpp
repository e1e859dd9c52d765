// StopSignal: a request to stop that waits can be interrupted by. Set from a signal-watching
// thread or the daemon; read by the task's threads. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace ferry::core {

class StopSignal {
 public:
  void request() {
    {
      std::lock_guard lock(mu_);
      requested_ = true;
    }
    cv_.notify_all();
  }
  bool requested() const {
    std::lock_guard lock(mu_);
    return requested_;
  }
  // Waits up to `d`; returns true when a stop was requested (at once or during the wait).
  bool wait_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, d, [&] { return requested_; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
};

}  // namespace ferry::core
