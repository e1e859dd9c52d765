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
    if (doc.IsMap() && doc["dump"] && doc["dump"].IsMap()) {
      const YAML::Node dump = doc["dump"];
      for (const char* role : {"source", "sink"}) {
        if (!dump[role] || !dump[role].IsScalar() || dump[role].Scalar().empty()) {
          diag.add(units.file, dump.Mark(), FERRY_E_CONFIG_FILE,
                   fmt::format("'dump.{}' must name the plugin that runs DM's dump and load units", role));
          return std::nullopt;
        }
      }
      units.dump_source = dump["source"];
      units.dump_sink = dump["sink"];
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
