#include "plugin/plugin_library.hpp"

#include "config/schema_validator.hpp"

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>
#include <fmt/std.h>

#include <cstddef>
#include <regex>

namespace ferry::core {

struct PluginLibrary::Handle {
  boost::dll::shared_library lib;
};

PluginLibrary::~PluginLibrary() {
  // Deliberately leak the mapping: instances of this library's plugins may still be
  // referenced by objects that are being torn down, and unloading is unpredictable anyway.
  if (handle_) (void)new boost::dll::shared_library(std::move(handle_->lib));
}

const char* plugin_kind_name(uint32_t kind) {
  switch (kind) {
    case FERRY_KIND_SOURCE: return "source";
    case FERRY_KIND_TRANSFORM: return "transform";
    case FERRY_KIND_SINK: return "sink";
    default: return "unknown";
  }
}

Failure check_plugin_def(const ferry_plugin_def* def, const std::filesystem::path& file) {
  auto bad = [&](const std::string& what) {
    return Failure{FERRY_E_PLUGIN_INVALID, fmt::format("plugin library {}: {}", file.string(), what), false};
  };
  if (def == nullptr) return bad("the manifest lists a null plugin");
  if (def->header.abi_major != FERRY_ABI_MAJOR || def->header.struct_size < sizeof(ferry_plugin_def)) {
    return bad(fmt::format("a plugin definition has ABI {}.{} and size {}, expected major {} and size {}",
                           def->header.abi_major, def->header.abi_minor, def->header.struct_size,
                           FERRY_ABI_MAJOR, sizeof(ferry_plugin_def)));
  }
  static const std::regex kName("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
  if (def->name == nullptr || !std::regex_match(def->name, kName)) {
    return bad(fmt::format("plugin name '{}' is not kebab-case", def->name ? def->name : "(null)"));
  }
  const std::string who = fmt::format("plugin '{}'", def->name);
  if (def->create == nullptr || def->destroy == nullptr) return bad(who + " has no create or destroy callback");
  const bool ok_kind = (def->kind == FERRY_KIND_SOURCE && def->source && def->source->open && def->source->poll &&
                        !def->transform && !def->sink) ||
                       (def->kind == FERRY_KIND_TRANSFORM && def->transform && def->transform->process &&
                        !def->source && !def->sink) ||
                       (def->kind == FERRY_KIND_SINK && def->sink && def->sink->open && def->sink->write &&
                        !def->source && !def->transform);
  if (!ok_kind) return bad(who + " has a kind that does not match its callbacks");
  if ((def->flags & FERRY_SINK_OWNS_CHECKPOINT) && (def->kind != FERRY_KIND_SINK || !def->sink->load_checkpoint)) {
    return bad(who + " claims to own checkpoints but has no load_checkpoint");
  }
  if (def->config_field_count > 0 && def->config_fields == nullptr) return bad(who + " declares config fields but gives none");
  if (auto problem = config::check_schema({def->config_fields, def->config_field_count})) {
    return bad(fmt::format("{} has an invalid config schema: {}", who, *problem));
  }
  return {};
}

std::variant<std::shared_ptr<PluginLibrary>, Failure> PluginLibrary::load(const std::filesystem::path& file) {
  auto lib = std::shared_ptr<PluginLibrary>(new PluginLibrary());
  lib->file_ = file;
  lib->handle_ = std::make_unique<Handle>();
  boost::dll::fs::error_code ec;
  lib->handle_->lib.load(file, boost::dll::load_mode::default_mode, ec);
  if (ec) {
    // Boost's message adds a meaningless errno text; dlerror's part before it is what helps.
    return Failure{FERRY_E_PLUGIN_LOAD, fmt::format("cannot load plugin library {}: {}", file.string(), ec.message()), false};
  }
  if (!lib->handle_->lib.has(FERRY_MANIFEST_SYMBOL)) {
    return Failure{FERRY_E_PLUGIN_NO_MANIFEST,
                   fmt::format("{} is not a ferry plugin library: it exports no '{}' symbol", file.string(), FERRY_MANIFEST_SYMBOL),
                   false};
  }
  auto& entry = lib->handle_->lib.get_alias<const ferry_manifest*(uint16_t, uint16_t)>(FERRY_MANIFEST_SYMBOL);
  const ferry_manifest* m = entry(FERRY_ABI_MAJOR, FERRY_ABI_MINOR);
  if (m == nullptr) {
    return Failure{FERRY_E_PLUGIN_INVALID, fmt::format("plugin library {} returned no manifest", file.string()), false};
  }
  if (m->header.abi_major != FERRY_ABI_MAJOR) {
    return Failure{FERRY_E_PLUGIN_ABI_MAJOR,
                   fmt::format("plugin library {} was built for ferry plugin ABI {}.{}, but this ferry speaks ABI {}.{}; "
                               "rebuild it against this ferry's SDK",
                               file.string(), m->header.abi_major, m->header.abi_minor, FERRY_ABI_MAJOR, FERRY_ABI_MINOR),
                   false};
  }
  if (m->header.abi_minor > FERRY_ABI_MINOR) {
    return Failure{FERRY_E_PLUGIN_ABI_MINOR,
                   fmt::format("plugin library {} needs ferry plugin ABI {}.{}, newer than this ferry's {}.{}; "
                               "upgrade ferry or rebuild the plugin against this ferry's SDK",
                               file.string(), m->header.abi_major, m->header.abi_minor, FERRY_ABI_MAJOR, FERRY_ABI_MINOR),
                   false};
  }
  if (m->header.struct_size < sizeof(ferry_manifest) || (m->plugin_count > 0 && m->plugins == nullptr)) {
    return Failure{FERRY_E_PLUGIN_INVALID, fmt::format("plugin library {} has a malformed manifest", file.string()), false};
  }
  lib->manifest_ = m;
  for (uint32_t i = 0; i < m->plugin_count; ++i) {
    if (Failure f = check_plugin_def(m->plugins[i], file)) return f;
    lib->plugins_.push_back(PluginEntry{m->plugins[i], file});
  }
  // Commands came with the manifest's last fields; a shorter manifest has none.
  const bool knows_commands = m->header.struct_size >= offsetof(ferry_manifest, commands) + sizeof(m->commands);
  const uint32_t command_count = knows_commands ? m->command_count : 0;
  static const std::regex kCommandName("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
  for (uint32_t i = 0; i < command_count; ++i) {
    const ferry_command_def& c = m->commands[i];
    if (c.name == nullptr || !std::regex_match(c.name, kCommandName) || c.run == nullptr) {
      return Failure{FERRY_E_PLUGIN_INVALID,
                     fmt::format("plugin library {}: command #{} has no kebab-case name or no run callback", file.string(), i + 1),
                     false};
    }
    lib->commands_.push_back(CommandEntry{&c, file});
  }
  return lib;
}

}  // namespace ferry::core
