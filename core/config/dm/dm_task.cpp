#include "config/dm/dm_task.hpp"

#include "config/dm/dm_file.hpp"
#include "config/dm/dm_source_file.hpp"
#include "config/dm/dm_task_file.hpp"
#include "config/dm/dm_units.hpp"
#include "config/dm/native_task.hpp"
#include "errors/error_table.hpp"

#include <fmt/format.h>

namespace ferry::core::config::dm {
namespace {

void take_warnings(DmFile& file, std::vector<Diagnostic>& out) {
  for (const auto& w : file.warnings().items()) out.push_back(w);
}

}  // namespace

bool is_dm_task_file(const std::filesystem::path& file) {
  try {
    const YAML::Node root = YAML::LoadFile(file.string());
    return root.IsMap() && (root["mysql-instances"] || root["target-database"]);
  } catch (const YAML::Exception&) {
    return false;
  }
}

DmTranslation translate_dm_task(const std::filesystem::path& task_path, const std::filesystem::path& source_path,
                                const PluginRegistry& registry) {
  DmFile task_file(task_path);
  DmFile source_file(source_path);
  Diagnostics diag(task_file.name());
  // Each file is checked in full before anything is translated: a structure problem would
  // otherwise show again as every value it leaves out.
  std::optional<DmTask> task;
  std::optional<DmSource> source;
  if (task_file.parse()) task = read_dm_task(task_file);
  if (source_file.parse()) source = read_dm_source(source_file);
  if (task && source && !task->source_id.empty() && !source->source_id.empty() && task->source_id != source->source_id) {
    task_file.error(task->instance["source-id"], FERRY_E_CONFIG_INVALID_VALUE,
                    fmt::format("'{}.source-id' is '{}', but the source file {} is '{}'", task->instance_key, task->source_id,
                                source_file.name(), source->source_id));
  }
  auto units = read_dm_units(registry.directories(), diag);
  diag.merge(task_file.errors());
  diag.merge(source_file.errors());
  if (!diag.empty()) throw TaskFileError(std::move(diag));

  DmTranslation out(task_file.name());
  out.native = build_native_task(task_file, *task, source_file, *source, *units, out.origins);
  out.errors.merge(task_file.errors());
  out.errors.merge(source_file.errors());
  take_warnings(task_file, out.warnings);
  take_warnings(source_file, out.warnings);
  return out;
}

TaskSpec load_dm_task_file(const std::filesystem::path& task_file, const std::filesystem::path& source_file,
                           PluginRegistry& registry) {
  DmTranslation t = translate_dm_task(task_file, source_file, registry);
  TaskSpec spec = load_task_root(t.native, task_file, registry, std::move(t.errors), &t.origins);
  spec.warnings = std::move(t.warnings);
  return spec;
}

}  // namespace ferry::core::config::dm
