#include "support/workload_runner.hpp"

#include <stdexcept>

namespace ferry::testing {

WorkloadRunner::WorkloadRunner(Workload& workload, Connection connection)
    : workload_(workload), connection_(std::move(connection)) {}

WorkloadRunner::~WorkloadRunner() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void WorkloadRunner::start(RunLimit limit) {
  if (thread_.joinable() || finished_) throw std::logic_error("WorkloadRunner::start called twice");
  thread_ = std::thread([this, limit] { loop(limit); });
}

void WorkloadRunner::loop(RunLimit limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit.duration;
  try {
    Workload::prepare_session(connection_);
    for (uint64_t done = 0; !stopping_; ++done) {
      if (limit.transactions && done >= limit.transactions) break;
      if (limit.duration.count() && std::chrono::steady_clock::now() >= deadline) break;
      if (workload_.run_transaction(connection_)) {
        {
          std::lock_guard lock(mu_);  // so that a waiter between its check and its sleep hears it
          committed_ = workload_.stats().committed;
        }
        progress_.notify_all();
      }
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(mu_);
    error_ = e.what();
  }
  {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  progress_.notify_all();
}

WorkloadStats WorkloadRunner::join() {
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  if (!error_.empty()) throw std::runtime_error("workload failed: " + error_);
  return workload_.stats();
}

WorkloadStats WorkloadRunner::stop() {
  stopping_ = true;
  return join();
}

WorkloadStats WorkloadRunner::wait_finished() { return join(); }

bool WorkloadRunner::wait_committed(uint64_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return progress_.wait_for(lock, timeout, [&] { return committed_.load() >= n || finished_.load(); }) &&
         committed_.load() >= n;
}

}  // namespace ferry::testing
