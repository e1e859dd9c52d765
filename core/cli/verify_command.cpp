#include "cli/verify_command.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace ferry::cli {
namespace {

using Json = nlohmann::ordered_json;

// A config node as JSON, keys in the order the plugin declared them: durations in
// milliseconds and sizes in bytes, as the plugin reads them back.
Json to_json(const ferry_config_node& node) {
  switch (node.shape) {
    case ferry_config_node::Shape::List: {
      Json out = Json::array();
      for (const auto& item : node.items) out.push_back(to_json(*item));
      return out;
    }
    case ferry_config_node::Shape::Map: {
      Json out = Json::object();
      for (const auto& [key, value] : node.entries) out[key] = to_json(*value);
      return out;
    }
    case ferry_config_node::Shape::Scalar: break;
  }
  switch (node.type) {
    case FERRY_CONFIG_INT:
    case FERRY_CONFIG_DURATION:
    case FERRY_CONFIG_SIZE: return node.int_value;
    case FERRY_CONFIG_DOUBLE: return node.double_value;
    case FERRY_CONFIG_BOOL: return node.bool_value;
    default: return node.text;
  }
}

Json stage_config(const core::config::StageSpec& stage) {
  return stage.config ? to_json(*stage.config) : Json::object();
}

}  // namespace

std::string verify_task_json(const core::config::TaskSpec& spec) {
  const auto& first = spec.phases.front();
  const auto& last = spec.phases.back();
  Json transforms = Json::array();
  for (const auto& t : first.transforms) transforms.push_back({{"plugin", t.plugin->def->name}, {"config", stage_config(t)}});
  Json task = {{"task", spec.name},
               {"mode", spec.mode},
               {"upstream-plugin", first.source.plugin->def->name},
               {"upstream", stage_config(first.source)},
               {"downstream-plugin", last.sink.plugin->def->name},
               {"downstream", stage_config(last.sink)},
               {"transforms", std::move(transforms)}};
  return task.dump(-1, ' ', false, Json::error_handler_t::replace);
}

int verify_task(const std::filesystem::path& task_file, const TaskOptions& options, const CommonOptions& common,
                const VerifyFlags& flags) {
  auto registry = discover_plugins(common);
  auto spec = load_task(task_file, options, registry);
  if (!spec) return kExitBadInput;
  if (spec->phases.empty()) {
    std::fprintf(stderr, "error: %s: task %s has no phase, so no upstream and downstream to compare\n",
                 task_file.string().c_str(), spec->name.c_str());
    return kExitBadInput;
  }
  const core::CommandEntry* command = registry.find_command(kVerifyCommand);
  if (command == nullptr) {
    std::fprintf(stderr, "error: no plugin library provides the '%s' command that ferry verify runs; searched:",
                 kVerifyCommand);
    for (const auto& d : registry.directories()) std::fprintf(stderr, " %s", d.string().c_str());
    std::fprintf(stderr, " (build or install ferry-verify, or add its directory with --plugin-dir)\n");
    return kExitBadInput;
  }
  std::vector<std::string> args{"--task-json", verify_task_json(*spec)};
  if (flags.rows) args.emplace_back("--rows");
  if (flags.chunk_rows) {
    args.emplace_back("--chunk-rows");
    args.push_back(std::to_string(*flags.chunk_rows));
  }
  return run_plugin_command(*command, args);
}

}  // namespace ferry::cli
