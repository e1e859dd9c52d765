#include "files/create_table.hpp"

#include "source/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace ferry::load {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// `name` at `pos` (back-quoted); advances past it.
bool quoted_name(const std::string& line, size_t& pos, std::string& out) {
  out.clear();
  if (pos >= line.size() || line[pos] != '`') return false;
  for (size_t i = pos + 1; i < line.size(); ++i) {
    if (line[i] == '`') {
      if (i + 1 < line.size() && line[i + 1] == '`') {
        out.push_back('`');
        ++i;
        continue;
      }
      pos = i + 1;
      return true;
    }
    out.push_back(line[i]);
  }
  return false;
}

// The names in a key's column list "(`a`,`b`(10))".
std::vector<std::string> key_columns(const std::string& line, size_t open) {
  std::vector<std::string> out;
  size_t pos = open + 1;
  while (pos < line.size() && line[pos] != ')') {
    if (line[pos] == '`') {
      std::string name;
      if (!quoted_name(line, pos, name)) break;
      out.push_back(name);
      if (pos < line.size() && line[pos] == '(') pos = line.find(')', pos) + 1;  // a prefix length
      continue;
    }
    ++pos;
  }
  return out;
}

// The word after `key` ("CHARSET=" / "CHARACTER SET ") in `text`, lower case; empty when absent.
std::string word_after(const std::string& text, const std::string& key) {
  const auto at = text.find(key);
  if (at == std::string::npos) return {};
  size_t p = at + key.size();
  std::string out;
  while (p < text.size() && (std::isalnum(static_cast<unsigned char>(text[p])) || text[p] == '_')) out.push_back(text[p++]);
  return lower(out);
}

}  // namespace

uint16_t collation_id(const std::string& name) {
  // Character sets by their default collation, and the collations seen most often.
  static const std::map<std::string, uint16_t> ids = {
      {"big5", 1},         {"latin2", 9},          {"dec8", 3},           {"cp850", 4},          {"hp8", 6},
      {"koi8r", 7},        {"latin1", 8},          {"swe7", 10},          {"ascii", 11},         {"ujis", 12},
      {"sjis", 13},        {"hebrew", 16},         {"tis620", 18},        {"euckr", 19},         {"koi8u", 22},
      {"gb2312", 24},      {"greek", 25},          {"cp1250", 26},        {"gbk", 28},           {"latin5", 30},
      {"armscii8", 32},    {"utf8", 33},           {"utf8mb3", 33},       {"ucs2", 35},          {"cp866", 36},
      {"keybcs2", 37},     {"macce", 38},          {"macroman", 39},      {"cp852", 40},         {"latin7", 41},
      {"utf8mb4", 45},     {"cp1251", 51},         {"utf16", 54},         {"utf16le", 56},       {"cp1256", 57},
      {"cp1257", 59},      {"utf32", 60},          {"binary", 63},        {"geostd8", 92},       {"cp932", 95},
      {"eucjpms", 97},     {"gb18030", 248},       {"latin1_bin", 47},    {"latin1_general_ci", 48},
      {"latin1_swedish_ci", 8}, {"utf8mb4_general_ci", 45}, {"utf8mb4_bin", 46}, {"utf8mb4_unicode_ci", 224},
      {"utf8mb4_unicode_520_ci", 246}, {"utf8mb4_0900_ai_ci", 255}, {"utf8mb4_nopad_bin", 1070},
      {"utf8_general_ci", 33}, {"utf8mb3_general_ci", 33}, {"utf8_bin", 83}, {"utf8mb3_bin", 83},
      {"utf8_unicode_ci", 192}, {"utf8mb3_unicode_ci", 192}, {"ascii_bin", 65}, {"ascii_general_ci", 11}};
  auto it = ids.find(lower(name));
  if (it != ids.end()) return it->second;
  // An unlisted collation: its character set's default (the bytes are the charset's either way).
  const auto underscore = name.find('_');
  if (underscore != std::string::npos) {
    it = ids.find(lower(name.substr(0, underscore)));
    if (it != ids.end()) return it->second;
  }
  return 0;
}

