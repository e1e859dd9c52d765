#include "cli/progress_reporter.hpp"

#include "log/log.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace ferry::cli {

ProgressReporter::ProgressReporter(const core::TaskRunner& runner, bool tty, std::chrono::seconds log_every)
    : runner_(runner), tty_(tty), log_every_(log_every) {}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::start() { thread_ = std::thread([this] { loop(); }); }

void ProgressReporter::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (tty_) std::fputs("\n", stderr);
}

void ProgressReporter::loop() {
  auto logger = core::log::get("progress");
  const auto tick = tty_ ? std::chrono::seconds(1) : log_every_;
  uint64_t last_events = 0;
  auto last_time = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, tick, [&] { return stopping_; })) {
    const auto& c = runner_.counters();
    const auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - last_time).count();
    const uint64_t events = c.events_written.load();
    const double rate = secs > 0 ? (events - last_events) / secs : 0;
    last_events = events;
    last_time = now;
    const int64_t ts = c.last_timestamp_us.load();
    std::string lag = "-";
    if (ts > 0) {
      const int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
      lag = fmt::format("{:.1f}s", (now_us - ts) / 1e6);
    }
    const auto [position, gtid] = c.checkpoint();
    const std::string line = fmt::format("phase={} pos={} gtid={} lag={} rate={:.0f}/s events={} rows={} queue={}",
                                         runner_.current_phase(), position.empty() ? "-" : position,
                                         gtid.empty() ? "-" : gtid, lag, rate, events, c.rows_written.load(),
                                         c.queue_events.load());
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      std::fflush(stderr);
    } else {
      logger->info("progress {}", line);
    }
  }
}

}  // namespace ferry::cli
