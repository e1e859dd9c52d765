#include "config/task_file.hpp"

#include "config/schema_validator.hpp"

#include <ferry/sdk/schema.hpp>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace ferry::core::config {
namespace {

namespace s = ferry::sdk;

// The task file's own keys, declared with the same builder plugins use.
s::ConfigSchema& top_level_schema() {
  static s::ConfigSchema schema;
  static bool built = [] {
    schema.add(s::string("name").required().describe("task name; prefixes its checkpoint tables"));
    schema.add(s::enumeration("task-mode", {"full", "incremental", "all"}).required()
                   .describe("full = dump then load; incremental = sync; all = full, then sync from the snapshot"));
    schema.add(s::string("data-dir").default_value("ferry-data").describe("the task's local state (under it, a folder per task)"));
    schema.add(s::list("plugin-dir", s::string("dir")).describe("more directories to load plugins from"));
    schema.add(s::object("queue", {
        s::integer("max-events").default_value("65536").min(1).describe("events held between source and sink"),
        s::size("max-bytes").default_value("64MiB").min(64 * 1024).describe("bytes held between source and sink"),
        s::number("low-watermark").default_value("0.5").min(0).max(1).describe("fraction of the caps below which a blocked source resumes"),
        s::integer("batch-events").default_value("1024").min(1).max(1 << 20).describe("events per source poll and per sink write"),
    }));
    schema.add(s::object("retry", {
        s::duration("initial-backoff").default_value("500ms").min(1).describe("first wait after a retryable error"),
        s::duration("max-backoff").default_value("30s").min(1).describe("longest wait between retries"),
        s::integer("max-retries").default_value("20").min(0).describe("consecutive retries before the task pauses"),
    }));
    return true;
  }();
  (void)built;
  return schema;
}


StageSpec load_stage(const YAML::Node& node, const std::string& path, uint32_t kind, PluginRegistry& registry,
                     Diagnostics& diag, const NodeOrigins* origins) {
  StageSpec stage;
  if (!node.IsMap()) {
    diag.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a mapping with a 'plugin' key", path));
    return stage;
  }
  const YAML::Node name = node["plugin"];
  if (!name || !name.IsScalar()) {
    diag.add(node.Mark(), FERRY_E_CONFIG_MISSING_KEY, fmt::format("missing required key '{}.plugin'", path));
    return stage;
  }
  // A translated task's plugin names come from a file of their own (DM's dm-units.yaml).
  const NodeOrigin* origin = origins ? origins->find(name) : nullptr;
  auto report = [&](uint32_t code, const std::string& message) {
    if (origin) {
      diag.add(origin->file, origin->mark, code, message);
    } else {
      diag.add(name.Mark(), code, message);
    }
  };
  const std::string& shown = origin ? origin->key : path;
  const PluginEntry* entry = registry.find(name.Scalar(), kind);
  if (entry == nullptr) entry = registry.find(name.Scalar());  // of another kind: said below
  if (entry == nullptr) {
    std::string known;
    for (const PluginEntry* p : registry.all()) {
      if (p->def->kind == kind) known += (known.empty() ? "" : ", ") + std::string(p->def->name);
    }
    report(FERRY_E_PLUGIN_NOT_FOUND, fmt::format("unknown {} plugin '{}' in '{}' (known: {})", plugin_kind_name(kind),
                                                 name.Scalar(), shown, known.empty() ? "none" : known));
    return stage;
  }
  if (entry->def->kind != kind) {
    report(FERRY_E_CONFIG_INVALID_VALUE, fmt::format("plugin '{}' is a {}, but '{}' needs a {}", name.Scalar(),
                                                     plugin_kind_name(entry->def->kind), shown, plugin_kind_name(kind)));
    return stage;
  }
  stage.plugin = entry;
  ValidateOptions options;
  options.owner = fmt::format("plugin '{}'", entry->def->name);
  options.skip_keys = {"plugin"};
  options.path = path;
  options.origins = origins;
  stage.config = validate_object(node, {entry->def->config_fields, entry->def->config_field_count}, diag, options);
  return stage;
}

void load_phase(const YAML::Node& node, const std::string& name, PluginRegistry& registry, Diagnostics& diag,
                const NodeOrigins* origins, PhaseSpec& phase) {
  phase.name = name;
  if (!node.IsMap()) {
    diag.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a mapping with source, transforms and sink", name));
    return;
  }
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (key != "source" && key != "transforms" && key != "sink") {
      diag.add(kv.first.Mark(), FERRY_E_CONFIG_UNKNOWN_KEY,
               fmt::format("unknown key '{}.{}' (a phase has source, transforms and sink)", name, key));
    }
  }
  if (node["source"]) {
    phase.source = load_stage(node["source"], name + ".source", FERRY_KIND_SOURCE, registry, diag, origins);
  } else {
    diag.add(node.Mark(), FERRY_E_CONFIG_MISSING_KEY, fmt::format("missing required key '{}.source'", name));
  }
  if (node["sink"]) {
    phase.sink = load_stage(node["sink"], name + ".sink", FERRY_KIND_SINK, registry, diag, origins);
  } else {
    diag.add(node.Mark(), FERRY_E_CONFIG_MISSING_KEY, fmt::format("missing required key '{}.sink'", name));
  }
  if (const YAML::Node transforms = node["transforms"]) {
    if (!transforms.IsSequence()) {
      diag.add(transforms.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}.transforms' must be a list", name));
    } else {
      for (size_t i = 0; i < transforms.size(); ++i) {
        phase.transforms.push_back(
            load_stage(transforms[i], fmt::format("{}.transforms[{}]", name, i), FERRY_KIND_TRANSFORM, registry, diag, origins));
      }
    }
  }
}

}  // namespace

