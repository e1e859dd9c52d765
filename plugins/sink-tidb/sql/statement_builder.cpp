#include "sql/statement_builder.hpp"

namespace ferry::tidb {

namespace {

struct RowRef {
  const ChangeUnit* unit;
  const RenderedRow* row;
  uint32_t unit_index;
  uint32_t row_index;
};

std::string_view columns_of(const RowRef& r) {
  return r.row->columns.empty() ? std::string_view(r.row->plan->all_columns) : r.unit->span(r.row->columns);
}

bool safe(const RowRef& r, const BuildOptions& o) { return r.unit->safe || o.force_safe; }

// Whether `next` can join a statement begun by `first`.
bool joins(const RowRef& first, const RowRef& next, const BuildOptions& o) {
  if (!o.multiple_rows) return false;
  if (first.row->plan != next.row->plan || first.row->op != next.row->op) return false;
  if (safe(first, o) != safe(next, o)) return false;
  switch (first.row->op) {
    case FERRY_ROW_INSERT:
      return columns_of(first) == columns_of(next);
    case FERRY_ROW_DELETE:
      return !first.row->key_tuple.empty() && !next.row->key_tuple.empty();
    default:
      return false;
  }
}

Statement begin(const RowRef& r) {
  Statement s;
  s.unit = r.unit_index;
  s.row = r.row_index;
  return s;
}

void single(const RowRef& r, const BuildOptions& o, std::vector<Statement>& out) {
  const RenderedRow& row = *r.row;
  const TablePlan& plan = *row.plan;
  const bool limit = plan.key == RowKey::AllColumns || row.key_tuple.empty();
  Statement s = begin(r);
  s.row_count = 1;
  switch (row.op) {
    case FERRY_ROW_INSERT:
      s.sql = (safe(r, o) ? "REPLACE INTO " : "INSERT INTO ") + plan.target + std::string(columns_of(r)) + " VALUES " +
              std::string(r.unit->span(row.values));
      break;
    case FERRY_ROW_UPDATE:
      if (safe(r, o) && row.full_after && plan.key != RowKey::AllColumns) {
        if (row.key_changed) {
          Statement d = begin(r);
          d.row_count = 1;
          d.sql = "DELETE FROM " + plan.target + " WHERE " + std::string(r.unit->span(row.where)) + " LIMIT 1";
          out.push_back(std::move(d));
        }
        s.sql = "REPLACE INTO " + plan.target + std::string(columns_of(r)) + " VALUES " + std::string(r.unit->span(row.values));
      } else {
        s.sql = "UPDATE " + plan.target + " SET " + std::string(r.unit->span(row.assignments)) + " WHERE " +
                std::string(r.unit->span(row.where)) + (limit ? " LIMIT 1" : "");
      }
      break;
    case FERRY_ROW_DELETE:
      s.sql = "DELETE FROM " + plan.target + " WHERE " + std::string(r.unit->span(row.where)) + (limit ? " LIMIT 1" : "");
      break;
    default:
      return;
  }
  out.push_back(std::move(s));
}

}  // namespace

void build_statements(const std::vector<const ChangeUnit*>& units, const BuildOptions& o, std::vector<Statement>& out) {
  std::vector<RowRef> rows;
  for (uint32_t u = 0; u < units.size(); ++u) {
    for (uint32_t i = 0; i < units[u]->rows.size(); ++i) rows.push_back(RowRef{units[u], &units[u]->rows[i], u, i});
  }
  size_t i = 0;
  while (i < rows.size()) {
    size_t j = i + 1;
    while (j < rows.size() && joins(rows[i], rows[j], o)) ++j;
    if (j == i + 1) {
      single(rows[i], o, out);
      i = j;
      continue;
    }
    // rows[i..j) share a table and an operation: one statement, cut where it would grow too big.
    const RowRef& first = rows[i];
    const TablePlan& plan = *first.row->plan;
    std::string head;
    if (first.row->op == FERRY_ROW_INSERT) {
      head = (safe(first, o) ? "REPLACE INTO " : "INSERT INTO ") + plan.target + std::string(columns_of(first)) + " VALUES ";
    } else {
      head = "DELETE FROM " + plan.target + " WHERE " + plan.key_list + " IN (";
    }
    const char* tail = first.row->op == FERRY_ROW_INSERT ? "" : ")";
    Statement s;
    for (size_t k = i; k < j; ++k) {
      const RowRef& r = rows[k];
      const std::string_view piece = r.row->op == FERRY_ROW_INSERT ? r.unit->span(r.row->values) : r.unit->span(r.row->key_tuple);
      if (s.row_count > 0 && s.sql.size() + piece.size() + 2 > o.max_statement_bytes) {
        s.sql += tail;
        out.push_back(std::move(s));
        s = Statement{};
      }
      if (s.row_count == 0) {
        s = begin(r);
        s.sql = head;
      } else {
        s.sql.push_back(',');
      }
      s.sql += piece;
      ++s.row_count;
    }
    s.sql += tail;
    out.push_back(std::move(s));
    i = j;
  }
}

}  // namespace ferry::tidb
