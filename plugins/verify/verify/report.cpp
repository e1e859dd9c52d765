#include "verify/report.hpp"

#include "verify/sql_text.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace ferry::verify {
namespace {

using Json = nlohmann::ordered_json;

Json value_json(const Column& column, const std::optional<std::string>& value) {
  if (!value) return nullptr;
  if (column.kind == Column::Kind::Bytes) return "0x" + hex(*value);
  if (column.kind == Column::Kind::Integer) {
    const char* end = value->data() + value->size();
    int64_t i = 0;
    if (auto r = std::from_chars(value->data(), end, i); r.ec == std::errc() && r.ptr == end) return i;
    uint64_t u = 0;
    if (auto r = std::from_chars(value->data(), end, u); r.ec == std::errc() && r.ptr == end) return u;
  }
  return *value;
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// {"column": value, ...} of the columns at `positions` in the layout.
std::string object(const TableLayout& layout, const std::vector<size_t>& positions,
                   const std::vector<std::optional<std::string>>& values) {
  Json j = Json::object();
  for (size_t i = 0; i < positions.size() && i < values.size(); ++i) {
    const Column& c = layout.columns[positions[i]];
    j[c.name] = value_json(c, values[i]);
  }
  return dump(j);
}

std::string key_object(const TableLayout& layout, const KeyValues& key) {
  return object(layout, layout.key, std::vector<std::optional<std::string>>(key.begin(), key.end()));
}

std::string range(const TableLayout& layout, const Chunk& chunk) {
  if (!layout.keyed()) return "all";
  return "(" + (chunk.lower ? key_object(layout, *chunk.lower) : "-inf") + "," +
         (chunk.upper ? key_object(layout, *chunk.upper) : "+inf") + "]";
}

const char* kind_name(RowDifference::Kind kind) {
  switch (kind) {
    case RowDifference::Kind::Missing: return "missing";
    case RowDifference::Kind::Extra: return "extra";
    case RowDifference::Kind::Different: return "different";
  }
  return "?";
}

void print_row(std::FILE* out, const TableLayout& layout, const RowDifference& d) {
  const std::vector<size_t> compared = layout.compared();
  std::string line = "  row=" + std::string(kind_name(d.kind));
  if (layout.keyed()) line += " key=" + key_object(layout, d.key);
  if (!d.differing.empty()) {
    std::string columns;
    for (size_t i : d.differing) columns += (columns.empty() ? "" : ",") + layout.columns[compared[i]].name;
    line += " columns=" + kv_value(columns);
  }
  if (d.upstream) line += " upstream=" + object(layout, compared, *d.upstream);
  if (d.downstream) line += " downstream=" + object(layout, compared, *d.downstream);
  std::fprintf(out, "%s\n", line.c_str());
}

std::string names(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& n : list) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

std::string kv_value(const std::string& value) {
  bool plain = !value.empty();
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == 0x7F) plain = false;
  }
  return plain ? value : dump(Json(value));
}

void print_table_result(std::FILE* out, const TableResult& r) {
  std::string line = "table=" + kv_value(r.table.qualified());
  if (r.target != r.table) line += " downstream=" + kv_value(r.target.qualified());
  switch (r.outcome) {
    case TableResult::Outcome::Match:
      line += " result=match chunks=" + std::to_string(r.chunks) + " rows=" + std::to_string(r.upstream_rows);
      break;
    case TableResult::Outcome::Differ:
      line += " result=differ";
      if (!r.missing_columns.empty()) {
        line += " missing_columns=" + kv_value(names(r.missing_columns));
        break;
      }
      line += " chunks=" + std::to_string(r.chunks) + " upstream_rows=" + std::to_string(r.upstream_rows) +
              " downstream_rows=" + std::to_string(r.downstream_rows) +
              " differing_chunks=" + std::to_string(r.differing_chunks.size());
      break;
    case TableResult::Outcome::MissingDownstream: line += " result=missing-downstream"; break;
    case TableResult::Outcome::MissingUpstream: line += " result=missing-upstream"; break;
    case TableResult::Outcome::Failed: line += " result=failed error=" + kv_value(r.error); break;
  }
  std::fprintf(out, "%s\n", line.c_str());
  if (!r.layout) return;
  for (const auto& c : r.differing_chunks) {
    std::fprintf(out, "  chunk=%zu range=%s upstream_rows=%llu downstream_rows=%llu\n", c.chunk.index,
                 range(*r.layout, c.chunk).c_str(), static_cast<unsigned long long>(c.upstream.rows),
                 static_cast<unsigned long long>(c.downstream.rows));
  }
  for (const auto& d : r.rows) print_row(out, *r.layout, d);
  if (r.rows_found > r.rows.size()) std::fprintf(out, "  rows_not_shown=%zu\n", r.rows_found - r.rows.size());
}

void Summary::add(const TableResult& r) {
  ++tables_;
  switch (r.outcome) {
    case TableResult::Outcome::Match: ++matched_; break;
    case TableResult::Outcome::Differ: ++differ_; break;
    case TableResult::Outcome::MissingDownstream:
    case TableResult::Outcome::MissingUpstream: ++missing_; break;
    case TableResult::Outcome::Failed: ++failed_; break;
  }
}

std::string Summary::line() const {
  return "tables=" + std::to_string(tables_) + " matched=" + std::to_string(matched_) + " differ=" + std::to_string(differ_) +
         " missing=" + std::to_string(missing_) + " failed=" + std::to_string(failed_);
}

int Summary::exit_code() const {
  if (failed_ > 0) return 2;
  return differ_ + missing_ > 0 ? 1 : 0;
}

}  // namespace ferry::verify
