// The host's implementation of the ABI's opaque ferry_config_node: a validated config value with
// defaults applied and ${ENV} references expanded. Built by the schema validator; immutable
// afterwards; owned by whoever holds the root (a plugin instance's config lives as long as it).
#pragma once

#include <ferry/abi/ferry_abi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct ferry_config_node {
  enum class Shape { Scalar, List, Map };

  Shape shape = Shape::Scalar;
  uint32_t type = 0;  // the declared ferry_config_type
  bool secret = false;
  std::string text;  // scalars: the text after env expansion (enum: the member)
  int64_t int_value = 0;  // INT, DURATION (ms), SIZE (bytes)
  double double_value = 0;
  bool bool_value = false;
  std::vector<std::unique_ptr<ferry_config_node>> items;                         // List
  std::vector<std::pair<std::string, std::unique_ptr<ferry_config_node>>> entries;  // Map / OBJECT

  const ferry_config_node* find(std::string_view key) const {
    for (const auto& [k, v] : entries) {
      if (k == key) return v.get();
    }
    return nullptr;
  }
};

namespace ferry::core::config {

using ConfigNodePtr = std::unique_ptr<ferry_config_node>;

// An OBJECT node with no entries: the config of a plugin that declares no keys.
ConfigNodePtr empty_object();

// The config readers of ferry_host_api, over ferry_config_node.
void fill_config_readers(ferry_host_api& api);

}  // namespace ferry::core::config

namespace ferry::core::config {
// A deep copy: each plugin instance owns its config, and a phase may be instantiated again.
ConfigNodePtr clone(const ferry_config_node& node);
}  // namespace ferry::core::config
