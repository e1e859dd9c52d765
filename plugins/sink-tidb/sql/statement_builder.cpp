#include "sql/statement_builder.hpp"

#include <optional>

namespace ferry::tidb {

namespace {

// One change to write: a rendered row, or the net effect of several consecutive changes to one
// key (compaction). Views point into the units' texts.
struct Change {
  const TablePlan* plan = nullptr;
  uint8_t op = 0;
  bool replace = false;  // an INSERT written as REPLACE (safe mode, or DELETE+INSERT compacted)
  bool safe = false;
  bool full_after = false;
  bool key_changed = false;
  bool lenient = false;
  std::string_view columns, values, assignments, where, key_tuple, after_key;
  uint32_t unit = 0;
  uint32_t row = 0;
  uint32_t rows = 1;  // upstream rows it stands for
};

Change from_row(const ChangeUnit& u, const RenderedRow& r, uint32_t unit, uint32_t row, bool force_safe) {
  Change c;
  c.plan = r.plan;
  c.op = r.op;
  c.safe = u.safe || force_safe;
  c.full_after = r.full_after;
  c.key_changed = r.key_changed;
  c.lenient = r.lenient;
  c.columns = r.columns.empty() ? std::string_view(r.plan->all_columns) : u.span(r.columns);
  c.values = u.span(r.values);
  c.assignments = u.span(r.assignments);
  c.where = u.span(r.where);
  c.key_tuple = u.span(r.key_tuple);
  c.after_key = u.span(r.after_key);
  c.unit = unit;
  c.row = row;
  return c;
}

// The key a change is about, for compaction: empty when it cannot be compacted.
std::string_view identity(const Change& c) {
  if (c.plan->key == RowKey::AllColumns) return {};
  switch (c.op) {
    case FERRY_ROW_INSERT: return c.full_after ? c.after_key : std::string_view();
    case FERRY_ROW_UPDATE: return c.full_after && !c.key_changed ? c.key_tuple : std::string_view();
    case FERRY_ROW_DELETE: return c.key_tuple;
    default: return {};
  }
}

// `acc` followed by `next` (same table and key) as one change, or nullopt when the pair does not
// reduce. `gone` reports that the two cancel out (INSERT then DELETE).
std::optional<Change> compact(const Change& acc, const Change& next, bool& gone) {
  gone = false;
  Change out = next;
  out.lenient = acc.lenient || next.lenient;
  out.unit = acc.unit;
  out.row = acc.row;
  out.rows = acc.rows + next.rows;
  if (acc.op == FERRY_ROW_INSERT && next.op == FERRY_ROW_UPDATE) {
    out.op = FERRY_ROW_INSERT;  // the row as finally written
    out.replace = acc.replace;
    return out;
  }
  if (acc.op == FERRY_ROW_INSERT && next.op == FERRY_ROW_DELETE) {
    if (acc.replace || acc.safe) return std::nullopt;  // a REPLACE may have removed an older row: keep the DELETE
    gone = true;
    return out;
  }
  if (acc.op == FERRY_ROW_UPDATE && next.op == FERRY_ROW_UPDATE) {
    out.where = acc.where;
    return out;
  }
  if (acc.op == FERRY_ROW_UPDATE && next.op == FERRY_ROW_DELETE) return out;
  if (acc.op == FERRY_ROW_DELETE && next.op == FERRY_ROW_INSERT) {
    out.replace = true;  // the old row goes, the new one comes: REPLACE
    return out;
  }
  return std::nullopt;
}

bool joins(const Change& first, const Change& next, const BuildOptions& o) {
  if (!o.multiple_rows) return false;
  if (first.plan != next.plan || first.op != next.op || first.lenient != next.lenient) return false;
  switch (first.op) {
    case FERRY_ROW_INSERT:
      return (first.replace || first.safe) == (next.replace || next.safe) && first.columns == next.columns;
    case FERRY_ROW_DELETE:
      return !first.key_tuple.empty() && !next.key_tuple.empty();
    default:
      return false;
  }
}

Statement begin(const Change& c) {
  Statement s;
  s.unit = c.unit;
  s.row = c.row;
  return s;
}

std::string insert_head(const Change& c) {
  return std::string(c.replace || c.safe ? "REPLACE INTO " : "INSERT INTO ") + c.plan->target + std::string(c.columns) + " VALUES ";
}

// A statement holding a value only a non-strict session stores runs without strict mode, and
// only that statement.
void wrap_lenient(Statement& s) {
  s.sql = std::string(kStrictModeOff) + ";" + s.sql + ";" + std::string(kStrictModeRestore);
  s.pieces = kStrictModeOffPieces + 2;
}

void single(const Change& c, std::vector<Statement>& out) {
  const TablePlan& plan = *c.plan;
  const bool limit = plan.key == RowKey::AllColumns || c.key_tuple.empty();
  Statement s = begin(c);
  s.row_count = c.rows;
  switch (c.op) {
    case FERRY_ROW_INSERT:
      s.sql = insert_head(c) + std::string(c.values);
      break;
    case FERRY_ROW_UPDATE:
      if (c.safe && c.full_after && plan.key != RowKey::AllColumns) {
        if (c.key_changed) {
          Statement d = begin(c);
          d.row_count = c.rows;
          d.sql = "DELETE FROM " + plan.target + " WHERE " + std::string(c.where) + " LIMIT 1";
          out.push_back(std::move(d));
        }
        s.sql = "REPLACE INTO " + plan.target + std::string(c.columns) + " VALUES " + std::string(c.values);
      } else {
        s.sql = "UPDATE " + plan.target + " SET " + std::string(c.assignments) + " WHERE " + std::string(c.where) +
                (limit ? " LIMIT 1" : "");
      }
      break;
    case FERRY_ROW_DELETE:
      s.sql = "DELETE FROM " + plan.target + " WHERE " + std::string(c.where) + (limit ? " LIMIT 1" : "");
      break;
    default:
      return;
  }
  if (c.lenient) wrap_lenient(s);
  out.push_back(std::move(s));
}

}  // namespace

void build_statements(const std::vector<const ChangeUnit*>& units, const BuildOptions& o, std::vector<Statement>& out) {
  std::vector<Change> changes;
  for (uint32_t u = 0; u < units.size(); ++u) {
    for (uint32_t i = 0; i < units[u]->rows.size(); ++i) {
      Change c = from_row(*units[u], units[u]->rows[i], u, i, o.force_safe);
      // Compaction: consecutive changes to one key of one table become their net effect. Only
      // neighbours are merged, so no change ever moves past another.
      if (o.compact && !changes.empty()) {
        Change& last = changes.back();
        const std::string_view key = identity(c);
        if (!key.empty() && last.plan == c.plan && last.safe == c.safe && identity(last) == key) {
          bool gone = false;
          if (auto merged = compact(last, c, gone)) {
            if (gone) {
              changes.pop_back();
            } else {
              last = *merged;
            }
            continue;
          }
        }
      }
      changes.push_back(c);
    }
  }
  size_t i = 0;
  while (i < changes.size()) {
    size_t j = i + 1;
    while (j < changes.size() && joins(changes[i], changes[j], o)) ++j;
    if (j == i + 1) {
      single(changes[i], out);
      i = j;
      continue;
    }
    // changes[i..j) share a table and an operation: one statement, cut where it would grow too big.
    const Change& first = changes[i];
    const bool insert = first.op == FERRY_ROW_INSERT;
    const std::string head =
        insert ? insert_head(first) : "DELETE FROM " + first.plan->target + " WHERE " + first.plan->key_list + " IN (";
    const char* tail = insert ? "" : ")";
    Statement s;
    for (size_t k = i; k < j; ++k) {
      const Change& c = changes[k];
      const std::string_view piece = insert ? c.values : c.key_tuple;
      if (s.row_count > 0 && s.sql.size() + piece.size() + 2 > o.max_statement_bytes) {
        s.sql += tail;
        if (first.lenient) wrap_lenient(s);
        out.push_back(std::move(s));
        s = Statement{};
      }
      if (s.row_count == 0) {
        s = begin(c);
        s.sql = head;
      } else {
        s.sql.push_back(',');
      }
      s.sql += piece;
      s.row_count += c.rows;
    }
    s.sql += tail;
    if (first.lenient) wrap_lenient(s);
    out.push_back(std::move(s));
    i = j;
  }
}


}  // namespace ferry::tidb
