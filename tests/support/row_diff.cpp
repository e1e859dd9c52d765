#include "support/row_diff.hpp"

#include "support/sql_text.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace ferry::testing {
namespace {

constexpr size_t kFullRowValueChars = 24;  // per value when a whole row is shown

std::string unhex(const std::string& hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  auto digit = [](char c) { return c <= '9' ? c - '0' : (c & ~0x20) - 'A' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1]));
  return out;
}

// Length of the UTF-8 sequence at `s[i]`, or 0 if it is not a valid, printable one.
size_t printable_utf8_at(const std::string& s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return c >= 0x20 && c != 0x7F ? 1 : 0;
  const size_t n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

std::string render_bytes(const std::string& bytes, size_t max_chars) {
  bool printable = true;
  for (size_t i = 0; i < bytes.size() && printable;) {
    const size_t n = printable_utf8_at(bytes, i);
    printable = n > 0;
    i += n;
  }
  std::string out;
  bool cut = false;
  if (printable) {
    size_t i = 0;
    for (size_t chars = 0; i < bytes.size() && chars < max_chars; ++chars) i += printable_utf8_at(bytes, i);
    cut = i < bytes.size();
    out = "'" + bytes.substr(0, i) + "'";
  } else {
    const std::string hex = sql_hex(bytes);  // X'...'
    const std::string digits = hex.substr(2, hex.size() - 3);
    cut = digits.size() > max_chars;
    out = "0x" + digits.substr(0, max_chars);
  }
  if (cut) out += "... (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

// Two values of one column that differ: long byte strings are shown from just before their
// first differing byte, which a cut-off start would hide.
std::string render_difference(const std::string& up, const std::string& down, ValueEncoding encoding) {
  if (encoding == ValueEncoding::Hex && up != "NULL" && down != "NULL") {
    const std::string a = unhex(up);
    const std::string b = unhex(down);
    if (a.size() > 16 || b.size() > 16) {
      const size_t at = static_cast<size_t>(std::mismatch(a.begin(), a.begin() + static_cast<long>(std::min(a.size(), b.size())), b.begin()).first - a.begin());
      const size_t from = at > 8 ? at - 8 : 0;
      return std::to_string(a.size()) + " bytes upstream, " + std::to_string(b.size()) +
             " downstream, first difference at byte " + std::to_string(at) + ": from byte " + std::to_string(from) +
             " " + render_bytes(a.substr(from, 24), 48) + " upstream, " + render_bytes(b.substr(from, 24), 48) +
             " downstream";
    }
  }
  return render_value(up, encoding) + " upstream, " + render_value(down, encoding) + " downstream";
}

std::string render_row(const TableShape& shape, const std::vector<std::string>& values, const std::vector<size_t>& which) {
  std::string out;
  for (size_t i : which) {
    out += (out.empty() ? "" : ", ") + shape.columns[i].name + "=" +
           render_value(values[i], shape.columns[i].encoding(), kFullRowValueChars);
  }
  return out;
}

std::vector<size_t> all_columns(const TableShape& shape) {
  std::vector<size_t> all(shape.columns.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return all;
}

// Each column's exact expression as a column of its own, for the rows `where` selects.
std::vector<std::vector<std::string>> fetch_values(Connection& connection, const TableShape& shape,
                                                   const std::string& where) {
  std::string select;
  for (const auto& c : shape.columns) select += (select.empty() ? "" : ", ") + c.exact_expression();
  std::vector<std::vector<std::string>> out;
  for (const Row& row : connection.query("SELECT " + select + " FROM " + sql_table(shape.schema, shape.name) + " WHERE " + where)) {
    auto& values = out.emplace_back();
    for (const auto& v : row) values.push_back(v.value_or("NULL"));
  }
  return out;
}

std::string in_list(const std::vector<std::string>& items) {
  std::string out = "(";
  for (const auto& item : items) out += (out.size() > 1 ? ", " : "") + sql_string(item);
  return out + ")";
}

std::vector<std::string> keyed_differences(Connection& up, const TableShape& us, Connection& down, const TableShape& ds,
                                           size_t limit) {
  auto fingerprints = [](Connection& c, const TableShape& s) {
    std::map<std::string, std::string> rows;  // key -> row CRC
    for (const Row& row : c.query("SELECT " + s.key_expression() + ", CRC32(" + s.row_expression() + ") FROM " +
                                  sql_table(s.schema, s.name))) {
      rows[*row[0]] = *row[1];
    }
    return rows;
  };
  const auto a = fingerprints(up, us);
  const auto b = fingerprints(down, ds);
  std::vector<std::string> keys;
  for (auto i = a.begin(), j = b.begin(); keys.size() < limit && (i != a.end() || j != b.end());) {
    if (j == b.end() || (i != a.end() && i->first < j->first)) {
      keys.push_back((i++)->first);
    } else if (i == a.end() || j->first < i->first) {
      keys.push_back((j++)->first);
    } else {
      if (i->second != j->second) keys.push_back(i->first);
      ++i, ++j;
    }
  }
  if (keys.empty()) return {};
  auto by_key = [&](Connection& c, const TableShape& s) {
    std::map<std::string, std::vector<std::string>> rows;
    for (auto& values : fetch_values(c, s, s.key_expression() + " IN " + in_list(keys))) {
      std::string key;
      for (size_t i : s.key) key += (key.empty() ? "" : "#") + values[i];
      rows[key] = std::move(values);
    }
    return rows;
  };
  const auto up_rows = by_key(up, us);
  const auto down_rows = by_key(down, ds);
  std::vector<std::string> lines;
  for (const std::string& key : keys) {
    const auto u = up_rows.find(key);
    const auto d = down_rows.find(key);
    if (u == up_rows.end() && d == down_rows.end()) {
      lines.push_back(key + ": changed while being compared");
      continue;
    }
    const auto& any = u != up_rows.end() ? u->second : d->second;
    std::string line = render_row(us, any, us.key) + ": ";
    if (d == down_rows.end()) {
      line += "only upstream: " + render_row(us, u->second, all_columns(us));
    } else if (u == up_rows.end()) {
      line += "only downstream: " + render_row(ds, d->second, all_columns(ds));
    } else {
      std::string changes;
      for (size_t i = 0; i < us.columns.size(); ++i) {
        if (u->second[i] == d->second[i]) continue;
        changes += (changes.empty() ? "" : "; ") + us.columns[i].name + " " +
                   render_difference(u->second[i], d->second[i], us.columns[i].encoding());
      }
      line += changes.empty() ? "changed while being compared" : changes;
    }
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> keyless_differences(Connection& up, const TableShape& us, Connection& down,
                                             const TableShape& ds, size_t limit) {
  // Rows grouped by their CRC first, so that only the differing groups are fetched whole.
  auto counts = [](Connection& c, const TableShape& s) {
    std::map<std::string, uint64_t> groups;
    for (const Row& row : c.query("SELECT CRC32(" + s.row_expression() + ") AS crc, COUNT(*) FROM " +
                                  sql_table(s.schema, s.name) + " GROUP BY crc")) {
      groups[*row[0]] = std::stoull(*row[1]);
    }
    return groups;
  };
  const auto a = counts(up, us);
  const auto b = counts(down, ds);
  std::set<std::string> crcs;
  for (const auto& [crc, n] : a) {
    auto it = b.find(crc);
    if (it == b.end() || it->second != n) crcs.insert(crc);
  }
  for (const auto& [crc, n] : b) {
    if (!a.count(crc)) crcs.insert(crc);
  }
  if (crcs.empty()) return {};
  const std::vector<std::string> wanted(crcs.begin(), std::next(crcs.begin(), static_cast<long>(std::min(limit, crcs.size()))));
  // Identical rows, counted on each side.
  std::map<std::vector<std::string>, std::pair<uint64_t, uint64_t>> copies;
  for (auto& values : fetch_values(up, us, "CRC32(" + us.row_expression() + ") IN " + in_list(wanted))) ++copies[values].first;
  for (auto& values : fetch_values(down, ds, "CRC32(" + ds.row_expression() + ") IN " + in_list(wanted))) ++copies[values].second;
  std::vector<std::string> lines;
  for (const auto& [values, n] : copies) {
    if (n.first == n.second || lines.size() >= limit) continue;
    lines.push_back(std::to_string(n.first) + (n.first == 1 ? " copy" : " copies") + " upstream, " +
                    std::to_string(n.second) + " downstream: " + render_row(us, values, all_columns(us)));
  }
  return lines;
}

}  // namespace

std::string render_value(const std::string& exact, ValueEncoding encoding, size_t max_chars) {
  if (exact == "NULL") return "NULL";
  switch (encoding) {
    case ValueEncoding::Text:
      return exact.size() > max_chars ? exact.substr(0, max_chars) + "..." : exact;
    case ValueEncoding::Hex:
      return render_bytes(unhex(exact), max_chars);
    case ValueEncoding::HexWithIndex: {
      const size_t colon = exact.rfind(':');
      return render_bytes(unhex(exact.substr(0, colon)), max_chars) + "#" + exact.substr(colon + 1);
    }
  }
  return exact;
}

std::vector<std::string> differing_rows(Connection& up, const std::string& up_schema, Connection& down,
                                        const std::string& down_schema, const std::string& table, size_t limit) {
  const auto us = read_table_shape(up, up_schema, table);
  const auto ds = read_table_shape(down, down_schema, table);
  if (!us || !ds) return {std::string("the table is missing ") + (us ? "downstream" : "upstream")};
  if (us->columns != ds->columns) {
    return {"columns differ: upstream (" + us->describe_columns() + "), downstream (" + ds->describe_columns() + ")"};
  }
  // Rows are matched by the upstream's key on both sides, whatever indexes the downstream has.
  TableShape down_shape = *ds;
  down_shape.key = us->key;
  return us->key.empty() ? keyless_differences(up, *us, down, down_shape, limit)
                         : keyed_differences(up, *us, down, down_shape, limit);
}

}  // namespace ferry::testing
