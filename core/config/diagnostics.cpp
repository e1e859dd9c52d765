#include "config/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ferry::core::config {

std::string Diagnostic::to_string() const {
  if (line <= 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

void Diagnostics::add(const YAML::Mark& mark, uint32_t code, std::string message) {
  Diagnostic d{file_, 0, 0, code, std::move(message)};
  if (mark.line >= 0) {
    d.line = mark.line + 1;
    d.column = mark.column + 1;
  }
  items_.push_back(std::move(d));
}

void Diagnostics::add_file_level(uint32_t code, std::string message) {
  items_.push_back(Diagnostic{file_, 0, 0, code, std::move(message)});
}

std::string Diagnostics::to_string() const {
  std::vector<Diagnostic> sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  std::string out;
  for (const auto& d : sorted) {
    out += d.to_string();
    out += '\n';
  }
  return out;
}

}  // namespace ferry::core::config
