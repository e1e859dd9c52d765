#include "verify/row_diff.hpp"

#include <map>

namespace ferry::verify {
namespace {

std::vector<RowDifference> diff_keyed(size_t key_size, const std::vector<SqlRow>& upstream,
                                      const std::vector<SqlRow>& downstream) {
  const auto key_of = [key_size](const SqlRow& row) {
    KeyValues key;
    for (size_t i = 0; i < key_size; ++i) key.push_back(row[i].value_or(""));
    return key;
  };
  const auto values_of = [key_size](const SqlRow& row) { return SqlRow(row.begin() + key_size, row.end()); };
  std::map<KeyValues, size_t> down_by_key;
  for (size_t i = 0; i < downstream.size(); ++i) down_by_key.emplace(key_of(downstream[i]), i);
  std::vector<bool> matched(downstream.size(), false);
  std::vector<RowDifference> out;
  for (const SqlRow& up : upstream) {
    RowDifference d{RowDifference::Kind::Missing, key_of(up), values_of(up), std::nullopt, {}};
    auto it = down_by_key.find(d.key);
    if (it == down_by_key.end()) {
      out.push_back(std::move(d));
      continue;
    }
    matched[it->second] = true;
    SqlRow down = values_of(downstream[it->second]);
    for (size_t i = 0; i < down.size(); ++i) {
      if (down[i] != (*d.upstream)[i]) d.differing.push_back(i);
    }
    if (d.differing.empty()) continue;
    d.kind = RowDifference::Kind::Different;
    d.downstream = std::move(down);
    out.push_back(std::move(d));
  }
  for (size_t i = 0; i < downstream.size(); ++i) {
    if (!matched[i]) out.push_back({RowDifference::Kind::Extra, key_of(downstream[i]), std::nullopt, values_of(downstream[i]), {}});
  }
  return out;
}

std::vector<RowDifference> diff_multiset(const std::vector<SqlRow>& upstream, const std::vector<SqlRow>& downstream) {
  std::map<SqlRow, size_t> unmatched;  // downstream copies not yet paired with an upstream row
  for (const SqlRow& row : downstream) ++unmatched[row];
  std::vector<RowDifference> out;
  for (const SqlRow& row : upstream) {
    auto it = unmatched.find(row);
    if (it != unmatched.end() && it->second > 0) {
      --it->second;
    } else {
      out.push_back({RowDifference::Kind::Missing, {}, row, std::nullopt, {}});
    }
  }
  for (const SqlRow& row : downstream) {
    auto it = unmatched.find(row);
    if (it->second > 0) {
      --it->second;
      out.push_back({RowDifference::Kind::Extra, {}, std::nullopt, row, {}});
    }
  }
  return out;
}

}  // namespace

std::vector<RowDifference> diff_rows(const TableLayout& layout, const std::vector<SqlRow>& upstream,
                                     const std::vector<SqlRow>& downstream) {
  return layout.keyed() ? diff_keyed(layout.key.size(), upstream, downstream) : diff_multiset(upstream, downstream);
}

std::vector<SqlRow> fetch_chunk_rows(SqlConnection& connection, const TableName& table, const TableLayout& layout,
                                     const Chunk& chunk) {
  std::string select;
  for (size_t i : layout.key) select += (select.empty() ? "" : ", ") + layout.columns[i].bound_expression();
  std::string order = layout.key_list();
  size_t position = layout.key.size();
  for (size_t i : layout.compared()) {
    select += (select.empty() ? "" : ", ") + layout.columns[i].value_expression();
    if (!layout.keyed()) order += (order.empty() ? "" : ", ") + std::to_string(++position);
  }
  return connection.query("SELECT " + select + " FROM " + table.sql() + " WHERE " + chunk_condition(layout, chunk) +
                          " ORDER BY " + order);
}

}  // namespace ferry::verify