TaskSpec load_task_file(const std::filesystem::path& file, PluginRegistry& registry) {
  Diagnostics diag(file.string());
  std::ifstream in(file);
  if (!in) {
    diag.add_file_level(FERRY_E_CONFIG_FILE, "cannot open the task file");
    throw TaskFileError(std::move(diag));
  }
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::ParserException& e) {
    diag.add(e.mark, FERRY_E_CONFIG_SYNTAX, "YAML syntax error: " + e.msg);
    throw TaskFileError(std::move(diag));
  }
  return load_task_root(root, file, registry, std::move(diag));
}

TaskSpec load_task_root(const YAML::Node& root, const std::filesystem::path& file, PluginRegistry& registry,
                        Diagnostics diag, const NodeOrigins* origins) {
  if (!root.IsMap()) {
    diag.add(root.Mark(), FERRY_E_CONFIG_INVALID_VALUE, "a task file is a mapping of keys (name, task-mode, phases)");
    throw TaskFileError(std::move(diag));
  }

  TaskSpec spec;
  spec.file = std::filesystem::absolute(file);
  spec.task_dir = spec.file.parent_path();

  ValidateOptions options;
  options.skip_keys = {"full", "incremental"};
  options.origins = origins;
  auto& schema = top_level_schema();
  ConfigNodePtr top = validate_object(root, {schema.data(), schema.size()}, diag, options);

  if (const ferry_config_node* dirs = top->find("plugin-dir")) {
    for (const auto& d : dirs->items) {
      std::filesystem::path p(d->text);
      registry.add_directory(p.is_absolute() ? p : spec.task_dir / p);
    }
  }

  if (const ferry_config_node* n = top->find("name")) {
    spec.name = n->text;
    static const std::regex kName("^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$");
    if (!std::regex_match(spec.name, kName)) {
      diag.add(root["name"].Mark(), FERRY_E_CONFIG_INVALID_VALUE,
               fmt::format("'name' must be 1-64 letters, digits, '_' or '-' (it names tables and files), got '{}'", spec.name));
    }
  }
  if (const ferry_config_node* n = top->find("task-mode")) spec.mode = n->text;
  if (const ferry_config_node* n = top->find("data-dir")) {
    std::filesystem::path p(n->text);
    spec.data_dir = (p.is_absolute() ? p : spec.task_dir / p) / (spec.name.empty() ? "unnamed" : spec.name);
  }
  // Values that failed validation are absent from the tree (and already reported): keep the
  // built-in defaults for them so reading can go on and report the rest.
  auto number = [](const ferry_config_node* obj, const char* key, auto fallback) {
    const ferry_config_node* n = obj ? obj->find(key) : nullptr;
    if (n == nullptr) return fallback;
    if constexpr (std::is_floating_point_v<decltype(fallback)>) {
      return n->double_value;
    } else {
      return static_cast<decltype(fallback)>(n->int_value);
    }
  };
  const ferry_config_node* queue = top->find("queue");
  auto& p = spec.pipeline;
  p.queue.max_events = number(queue, "max-events", p.queue.max_events);
  p.queue.max_bytes = number(queue, "max-bytes", p.queue.max_bytes);
  p.queue.low_watermark = number(queue, "low-watermark", p.queue.low_watermark);
  p.source_batch_events = p.sink_batch_events = number(queue, "batch-events", p.source_batch_events);
  const ferry_config_node* retry = top->find("retry");
  p.retry.initial_backoff = std::chrono::milliseconds(number(retry, "initial-backoff", p.retry.initial_backoff.count()));
  p.retry.max_backoff = std::chrono::milliseconds(number(retry, "max-backoff", p.retry.max_backoff.count()));
  p.retry.max_retries = number(retry, "max-retries", p.retry.max_retries);

  // Phases: the mode says which must be there; one the mode does not run is a mistake (DM too
  // rejects config it would not use).
  const bool wants_full = spec.mode == "full" || spec.mode == "all";
  const bool wants_incremental = spec.mode == "incremental" || spec.mode == "all";
  for (const char* phase : {"full", "incremental"}) {
    const bool wanted = std::string(phase) == "full" ? wants_full : wants_incremental;
    const YAML::Node node = root[phase];
    if (!node) {
      if (wanted) {
        diag.add(root.Mark(), FERRY_E_CONFIG_MISSING_KEY,
                 fmt::format("task-mode '{}' needs a '{}' phase (source, transforms, sink)", spec.mode, phase));
      }
      continue;
    }
    if (!wanted && !spec.mode.empty()) {
      diag.add(root[phase].Mark(), FERRY_E_CONFIG_INVALID_VALUE,
               fmt::format("phase '{}' is defined but task-mode '{}' does not run it", phase, spec.mode));
      continue;
    }
    PhaseSpec ph;
    load_phase(node, phase, registry, diag, origins, ph);
    spec.phases.push_back(std::move(ph));
  }
  if (!diag.empty()) throw TaskFileError(std::move(diag));
  return spec;
}

}  // namespace ferry::core::config
