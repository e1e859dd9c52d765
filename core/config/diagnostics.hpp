// Diagnostics: config problems collected while reading a task file, each reported as
// `file:line:col: message` so an editor can jump to it. Reading never stops at the first one.
#pragma once

#include <yaml-cpp/mark.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ferry::core::config {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  uint32_t code = 0;
  std::string message;

  std::string to_string() const;
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void add(const YAML::Mark& mark, uint32_t code, std::string message);
  void add_file_level(uint32_t code, std::string message);

  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  const std::string& file() const { return file_; }
  // Every diagnostic, one per line, in file order.
  std::string to_string() const;

 private:
  std::string file_;
  std::vector<Diagnostic> items_;
};

}  // namespace ferry::core::config
