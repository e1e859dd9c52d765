#include "plugin/plugin_instance.hpp"

#include "log/log.hpp"

#include <fmt/format.h>

namespace ferry::core {

std::variant<std::unique_ptr<PluginInstance>, Failure> PluginInstance::create(const PluginEntry& entry,
                                                                              config::ConfigNodePtr config,
                                                                              const InstanceEnv& env) {
  std::unique_ptr<PluginInstance> p(new PluginInstance());
  p->entry_ = entry;
  p->config_ = config ? std::move(config) : config::empty_object();
  p->ctx_.task = env.task;
  p->ctx_.plugin = entry.def->name;
  p->ctx_.data_dir = env.data_dir;
  p->ctx_.task_dir = env.task_dir;
  p->ctx_.remove_meta = env.remove_meta;
  p->ctx_.metrics = env.metrics;
  p->ctx_.logger = log::get("plugin");
  p->self_ = entry.def->create(host_api(), &p->ctx_, p->config_.get());
  if (p->self_ == nullptr) {
    Failure f = take_plugin_failure(p->ctx_, FERRY_ERROR, "create");
    if (f.code == FERRY_E_PLUGIN_FAILED) f.code = FERRY_E_PLUGIN_CREATE;
    f.message += fmt::format(" (library {})", entry.file.string());
    return f;
  }
  return p;
}

PluginInstance::~PluginInstance() {
  if (self_ != nullptr) entry_.def->destroy(self_);
}

}  // namespace ferry::core