bool table_from_create(const std::string& schema, const std::string& statement, dump::DumpTable& out, std::string& error) {
  std::vector<std::string> lines;
  std::istringstream in(statement);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.size() < 3) {
    error = "not a CREATE TABLE statement with one definition per line";
    return false;
  }
  size_t pos = lines[0].find('`');
  std::string table;
  if (lines[0].find("CREATE TABLE") == std::string::npos || pos == std::string::npos || !quoted_name(lines[0], pos, table)) {
    error = "the first line is not CREATE TABLE `name` (";
    return false;
  }
  // The table's default character set, from the closing line.
  std::string table_charset;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (it->starts_with(")")) {
      table_charset = word_after(*it, "COLLATE=");
      if (table_charset.empty()) table_charset = word_after(*it, "CHARSET=");
      break;
    }
  }
  out.schema = schema;
  out.table = table;
  out.create_statement = statement;
  out.columns.clear();
  std::vector<uint8_t> types, flags;
  std::vector<uint16_t> charsets;
  std::vector<uint32_t> pk;
  std::vector<std::vector<uint32_t>> uniques;
  std::vector<std::string> unique_names;
  auto position = [&](const std::string& name) -> std::optional<uint32_t> {
    for (uint32_t i = 0; i < out.columns.size(); ++i) {
      if (out.columns[i].name == name) return i;
    }
    return std::nullopt;
  };
  for (size_t l = 1; l < lines.size(); ++l) {
    std::string line = lines[l];
    size_t p = line.find_first_not_of(' ');
    if (p == std::string::npos) continue;
    if (line[p] == '`') {
      dump::DumpColumn c;
      if (!quoted_name(line, p, c.name)) {
        error = "line " + std::to_string(l + 1) + ": a column name that does not end";
        return false;
      }
      ++p;  // the space after the name
      // The type: a word, then (arguments) with quoted members, then unsigned / zerofill.
      size_t q = p;
      while (q < line.size() && (std::isalnum(static_cast<unsigned char>(line[q])) || line[q] == '_')) ++q;
      const std::string data_type = lower(line.substr(p, q - p));
      std::string type = data_type;
      if (q < line.size() && line[q] == '(') {
        bool quoted = false;
        size_t r = q;
        for (; r < line.size(); ++r) {
          if (line[r] == '\'') {
            if (quoted && r + 1 < line.size() && line[r + 1] == '\'') {
              ++r;
              continue;
            }
            quoted = !quoted;
          } else if (line[r] == ')' && !quoted) {
            break;
          }
        }
        type += line.substr(q, r + 1 - q);
        q = r + 1;
      }
      const std::string rest = line.substr(q);
      const bool is_unsigned = rest.starts_with(" unsigned");
      if (is_unsigned) type += " unsigned";
      if (rest.find(" zerofill") != std::string::npos) type += " zerofill";
      c.column_type = type;
      std::string charset = word_after(rest, "COLLATE ");
      if (charset.empty()) charset = word_after(rest, "CHARACTER SET ");
      const bool text_type = data_type.find("char") != std::string::npos || data_type.find("text") != std::string::npos ||
                             data_type == "enum" || data_type == "set" || data_type == "json";
      const bool binary = data_type.find("binary") != std::string::npos || data_type.find("blob") != std::string::npos ||
                          charset == "binary";
      uint16_t id = 0;
      if (binary) {
        id = 63;
      } else if (text_type) {
        id = collation_id(charset.empty() ? table_charset : charset);
      }
      const auto info = dump::type_info(data_type, is_unsigned, binary);
      if (!info) {
        error = "column `" + c.name + "` has type " + type + ", which ferry cannot carry exactly yet";
        return false;
      }
      c.kind = info->kind;
      if (c.kind == dump::CellKind::Bit) {
        const auto open = type.find('(');
        c.bit_width = open == std::string::npos ? 1 : static_cast<uint16_t>(std::stoi(type.substr(open + 1)));
      }
      if (c.kind == dump::CellKind::Enum || c.kind == dump::CellKind::Set) c.members = mysql::parse_enum_members(type);
      c.generated = rest.find(" GENERATED ALWAYS AS ") != std::string::npos || rest.find(" AS (") != std::string::npos;
      uint8_t f = 0;
      if (is_unsigned) f |= FERRY_COLUMN_UNSIGNED;
      if (rest.find(" NOT NULL") == std::string::npos) f |= FERRY_COLUMN_NULLABLE;
      if (binary) f |= FERRY_COLUMN_BINARY;
      if (c.generated) f |= FERRY_COLUMN_GENERATED;
      types.push_back(info->mysql_type);
      flags.push_back(f);
      charsets.push_back(id);
      out.columns.push_back(std::move(c));
      continue;
    }
    const std::string def = line.substr(p);
    const bool primary = def.starts_with("PRIMARY KEY (");
    const bool unique = def.starts_with("UNIQUE KEY `") || def.starts_with("UNIQUE INDEX `");
    if (!primary && !unique) continue;
    std::string name = "PRIMARY";
    size_t at = def.find('`');
    if (unique && !quoted_name(def, at, name)) continue;
    const size_t open = def.find('(', primary ? 0 : at);
    std::vector<uint32_t> cols;
    for (const auto& col : key_columns(def, open)) {
      if (auto i = position(col)) cols.push_back(*i);
    }
    if (primary) {
      pk = cols;
      for (uint32_t i : pk) flags[i] |= FERRY_COLUMN_PRIMARY_KEY;
    } else if (!cols.empty()) {
      uniques.push_back(cols);
      unique_names.push_back(name);
    }
  }
  if (out.columns.empty()) {
    error = "no column definitions";
    return false;
  }
  out.seal(pk, uniques, unique_names, types, flags, charsets);
  return true;
}

}  // namespace ferry::load
