#include "config/dm/dm_units.hpp"

#include "errors/error_table.hpp"

#include <fmt/format.h>

namespace ferry::core::config::dm {

std::optional<DmUnits> read_dm_units(const std::vector<std::filesystem::path>& dirs, Diagnostics& diag) {
  std::string searched;
  for (const auto& dir : dirs) {
    const auto path = dir / kDmUnitsFile;
    searched += (searched.empty() ? "" : ", ") + dir.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    DmUnits units;
    units.file = path.string();
    YAML::Node root;
    try {
      root = YAML::LoadFile(units.file);
    } catch (const YAML::Exception& e) {
      diag.add(units.file, e.mark, FERRY_E_CONFIG_FILE, "not valid YAML: " + e.msg);
      return std::nullopt;
    }
    const YAML::Node& doc = root;
    const bool has_sync = doc.IsMap() && doc["sync"] && doc["sync"].IsMap();
    const YAML::Node sync = has_sync ? doc["sync"] : YAML::Node();
    auto name = [&](const char* role) -> YAML::Node {
      if (has_sync && sync[role] && sync[role].IsScalar() && !sync[role].Scalar().empty()) return sync[role];
      diag.add(units.file, (has_sync ? sync : doc).Mark(), FERRY_E_CONFIG_FILE,
               fmt::format("'sync.{}' must name the plugin that runs DM's sync unit (reinstall ferry's plugins)", role));
      return YAML::Node();
    };
    units.sync_source = name("source");
    units.sync_sink = name("sink");
    // Optional units: both roles named, or the unit is absent.
    for (const char* unit : {"dump", "files"}) {
      if (!doc.IsMap() || !doc[unit] || !doc[unit].IsMap()) continue;
      const YAML::Node node = doc[unit];
      for (const char* role : {"source", "sink"}) {
        if (!node[role] || !node[role].IsScalar() || node[role].Scalar().empty()) {
          diag.add(units.file, node.Mark(), FERRY_E_CONFIG_FILE,
                   fmt::format("'{}.{}' must name the plugin that runs that unit's {}", unit, role, role));
          return std::nullopt;
        }
      }
      (std::string(unit) == "dump" ? units.dump_source : units.files_source) = node["source"];
      (std::string(unit) == "dump" ? units.dump_sink : units.files_sink) = node["sink"];
    }
    if (!units.sync_source.IsScalar() || !units.sync_sink.IsScalar()) return std::nullopt;
    return units;
  }
  diag.add_file_level(FERRY_E_CONFIG_FILE,
                      fmt::format("no {} in the plugin directories ({}): it names the plugins that run DM's units "
                                  "(reinstall ferry's plugins, or add --plugin-dir)",
                                  kDmUnitsFile, searched.empty() ? "none found" : searched));
  return std::nullopt;
}

}  // namespace ferry::core::config::dm
