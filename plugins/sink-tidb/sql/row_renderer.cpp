#include "sql/row_renderer.hpp"

#include <ferry/sdk/events.hpp>

#include <functional>
#include <optional>

namespace ferry::tidb {

namespace {

Span span_from(const std::string& text, size_t start) {
  return Span{static_cast<uint32_t>(start), static_cast<uint32_t>(text.size() - start)};
}

bool writable(const PlanColumn& c) { return (c.column.flags & FERRY_COLUMN_GENERATED) == 0; }

// Text under a case- or accent-insensitive collation compares equal for different bytes ('A' =
// 'a', 'e' = 'é', 'ss' = 'ß'). Its causality key keeps only what no such collation folds (digits,
// punctuation, but no letters and no non-ASCII characters) and drops trailing spaces (PAD SPACE):
// equal strings always get equal keys; unequal ones may share a key, which only costs
// parallelism.
void append_folded(std::string& out, std::string_view s) {
  size_t end = s.size();
  while (end > 0 && s[end - 1] == ' ') --end;
  for (size_t i = 0; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    out.push_back(static_cast<char>(c));
  }
  out.push_back('\x1f');  // the value ends here, whatever it held
}

}  // namespace

bool RowRenderer::key_tuple(const TablePlan& plan, const ferry_value* image, const uint8_t* present, std::string& out,
                            std::string& error) {
  if (plan.key == RowKey::AllColumns) return false;
  for (uint32_t k : plan.key_columns) {
    if (!sdk::bit_is_set(present, k) || image[k].type == FERRY_VALUE_NULL) return false;
  }
  const bool many = plan.key_columns.size() > 1;
  if (many) out.push_back('(');
  for (size_t i = 0; i < plan.key_columns.size(); ++i) {
    if (i > 0) out.push_back(',');
    const uint32_t k = plan.key_columns[i];
    if (!append_literal(out, image[k], plan.columns[k].column, charsets_, style_, error)) return false;
  }
  if (many) out.push_back(')');
  return true;
}

bool RowRenderer::condition(const ferry_row_event& row, const TablePlan& plan, const ferry_value* image,
                            const uint8_t* present, ChangeUnit& unit, RenderedRow& out, std::string& error) {
  (void)row;
  std::string& t = unit.text;
  // The key tuple, for DELETE ... WHERE (k) IN (...).
  const size_t tuple_start = t.size();
  std::string tuple;
  if (key_tuple(plan, image, present, tuple, error)) {
    t += tuple;
    out.key_tuple = span_from(t, tuple_start);
  } else if (!error.empty()) {
    return false;
  }
  const size_t start = t.size();
  bool first = true;
  if (!out.key_tuple.empty()) {
    for (uint32_t k : plan.key_columns) {
      if (!first) t += " AND ";
      first = false;
      t += plan.columns[k].quoted;
      t.push_back('=');
      if (!append_literal(t, image[k], plan.columns[k].column, charsets_, style_, error)) return false;
    }
  } else {
    // No usable key: every column in the image, NULL-safe, and LIMIT 1 at the statement. Text
    // is compared as bytes: under a case- or accent-insensitive collation 'a', 'A' and 'a ' are
    // equal, and LIMIT 1 could take another of the rows.
    for (uint32_t i = 0; i < plan.columns.size(); ++i) {
      if (!sdk::bit_is_set(present, i) || !writable(plan.columns[i])) continue;
      if (!first) t += " AND ";
      first = false;
      const bool as_bytes = image[i].type == FERRY_VALUE_STRING && !plan.columns[i].compares_bytes;
      if (as_bytes) t += "BINARY ";
      t += plan.columns[i].quoted;
      t += as_bytes ? " <=> BINARY " : " <=> ";
      if (!append_literal(t, image[i], plan.columns[i].column, charsets_, style_, error)) return false;
    }
  }
  if (first) {
    error = "the before image of a row of " + plan.source + " has no column to find it by";
    return false;
  }
  out.where = span_from(t, start);
  return true;
}

void RowRenderer::add_keys(TablePlan& plan, const ferry_value* image, const uint8_t* present, ChangeUnit& unit,
                           bool& barrier) {
  const std::hash<std::string_view> hash;
  if (plan.causality_indexes.empty()) {
    // A table without keys: all its changes share one key, so they run in order on one worker
    // (statements that find rows by scanning would otherwise lock each other's rows).
    unit.keys.push_back(hash(plan.target));
    return;
  }
  const size_t keys_before = unit.keys.size();
  for (size_t x = 0; x < plan.causality_indexes.size(); ++x) {
    bool complete = true;
    for (uint32_t k : plan.causality_indexes[x]) complete = complete && sdk::bit_is_set(present, k);
    if (!complete && !plan.partial_index[x]) {
      plan.partial_index[x] = true;
      barrier = true;
    }
    if (plan.partial_index[x]) {
      scratch_ = plan.target;
      scratch_ += "\x1e?" + std::to_string(x);
      unit.keys.push_back(hash(scratch_));
    }
    if (!complete) continue;  // an absent column's value is unknown
    scratch_.clear();
    scratch_ += plan.target;
    scratch_.push_back('\x1e');
    bool usable = true;
    for (uint32_t k : plan.causality_indexes[x]) {
      scratch_ += plan.columns[k].quoted;
      scratch_.push_back('\x1d');
      if (image[k].type == FERRY_VALUE_NULL) {
        usable = false;  // NULLs never conflict in a unique key
        break;
      }
      const ferry_value& v = image[k];
      const bool text = v.type == FERRY_VALUE_STRING || v.type == FERRY_VALUE_ENUM || v.type == FERRY_VALUE_JSON;
      if (text && !plan.columns[k].compares_padded_bytes) {
        append_folded(scratch_, std::string_view(v.data ? v.data : "", v.len));
      } else {
        ferry_value unpadded = v;  // PAD SPACE (utf8mb4_bin): 'a' = 'a '
        if (text && !plan.columns[k].compares_bytes && unpadded.data != nullptr) {
          while (unpadded.len > 0 && unpadded.data[unpadded.len - 1] == ' ') --unpadded.len;
        }
        std::string ignored;
        append_literal(scratch_, unpadded, plan.columns[k].column, charsets_, style_, ignored);
        scratch_.push_back('\x1f');
      }
    }
    if (usable) unit.keys.push_back(hash(scratch_));
  }
  // Every unique value NULL: nothing identifies the row, so it is ordered with all such rows of
  // its table (as a keyless table's are).
  if (unit.keys.size() == keys_before) unit.keys.push_back(hash(plan.target));
}

bool RowRenderer::render(const ferry_row_event& row, TablePlan& plan, uint64_t binlog_pos, ChangeUnit& unit,
                         bool& barrier, std::string& error) {
  for (const auto& c : plan.columns) {
    if (c.column.name.len == 0) {
      error = "the column names of " + plan.source +
              " are unknown (no binlog_row_metadata=FULL and the table is gone upstream); cannot write it";
      return false;
    }
  }
  RenderedRow out;
  out.plan = &plan;
  out.op = row.op;
  out.binlog_pos = binlog_pos;
  std::string& t = unit.text;
  if (row.after != nullptr) {
    out.full_after = true;
    for (uint32_t i = 0; i < plan.columns.size(); ++i) {
      if (!writable(plan.columns[i])) out.full_after = false;
      if (!sdk::bit_is_set(row.after_present, i)) out.full_after = false;
    }
    // The after image's written columns, comma-separated, each as `piece` renders it.
    auto list = [&](const char* open, const char* close, auto piece) -> std::optional<Span> {
      const size_t start = t.size();
      t += open;
      bool first = true;
      for (uint32_t i = 0; i < plan.columns.size(); ++i) {
        if (!sdk::bit_is_set(row.after_present, i) || !writable(plan.columns[i])) continue;
        if (!first) t.push_back(',');
        first = false;
        if (!piece(i)) return std::nullopt;
      }
      t += close;
      return span_from(t, start);
    };
    auto name = [&](uint32_t i) {
      t += plan.columns[i].quoted;
      return true;
    };
    auto value = [&](uint32_t i) {
      // ENUM's error value (index 0, ''), stored upstream by a non-strict session: strict mode
      // refuses every literal for it.
      if (row.after[i].type == FERRY_VALUE_ENUM && row.after[i].num.u64 == 0) out.lenient = true;
      return append_literal(t, row.after[i], plan.columns[i].column, charsets_, style_, error);
    };
    if (!out.full_after) out.columns = *list("(", ")", name);
    auto values = list("(", ")", value);
    if (!values) return false;
    out.values = *values;
    if (row.op == FERRY_ROW_UPDATE) {
      auto assignments = list("", "", [&](uint32_t i) { return name(i) && (t.push_back('='), value(i)); });
      if (!assignments) return false;
      out.assignments = *assignments;
    }
    add_keys(plan, row.after, row.after_present, unit, barrier);
    const size_t key_start = t.size();
    std::string after_tuple;
    if (key_tuple(plan, row.after, row.after_present, after_tuple, error)) {
      t += after_tuple;
      out.after_key = span_from(t, key_start);
    } else if (!error.empty()) {
      return false;
    }
  }
  if (row.before != nullptr) {
    if (!condition(row, plan, row.before, row.before_present, unit, out, error)) return false;
    add_keys(plan, row.before, row.before_present, unit, barrier);
    if (row.op == FERRY_ROW_UPDATE) {
      if (out.key_tuple.empty()) {
        out.key_changed = true;  // no key: treat as moving
      } else if (out.after_key.empty()) {
        out.key_changed = false;  // a partial after image leaves the unchanged key out
      } else {
        out.key_changed = unit.span(out.after_key) != unit.span(out.key_tuple);
      }
    }
  }
  unit.rows.push_back(out);
  return true;
}

}  // namespace ferry::tidb
