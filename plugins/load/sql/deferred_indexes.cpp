#include "sql/deferred_indexes.hpp"

#include <sstream>

namespace ferry::load {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

// The back-quoted name right after `KEY `: "`k_1`" -> "k_1" (doubled quotes undone).
std::string index_name(const std::string& def, size_t from) {
  if (from >= def.size() || def[from] != '`') return {};
  std::string out;
  for (size_t i = from + 1; i < def.size(); ++i) {
    if (def[i] == '`') {
      if (i + 1 < def.size() && def[i + 1] == '`') {
        out.push_back('`');
        ++i;
        continue;
      }
      return out;
    }
    out.push_back(def[i]);
  }
  return {};
}

}  // namespace

DeferredIndexes defer_secondary_indexes(const std::string& create_statement) {
  DeferredIndexes out;
  out.create_statement = create_statement;
  if (create_statement.find("FOREIGN KEY") != std::string::npos) return out;
  std::vector<std::string> lines;
  std::istringstream in(create_statement);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.size() < 3) return out;

  std::vector<std::string> kept;
  DeferredIndexes found;
  for (const auto& line : lines) {
    std::string def = trim(line);
    const bool had_comma = !def.empty() && def.back() == ',';
    if (had_comma) def.pop_back();
    size_t name_at = std::string::npos;
    if (def.starts_with("KEY `")) name_at = 4;
    else if (def.starts_with("INDEX `")) name_at = 6;
    if (name_at != std::string::npos) {
      const std::string name = index_name(def, name_at);
      if (name.empty()) return out;  // not the form we know: defer nothing
      found.names.push_back(name);
      found.clauses.push_back("ADD " + def);
      continue;
    }
    kept.push_back(line);
  }
  if (found.names.empty()) return out;
  // The definition before the table's closing line must not end in a comma any more.
  for (size_t i = 1; i < kept.size(); ++i) {
    if (!trim(kept[i]).starts_with(")")) continue;
    std::string& prev = kept[i - 1];
    while (!prev.empty() && (prev.back() == ' ' || prev.back() == '\r')) prev.pop_back();
    if (!prev.empty() && prev.back() == ',') prev.pop_back();
    break;
  }
  std::string rebuilt;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i) rebuilt.push_back('\n');
    rebuilt += kept[i];
  }
  found.create_statement = rebuilt;
  return found;
}

}  // namespace ferry::load
