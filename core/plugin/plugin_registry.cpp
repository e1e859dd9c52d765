#include "plugin/plugin_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace ferry::core {

void PluginRegistry::add_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    failures_.push_back({FERRY_E_PLUGIN_NOT_FOUND, fmt::format("plugin directory {} does not exist", dir.string()), false});
    return;
  }
  directories_.push_back(dir);
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".so") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());  // deterministic: the first of two duplicates wins
  for (const auto& f : files) add_library(f);
}

void PluginRegistry::add_library(const std::filesystem::path& file) {
  const auto canonical = std::filesystem::weakly_canonical(file);
  for (const auto& lib : libraries_) {
    if (lib->file() == canonical) return;  // the same file reached through two paths
  }
  auto loaded = PluginLibrary::load(canonical);
  if (auto* failure = std::get_if<Failure>(&loaded)) {
    failures_.push_back(std::move(*failure));
    return;
  }
  auto lib = std::get<std::shared_ptr<PluginLibrary>>(std::move(loaded));
  for (const PluginEntry& p : lib->plugins()) {
    auto [it, inserted] = by_name_.emplace(std::make_pair(std::string(p.def->name), p.def->kind), p);
    if (!inserted) {
      failures_.push_back({FERRY_E_PLUGIN_DUPLICATE,
                           fmt::format("{} plugin '{}' is provided by both {} and {}; remove one of them from the plugin path",
                                       plugin_kind_name(p.def->kind), p.def->name, it->second.file.string(), p.file.string()),
                           false});
    }
  }
  for (const CommandEntry& c : lib->commands()) {
    auto [it, inserted] = commands_.emplace(c.def->name, c);
    if (!inserted) {
      failures_.push_back({FERRY_E_PLUGIN_DUPLICATE,
                           fmt::format("command '{}' is provided by both {} and {}; remove one of them from the plugin path",
                                       c.def->name, it->second.file.string(), c.file.string()),
                           false});
    }
  }
  libraries_.push_back(std::move(lib));
}

const CommandEntry* PluginRegistry::find_command(const std::string& name) const {
  auto it = commands_.find(name);
  return it == commands_.end() ? nullptr : &it->second;
}

std::vector<const CommandEntry*> PluginRegistry::commands() const {
  std::vector<const CommandEntry*> out;
  for (const auto& [name, entry] : commands_) out.push_back(&entry);
  return out;
}

const PluginEntry* PluginRegistry::find(const std::string& name) const {
  auto it = by_name_.lower_bound(std::make_pair(name, 0u));
  return it == by_name_.end() || it->first.first != name ? nullptr : &it->second;
}

const PluginEntry* PluginRegistry::find(const std::string& name, uint32_t kind) const {
  auto it = by_name_.find(std::make_pair(name, kind));
  return it == by_name_.end() ? nullptr : &it->second;
}

std::vector<const PluginEntry*> PluginRegistry::find_all(const std::string& name) const {
  std::vector<const PluginEntry*> out;
  for (auto it = by_name_.lower_bound(std::make_pair(name, 0u)); it != by_name_.end() && it->first.first == name; ++it) {
    out.push_back(&it->second);
  }
  return out;
}

std::vector<const PluginEntry*> PluginRegistry::all() const {
  std::vector<const PluginEntry*> out;
  for (const auto& [name, entry] : by_name_) out.push_back(&entry);
  return out;
}

std::vector<std::filesystem::path> PluginRegistry::default_directories(const std::filesystem::path& fallback) {
  std::vector<std::filesystem::path> dirs;
  if (!fallback.empty()) dirs.push_back(fallback);
  if (const char* env = std::getenv("FERRY_PLUGIN_PATH")) {
    std::stringstream ss(env);
    std::string item;
    while (std::getline(ss, item, ':')) {
      if (!item.empty()) dirs.emplace_back(item);
    }
  }
  return dirs;
}

}  // namespace ferry::core
