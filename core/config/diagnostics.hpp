// Diagnostics: config problems collected while reading a task file, each reported as
// `file:line:col: message` so an editor can jump to it. Reading never stops at the first one.
// A task read from several files (a DM task file and its source file) reports each problem in
// the file it is in.
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

  // In this collection's file. An item equal to one already there is not added twice.
  void add(const YAML::Mark& mark, uint32_t code, std::string message);
  // In another file.
  void add(const std::string& file, const YAML::Mark& mark, uint32_t code, std::string message);
  void add_file_level(uint32_t code, std::string message);
  // Takes `other`'s items, each keeping its file.
  void merge(const Diagnostics& other);

  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  const std::string& file() const { return file_; }
  // Every diagnostic, one per line: this collection's file first, then the others by name; in
  // each file, by position.
  std::string to_string() const;

 private:
  void push(Diagnostic d);

  std::string file_;
  std::vector<Diagnostic> items_;
};

}  // namespace ferry::core::config
