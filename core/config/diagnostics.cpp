#include "config/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ferry::core::config {

std::string Diagnostic::to_string() const {
  if (line <= 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

void Diagnostics::add(const YAML::Mark& mark, uint32_t code, std::string message) {
  add(file_, mark, code, std::move(message));
}

void Diagnostics::add(const std::string& file, const YAML::Mark& mark, uint32_t code, std::string message) {
  Diagnostic d{file, 0, 0, code, std::move(message)};
  if (mark.line >= 0) {
    d.line = mark.line + 1;
    d.column = mark.column + 1;
  }
  push(std::move(d));
}

void Diagnostics::add_file_level(uint32_t code, std::string message) {
  push(Diagnostic{file_, 0, 0, code, std::move(message)});
}

void Diagnostics::merge(const Diagnostics& other) {
  for (const auto& d : other.items_) push(d);
}

void Diagnostics::push(Diagnostic d) {
  // A value can be checked twice (by a translator that reads it and by the schema it ends up
  // in); its problem is still one problem.
  auto same = [&](const Diagnostic& e) {
    return e.file == d.file && e.line == d.line && e.column == d.column && e.message == d.message;
  };
  if (std::none_of(items_.begin(), items_.end(), same)) items_.push_back(std::move(d));
}

std::string Diagnostics::to_string() const {
  std::vector<Diagnostic> sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(), [this](const Diagnostic& a, const Diagnostic& b) {
    if (a.file != b.file) {
      if (a.file == file_ || b.file == file_) return a.file == file_;
      return a.file < b.file;
    }
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
