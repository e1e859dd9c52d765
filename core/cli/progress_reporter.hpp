// ProgressReporter: shows a running task's progress. On a terminal one status line, redrawn each
// second; otherwise a log line every `log_every`. Runs its own thread from start() to stop().
// While a source reports how many rows its phase will read (the gauge `progress_rows_total`),
// the line shows rows done out of it, the share and an ETA.
#pragma once

#include "metrics/metrics.hpp"
#include "pipeline/pipeline.hpp"
#include "task/task_runner.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace ferry::cli {

class ProgressReporter {
 public:
  ProgressReporter(const core::TaskRunner& runner, const core::Metrics* metrics, bool tty, std::chrono::seconds log_every);
  ~ProgressReporter();
  void start();
  void stop();

 private:
  void loop();

  const core::TaskRunner& runner_;
  const core::Metrics* metrics_;
  bool tty_;
  std::chrono::seconds log_every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ferry::cli
