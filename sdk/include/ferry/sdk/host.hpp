// Host: a plugin instance's handle on the host's callback table (logging, errors, metrics, task
// facts). Copied freely; valid for the instance's whole life; usable from any thread.
#pragma once

#include <ferry/abi/ferry_abi.h>
#include <ferry/sdk/status.hpp>

#include <string>
#include <string_view>

namespace ferry::sdk {

class Host {
 public:
  Host(const ferry_host_api* api, ferry_host_ctx* ctx) : api_(api), ctx_(ctx) {}

  void log(ferry_log_level level, std::string_view msg) const {
    api_->log(ctx_, level, msg.data(), static_cast<uint32_t>(msg.size()));
  }
  void debug(std::string_view msg) const { log(FERRY_LOG_DEBUG, msg); }
  void info(std::string_view msg) const { log(FERRY_LOG_INFO, msg); }
  void warn(std::string_view msg) const { log(FERRY_LOG_WARN, msg); }
  void error(std::string_view msg) const { log(FERRY_LOG_ERROR, msg); }

  void set_error(ferry_error_code code, std::string_view msg) const {
    api_->set_error(ctx_, code, msg.data(), static_cast<uint32_t>(msg.size()));
  }
  void counter_add(const char* name, double value) const {
    api_->metric(ctx_, FERRY_METRIC_COUNTER, name, value);
  }
  void gauge_set(const char* name, double value) const {
    api_->metric(ctx_, FERRY_METRIC_GAUGE, name, value);
  }
  // "task", "data-dir", "task-dir" or "remove-meta" (see ferry_host_api::task_info); empty when
  // the host does not know the key.
  std::string task_info(const char* key) const {
    const char* v = api_->task_info(ctx_, key);
    return v ? std::string(v) : std::string();
  }

  const ferry_host_api* api() const { return api_; }
  ferry_host_ctx* ctx() const { return ctx_; }

 private:
  const ferry_host_api* api_;
  ferry_host_ctx* ctx_;
};

}  // namespace ferry::sdk
