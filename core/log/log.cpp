#include "log/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace ferry::core::log {
namespace {

// Formats a record as one JSON object: time, level, component, msg (escaped).
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto t = std::chrono::system_clock::to_time_t(msg.time);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    fmt::format_to(std::back_inserter(dest), R"({{"time":"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z","level":"{}","component":")",
                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms,
                   spdlog::level::to_string_view(msg.level));
    escape(spdlog::string_view_t(msg.logger_name), dest);
    dest.append(std::string_view(R"(","msg":")"));
    escape(msg.payload, dest);
    dest.append(std::string_view("\"}\n"));
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }

 private:
  static void escape(spdlog::string_view_t s, spdlog::memory_buf_t& dest) {
    for (char c : s) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            fmt::format_to(std::back_inserter(dest), "\\u{:04x}", static_cast<int>(c));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
};

struct Settings {
  std::mutex mu;
  spdlog::level::level_enum level = spdlog::level::info;
  Format format = Format::Text;
  spdlog::sink_ptr sink;
};

Settings& settings() {
  static Settings s;  // process-wide by nature: spdlog's registry is too
  return s;
}

void apply(spdlog::logger& logger, const Settings& s) {
  logger.set_level(s.level);
  if (s.format == Format::Json) {
    logger.set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger.set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %n: %v");
  }
}

}  // namespace

void configure(const std::string& level, Format format) {
  Settings& s = settings();
  std::lock_guard lock(s.mu);
  s.level = spdlog::level::from_str(level);
  s.format = format;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { apply(*l, s); });
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
  Settings& s = settings();
  std::lock_guard lock(s.mu);
  if (auto existing = spdlog::get(component)) return existing;
  if (!s.sink) s.sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(component, s.sink);
  apply(*logger, s);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace ferry::core::log
