#include "config/node_origins.hpp"

#include <fmt/format.h>

namespace ferry::core::config {

void NodeOrigins::add(const YAML::Node& node, const std::string& file, const std::string& key,
                      std::optional<YAML::Mark> mark) {
  entries_.emplace_back(node, NodeOrigin{file, key, mark.value_or(node.Mark())});
  if (node.IsMap()) {
    for (const auto& kv : node) add(kv.second, file, key + "." + kv.first.Scalar());
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) add(node[i], file, fmt::format("{}[{}]", key, i));
  }
}

const NodeOrigin* NodeOrigins::find(const YAML::Node& node) const {
  // Later entries win: a value registered on its own is more precise than its parent's walk.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->first.is(node)) return &it->second;
  }
  return nullptr;
}

}  // namespace ferry::core::config
