#include "mariadb_binlog_text.hpp"

#include <charconv>
#include <optional>

namespace ferry::mysql::agreement {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

template <typename T>
bool parse_number(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// The number right after `key` in `s`, up to the next space or the end.
template <typename T>
bool number_after(std::string_view s, std::string_view key, T& out) {
  const size_t at = s.find(key);
  if (at == std::string_view::npos) return false;
  std::string_view rest = s.substr(at + key.size());
  return parse_number(rest.substr(0, rest.find(' ')), out);
}

// "`schema`.`table`" -> schema, table. Backticks inside names are not expected in the corpus.
bool parse_qualified_name(std::string_view s, std::string& schema, std::string& table) {
  if (s.size() < 7 || s.front() != '`' || s.back() != '`') return false;
  const size_t dot = s.find("`.`");
  if (dot == std::string_view::npos) return false;
  schema = std::string(s.substr(1, dot - 1));
  table = std::string(s.substr(dot + 3, s.size() - dot - 4));
  return true;
}

RowsKind rows_kind_of(std::string_view description) {
  // MariaDB's compressed events print as Write_compressed_rows and so on.
  if (starts_with(description, "Write_rows") || starts_with(description, "Write_compressed_rows")) return RowsKind::Write;
  if (starts_with(description, "Update_rows") || starts_with(description, "Update_compressed_rows")) return RowsKind::Update;
  if (starts_with(description, "Delete_rows") || starts_with(description, "Delete_compressed_rows")) return RowsKind::Delete;
  return RowsKind::None;
}

// "@N=VALUE /* TYPE meta=M nullable=X is_null=Y */" (the "###   " already cut off).
bool parse_value_line(std::string_view line, PrintedValue& v) {
  if (!starts_with(line, "@")) return false;
  const size_t eq = line.find('=');
  if (eq == std::string_view::npos || !parse_number(line.substr(1, eq - 1), v.column)) return false;
  std::string_view rest = line.substr(eq + 1);
  // The type comment is the last " /* " of the line: a string value may contain one too.
  const size_t comment = rest.rfind(" /* ");
  if (comment == std::string_view::npos || !rest.ends_with(" */")) return false;
  std::string_view value = rest.substr(0, comment);
  // FLOAT is printed with "%-20g": padding, never part of a value (strings end with a quote).
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  std::string_view info = rest.substr(comment + 4, rest.size() - comment - 4 - 3);
  const size_t meta = info.rfind(" meta=");
  if (meta == std::string_view::npos) return false;
  v.text = std::string(value);
  v.type = std::string(info.substr(0, meta));
  std::string_view flags = info.substr(meta + 1);
  int nullable = 0;
  int is_null = 0;
  if (!number_after(flags, "meta=", v.meta) || !number_after(flags, "nullable=", nullable) ||
      !number_after(flags, "is_null=", is_null)) {
    return false;
  }
  v.nullable = nullable != 0;
  v.is_null = is_null != 0;
  return true;
}

}  // namespace

bool parse_mariadb_binlog_text(std::string_view text, PrintedFile& out, std::string& error) {
  out = PrintedFile{};
  std::optional<PrintedStatement> statement;
  std::vector<PrintedValue>* image = nullptr;
  size_t line_number = 0;
  auto fail = [&](std::string_view line, const std::string& why) {
    error = "mariadb-binlog output line " + std::to_string(line_number) + ": " + why + ": " +
            std::string(line.substr(0, 200));
    return false;
  };

  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_number;

    if (line.size() > 1 && line[0] == '#' && line[1] >= '0' && line[1] <= '9') {
      // An event header: "#YYMMDD hh:mm:ss server id S  end_log_pos P [CRC32 0x...] \tWhat ..."
      const size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      std::string_view description = line.substr(tab + 1);
      if (starts_with(description, "Table_map: ")) {
        std::string_view rest = description.substr(11);
        const size_t mapped = rest.find(" mapped to number ");
        std::string schema, table;
        uint64_t id = 0;
        if (mapped == std::string_view::npos || !parse_qualified_name(rest.substr(0, mapped), schema, table) ||
            !parse_number(rest.substr(mapped + 18), id)) {
          return fail(line, "unreadable Table_map header");
        }
        out.tables[id] = schema + "." + table;
        continue;
      }
      const RowsKind kind = rows_kind_of(description);
      if (kind == RowsKind::None) continue;
      PrintedRowsEvent e;
      e.kind = kind;
      if (!number_after(line, "end_log_pos ", e.end_position) || !number_after(description, "table id ", e.table_id)) {
        return fail(line, "unreadable rows event header");
      }
      e.statement_end = description.find("STMT_END_F") != std::string_view::npos;
      if (!statement) statement.emplace();
      statement->events.push_back(e);
      continue;
    }

    if (starts_with(line, "# Number of rows: ")) {
      if (!statement) return fail(line, "a row count without rows events");
      if (!parse_number(line.substr(18), statement->declared_rows)) return fail(line, "unreadable row count");
      if (statement->declared_rows != statement->rows.size()) {
        return fail(line, "declares " + std::to_string(statement->declared_rows) + " rows but " +
                              std::to_string(statement->rows.size()) + " were printed");
      }
      out.statements.push_back(std::move(*statement));
      statement.reset();
      image = nullptr;
      continue;
    }

    if (!starts_with(line, "### ")) continue;
    std::string_view body = line.substr(4);
    RowsKind kind = RowsKind::None;
    std::string_view name;
    if (starts_with(body, "INSERT INTO ")) {
      kind = RowsKind::Write;
      name = body.substr(12);
    } else if (starts_with(body, "UPDATE ")) {
      kind = RowsKind::Update;
      name = body.substr(7);
    } else if (starts_with(body, "DELETE FROM ")) {
      kind = RowsKind::Delete;
      name = body.substr(12);
    }
    if (kind != RowsKind::None) {
      if (!statement) return fail(line, "a row before any rows event header");
      PrintedRow row;
      row.kind = kind;
      if (!parse_qualified_name(name, row.schema, row.table)) return fail(line, "unreadable table name");
      statement->rows.push_back(std::move(row));
      image = nullptr;
      continue;
    }
    if (body == "SET" || body == "WHERE") {
      if (!statement || statement->rows.empty()) return fail(line, "an image outside a row");
      PrintedRow& row = statement->rows.back();
      image = body == "SET" ? &row.after : &row.before;
      continue;
    }
    if (starts_with(body, "  @")) {
      if (image == nullptr) return fail(line, "a value outside an image");
      PrintedValue v;
      if (!parse_value_line(body.substr(2), v)) return fail(line, "unreadable value line");
      image->push_back(std::move(v));
      continue;
    }
    return fail(line, "unknown ### line");
  }
  if (statement) {
    error = "mariadb-binlog output ends inside a statement's rows (no \"# Number of rows\" line)";
    return false;
  }
  return true;
}

}  // namespace ferry::mysql::agreement
