// PluginInstance: one live plugin object with its host context and config. Owns the instance
// and destroys it through the plugin's own destroy callback; the library stays loaded.
#pragma once

#include "config/config_node.hpp"
#include "errors/error_table.hpp"
#include "plugin/host_api.hpp"
#include "plugin/plugin_library.hpp"

#include <memory>
#include <string>
#include <variant>

namespace ferry::core {

struct InstanceEnv {
  std::string task;
  std::string data_dir;
  std::string task_dir;
  Metrics* metrics = nullptr;
  bool remove_meta = false;
};

class PluginInstance {
 public:
  static std::variant<std::unique_ptr<PluginInstance>, Failure> create(const PluginEntry& entry,
                                                                       config::ConfigNodePtr config,
                                                                       const InstanceEnv& env);
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  const ferry_plugin_def& def() const { return *entry_.def; }
  const std::string& name() const { return ctx_.plugin; }
  ferry_instance* self() const { return self_; }
  ferry_host_ctx& ctx() { return ctx_; }

  // The failure behind a non-OK status just returned by `operation`.
  Failure failure(uint32_t status, const char* operation) { return take_plugin_failure(ctx_, status, operation); }

 private:
  PluginInstance() = default;
  PluginEntry entry_;
  config::ConfigNodePtr config_;
  ferry_host_ctx ctx_;
  ferry_instance* self_ = nullptr;
};

}  // namespace ferry::core
