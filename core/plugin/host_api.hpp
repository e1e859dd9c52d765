// The host's half of the ABI: the ferry_host_api callback table and the per-instance context
// (ferry_host_ctx) every callback receives.
#pragma once

#include "errors/error_table.hpp"

#include <ferry/abi/ferry_abi.h>
#include <spdlog/logger.h>

#include <memory>
#include <mutex>
#include <string>

namespace ferry::core {
class Metrics;
}

// One per plugin instance. Lives in the PluginInstance that owns the plugin, so it outlives
// every callback the plugin can make.
struct ferry_host_ctx {
  std::string task;
  std::string plugin;  // the plugin's name
  std::string data_dir;
  std::string task_dir;
  bool remove_meta = false;  // `ferry run --remove-meta`: start over, dropping stored checkpoints
  std::shared_ptr<spdlog::logger> logger;
  ferry::core::Metrics* metrics = nullptr;  // may be null (plugins list, tests)

  std::mutex error_mu;  // a sink's own worker threads may report errors
  uint32_t error_code = 0;
  std::string error_message;
};

namespace ferry::core {

// The table handed to every plugin; static, valid for the process's life.
const ferry_host_api* host_api();

// The error the plugin reported with set_error, turned into a Failure; clears it. When the plugin
// returned a non-OK status without calling set_error, the failure says so.
Failure take_plugin_failure(ferry_host_ctx& ctx, uint32_t status, const char* operation);

}  // namespace ferry::core
