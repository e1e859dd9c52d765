#include "binlog_agreement.hpp"

#include <ostream>

namespace ferry::mysql::agreement {
namespace {

const char* kind_name(RowsKind kind) {
  switch (kind) {
    case RowsKind::Write: return "insert";
    case RowsKind::Update: return "update";
    case RowsKind::Delete: return "delete";
    default: return "none";
  }
}

// Ferry's rows events of one statement.
struct FerryStatement {
  std::vector<const DecodedRowsEvent*> events;
};

std::vector<FerryStatement> statements_of(const DecodedFile& ferry) {
  std::vector<FerryStatement> out;
  bool open = false;
  for (const DecodedRowsEvent& e : ferry.events) {
    if (!open) out.emplace_back();
    out.back().events.push_back(&e);
    open = !e.statement_end;
  }
  return out;
}

class RowComparer {
 public:
  RowComparer(const std::string& file, const Catalog& catalog, const MetadataLogged& logged, Comparison& out)
      : file_(file), catalog_(catalog), logged_(logged), out_(out) {}

  void statement(const FerryStatement& ferry, const PrintedStatement& printed) {
    const DecodedRowsEvent& first = *ferry.events.front();
    if (ferry.events.size() != printed.events.size()) {
      report(first, "statement has " + std::to_string(ferry.events.size()) + " rows events in ferry, " +
                        std::to_string(printed.events.size()) + " in mariadb-binlog");
    }
    for (size_t i = 0; i < ferry.events.size() && i < printed.events.size(); ++i) {
      const DecodedRowsEvent& e = *ferry.events[i];
      if (e.end_position != printed.events[i].end_position || e.kind != printed.events[i].kind) {
        report(e, std::string("event ") + std::to_string(i + 1) + " of the statement: ferry's is a " +
                      kind_name(e.kind) + " ending at " + std::to_string(e.end_position) + ", mariadb-binlog's a " +
                      kind_name(printed.events[i].kind) + " ending at " + std::to_string(printed.events[i].end_position));
      }
    }
    // Rows in event order on both sides.
    size_t k = 0;
    for (const DecodedRowsEvent* e : ferry.events) {
      for (size_t r = 0; r < e->rows.size(); ++r, ++k) {
        if (k >= printed.rows.size()) {
          report(*e, "row " + std::to_string(r + 1) + " is not in mariadb-binlog's output");
          continue;
        }
        row(*e, r, printed.rows[k]);
      }
    }
    if (k < printed.rows.size()) {
      report(first, "mariadb-binlog printed " + std::to_string(printed.rows.size()) + " rows for the statement, ferry decoded " +
                        std::to_string(k));
    }
  }

  void report(const DecodedRowsEvent& e, const std::string& what) {
    out_.mismatches.push_back(file_ + ":" + std::to_string(e.start_position) + " " + e.schema + "." + e.table + " " +
                          kind_name(e.kind) + ": " + what);
  }

 private:
  void row(const DecodedRowsEvent& e, size_t r, const PrintedRow& printed) {
    const std::string where = "row " + std::to_string(r + 1);
    if (printed.kind != e.kind || printed.schema != e.schema || printed.table != e.table) {
      report(e, where + ": mariadb-binlog prints a " + kind_name(printed.kind) + " of " + printed.schema + "." +
                    printed.table);
      return;
    }
    const auto facts = catalog_.find(e.schema + "." + e.table);
    const std::vector<ColumnFacts>* columns = facts == catalog_.end() ? nullptr : &facts->second;
    if (columns != nullptr && columns->size() != e.columns.size()) {
      report(e, where + ": the TABLE_MAP has " + std::to_string(e.columns.size()) + " columns, the catalog " +
                    std::to_string(columns->size()));
      columns = nullptr;
    }
    ++out_.rows;
    const DecodedRow& mine = e.rows[r];
    if (e.kind != RowsKind::Write) image(e, where + " before", mine.before, printed.before, columns);
    if (e.kind != RowsKind::Delete) image(e, where + " after", mine.after, printed.after, columns);
  }

