#include "cli/progress_reporter.hpp"

#include "log/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace ferry::cli {

ProgressReporter::ProgressReporter(const core::TaskRunner& runner, const core::Metrics* metrics, bool tty,
                                   std::chrono::seconds log_every)
    : runner_(runner), metrics_(metrics), tty_(tty), log_every_(log_every) {}

namespace {

std::string duration_text(double seconds) {
  const auto s = static_cast<uint64_t>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace

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
  uint64_t last_rows = 0;
  double row_rate = 0;  // smoothed, for the ETA
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
    const uint64_t rows = c.rows_written.load();
    const double instant = secs > 0 && rows >= last_rows ? (rows - last_rows) / secs : 0;
    row_rate = row_rate == 0 ? instant : 0.7 * row_rate + 0.3 * instant;
    last_rows = rows;
    const double total = metrics_ != nullptr ? metrics_->gauge("progress_rows_total") : 0;
    std::string line;
    if (total > 0) {
      // A phase that knows its size: rows out of the total, and when it will be done.
      const double share = std::min(100.0, 100.0 * static_cast<double>(rows) / total);
      const std::string eta = row_rate > 0 && total > rows ? duration_text((total - rows) / row_rate) : "-";
      // Bytes too when the source says how much it reads (a dump: bytes of values read so far
      // out of the tables' on-disk size, which is only an estimate of them).
      const double bytes_total = metrics_->gauge("progress_bytes_total");
      const std::string bytes =
          bytes_total > 0 ? fmt::format(" bytes={:.1f}/~{:.1f} MB", metrics_->gauge("progress_bytes_done") / 1e6, bytes_total / 1e6)
                          : "";
      line = fmt::format("phase={} rows={}/{:.0f} ({:.0f}%){} rate={:.0f} rows/s eta={} queue={}", runner_.current_phase(),
                         rows, total, share, bytes, row_rate, eta, c.queue_events.load());
      if (tty_) {
        constexpr int kWidth = 24;
        const int filled = static_cast<int>(share / 100.0 * kWidth + 0.5);
        line = "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(kWidth - filled), '.') +
               "] " + line;
      }
    } else {
      line = fmt::format("phase={} pos={} gtid={} lag={} rate={:.0f}/s events={} rows={} queue={}", runner_.current_phase(),
                         position.empty() ? "-" : position, gtid.empty() ? "-" : gtid, lag, rate, events, rows,
                         c.queue_events.load());
    }
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      std::fflush(stderr);
    } else {
      logger->info("progress {}", line);
    }
  }
}

}  // namespace ferry::cli
