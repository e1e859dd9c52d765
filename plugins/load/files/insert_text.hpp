// INSERT statements as text, both ways: reading the data files of a dump directory (mydumper
// 0.10's: double-quoted strings with backslash escapes, raw bytes for binary, BIT and GEOMETRY;
// and ferry's own, which may also use X'..' and _charset introducers), and writing ferry's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::load {

// One INSERT ... VALUES statement, its cells unescaped.
struct InsertStatement {
  std::string table;                 // as written, without schema
  std::vector<std::string> columns;  // the column list; empty when the statement has none
  uint32_t width = 0;                // cells per row
  std::string bytes;                 // every cell's bytes, one after the other
  struct Cell {
    uint32_t start = 0, length = 0;
    bool null = false;
    bool quoted = false;  // a string or hex literal (not a bare number)
  };
  std::vector<Cell> cells;  // row after row

  size_t rows() const { return width == 0 ? 0 : cells.size() / width; }
  std::string_view text(const Cell& c) const { return std::string_view(bytes).substr(c.start, c.length); }
};

// Reads the INSERT statements of a file's text one by one, skipping every other statement
// (SET NAMES, comments).
class InsertReader {
 public:
  explicit InsertReader(std::string_view text) : text_(text) {}
  // False at the end, or with `error` set ("at byte N: ...") on text it cannot read.
  bool next(InsertStatement& out, std::string& error);
  size_t offset() const { return pos_; }

 private:
  void skip_space();
  bool skip_statement(std::string& error);
  // After an item of a parenthesised list: `more` for ',', not for ')'.
  bool list_separator(bool& more, const char* where, std::string& error);
  bool read_identifier(std::string& out, std::string& error);
  bool read_cell(InsertStatement& out, std::string& error);
  bool read_quoted(char quote, std::string& out, std::string& error);
  bool fail(std::string& error, const std::string& what);

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace ferry::load