  void image(const DecodedRowsEvent& e, const std::string& where, const std::vector<std::optional<DecodedValue>>& mine,
             const std::vector<PrintedValue>& printed, const std::vector<ColumnFacts>* facts) {
    std::vector<const PrintedValue*> by_column(mine.size(), nullptr);
    for (const PrintedValue& p : printed) {
      if (p.column < 1 || p.column > mine.size()) {
        report(e, where + ": mariadb-binlog prints column @" + std::to_string(p.column) + " of a " +
                      std::to_string(mine.size()) + "-column table");
        continue;
      }
      by_column[p.column - 1] = &p;
    }
    for (size_t i = 0; i < mine.size(); ++i) {
      const std::string column = "@" + std::to_string(i + 1) + (e.columns[i].name.empty() ? "" : " (" + e.columns[i].name + ")");
      if (mine[i].has_value() != (by_column[i] != nullptr)) {
        report(e, where + " " + column + ": in the image for " + (mine[i] ? "ferry" : "mariadb-binlog") + " only");
        continue;
      }
      if (!mine[i]) continue;
      ++out_.values;
      const std::string why =
          compare_value(*mine[i], e.columns[i], *by_column[i], facts ? &(*facts)[i] : nullptr, logged_);
      if (!why.empty()) report(e, where + " " + column + ": " + why);
    }
  }

  const std::string& file_;
  const Catalog& catalog_;
  const MetadataLogged& logged_;
  Comparison& out_;
};

}  // namespace

Comparison compare_rows(const std::string& file, const DecodedFile& ferry, const PrintedFile& printed,
                        const Catalog& catalog, const MetadataLogged& logged) {
  Comparison out;
  for (const std::string& e : ferry.errors) out.mismatches.push_back("ferry cannot decode " + e);
  RowComparer comparer(file, catalog, logged, out);

  // Statements are matched by where their last event ends, so one missing on either side is
  // reported once instead of shifting every statement after it.
  std::map<uint64_t, const PrintedStatement*> printed_by_end;
  for (const PrintedStatement& s : printed.statements) {
    if (!s.events.empty()) printed_by_end[s.events.back().end_position] = &s;
  }
  for (const FerryStatement& s : statements_of(ferry)) {
    auto it = printed_by_end.find(s.events.back()->end_position);
    if (it == printed_by_end.end()) {
      comparer.report(*s.events.front(), "mariadb-binlog prints no statement ending at " +
                                             std::to_string(s.events.back()->end_position));
      continue;
    }
    comparer.statement(s, *it->second);
    printed_by_end.erase(it);
  }
  for (const auto& [end, s] : printed_by_end) {
    out.mismatches.push_back(file + ": mariadb-binlog prints a statement of " + std::to_string(s->events.size()) +
                         " rows events ending at " + std::to_string(end) + " that ferry does not decode");
  }
  return out;
}

std::string tally_key(const std::string& schema, const std::string& table, RowsKind kind) {
  return schema + "." + table + " " + kind_name(kind);
}

void add_tallies(const DecodedFile& ferry, Tallies& into) {
  for (const DecodedRowsEvent& e : ferry.events) {
    RowTally& t = into[tally_key(e.schema, e.table, e.kind)];
    t.events += 1;
    t.rows += e.rows.size();
  }
}

void add_tallies(const PrintedFile& printed, Tallies& into) {
  for (const PrintedStatement& s : printed.statements) {
    for (const PrintedRowsEvent& e : s.events) {
      auto table = printed.tables.find(e.table_id);
      const std::string name = table == printed.tables.end() ? "table-id-" + std::to_string(e.table_id) : table->second;
      into[name + " " + kind_name(e.kind)].events += 1;
    }
    for (const PrintedRow& r : s.rows) into[tally_key(r.schema, r.table, r.kind)].rows += 1;
  }
}

void PrintTo(const RowTally& tally, std::ostream* os) {
  *os << "{events " << tally.events << ", rows " << tally.rows << "}";
}

}  // namespace ferry::mysql::agreement
