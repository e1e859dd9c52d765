// NodeOrigins: where the values of a task tree built in memory came from. A DM task file is
// translated into a native task tree that reuses the DM files' own YAML nodes (and adds a few
// computed ones); validating that tree must still report each problem at the DM file, line,
// column and key the value came from, not at the native key it became.
//
// Lifecycle: filled by the translator, then read by the schema validator; not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace ferry::core::config {

struct NodeOrigin {
  std::string file;  // the file the value came from
  std::string key;   // its dotted key there, as that file's user knows it ("from.port")
  YAML::Mark mark;   // where to point: the node's own mark, or a computed node's source
};

class NodeOrigins {
 public:
  // `format` names the files' format in messages ("DM key 'from.security' is not supported...").
  explicit NodeOrigins(std::string format) : format_(std::move(format)) {}

  const std::string& format() const { return format_; }

  // `node` came from `file` at `key`, and so did everything under it (keys and items are
  // appended to `key`). `mark` overrides the node's own mark: a value computed from a DM value
  // has none.
  void add(const YAML::Node& node, const std::string& file, const std::string& key,
           std::optional<YAML::Mark> mark = std::nullopt);

  // The origin of `node` (the same node, not an equal one), or nullptr.
  const NodeOrigin* find(const YAML::Node& node) const;

 private:
  std::string format_;
  std::vector<std::pair<YAML::Node, NodeOrigin>> entries_;
};

}  // namespace ferry::core::config
