#include "files/insert_text.hpp"

#include <cctype>

namespace ferry::load {
namespace {

bool word_at(std::string_view text, size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[pos + i])) != word[i]) return false;
  }
  const size_t end = pos + word.size();
  return end == text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool InsertReader::fail(std::string& error, const std::string& what) {
  error = "at byte " + std::to_string(pos_) + ": " + what;
  return false;
}

void InsertReader::skip_space() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
      const auto end = text_.find("*/", pos_ + 2);
      pos_ = end == std::string_view::npos ? text_.size() : end + 2;
    } else if (c == '#' || (c == '-' && pos_ + 2 < text_.size() && text_[pos_ + 1] == '-' &&
                            std::isspace(static_cast<unsigned char>(text_[pos_ + 2])))) {
      const auto end = text_.find('\n', pos_);
      pos_ = end == std::string_view::npos ? text_.size() : end + 1;
    } else {
      return;
    }
  }
}

bool InsertReader::skip_statement(std::string& error) {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ';') {
      ++pos_;
      return true;
    }
    if (c == '\'' || c == '"' || c == '`') {
      std::string ignored;
      ++pos_;
      if (c == '`') {
        const auto end = text_.find('`', pos_);
        if (end == std::string_view::npos) return fail(error, "an identifier that never ends");
        pos_ = end + 1;
      } else if (!read_quoted(c, ignored, error)) {
        return false;
      }
      continue;
    }
    ++pos_;
  }
  return true;
}

bool InsertReader::list_separator(bool& more, const char* where, std::string& error) {
  skip_space();
  if (pos_ < text_.size() && (text_[pos_] == ',' || text_[pos_] == ')')) {
    more = text_[pos_++] == ',';
    return true;
  }
  return fail(error, std::string("expected , or ) in ") + where);
}

bool InsertReader::read_identifier(std::string& out, std::string& error) {
  out.clear();
  if (pos_ < text_.size() && text_[pos_] == '`') {
    ++pos_;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '`') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '`') {
          out.push_back('`');
          pos_ += 2;
          continue;
        }
        ++pos_;
        return true;
      }
      out.push_back(text_[pos_++]);
    }
    return fail(error, "an identifier that never ends");
  }
  while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_' || text_[pos_] == '$')) {
    out.push_back(text_[pos_++]);
  }
  if (out.empty()) return fail(error, "expected a name");
  return true;
}

bool InsertReader::read_quoted(char quote, std::string& out, std::string& error) {
  // pos_ is just past the opening quote.
  while (pos_ < text_.size()) {
    const char c = text_[pos_++];
    if (c == quote) {
      if (pos_ < text_.size() && text_[pos_] == quote) {  // '' inside '...'
        out.push_back(quote);
        ++pos_;
        continue;
      }
      return true;
    }
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (pos_ >= text_.size()) break;
    const char e = text_[pos_++];
    switch (e) {
      case '0': out.push_back('\0'); break;
      case 'b': out.push_back('\b'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'Z': out.push_back('\032'); break;
      case '%': out += "\\%"; break;  // MySQL keeps these two escaped
      case '_': out += "\\_"; break;
      default: out.push_back(e); break;
    }
  }
  return fail(error, "a string that never ends");
}

bool InsertReader::read_cell(InsertStatement& out, std::string& error) {
  skip_space();
  InsertStatement::Cell cell;
  cell.start = static_cast<uint32_t>(out.bytes.size());
  if (pos_ >= text_.size()) return fail(error, "the file ends inside a row");
  // A character set introducer: _latin1'..' or _binary X'..'; the bytes are what counts.
  if (text_[pos_] == '_') {
    size_t p = pos_ + 1;
    while (p < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[p])) || text_[p] == '_')) ++p;
    pos_ = p;
    skip_space();
  }
  const char c = pos_ < text_.size() ? text_[pos_] : '\0';
  if (c == '\'' || c == '"') {
    ++pos_;
    if (!read_quoted(c, out.bytes, error)) return false;
    cell.quoted = true;
  } else if ((c == 'X' || c == 'x') && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\'') {
    pos_ += 2;
    const auto end = text_.find('\'', pos_);
    if (end == std::string_view::npos || (end - pos_) % 2 != 0) return fail(error, "a hex literal that does not read");
    for (; pos_ < end; pos_ += 2) {
      const int hi = hex_digit(text_[pos_]), lo = hex_digit(text_[pos_ + 1]);
      if (hi < 0 || lo < 0) return fail(error, "a hex literal that does not read");
      out.bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    pos_ = end + 1;
    cell.quoted = true;
  } else if (c == '0' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X')) {
    pos_ += 2;
    const size_t start = pos_;
    while (pos_ < text_.size() && hex_digit(text_[pos_]) >= 0) ++pos_;
    if ((pos_ - start) % 2 != 0) out.bytes.push_back(static_cast<char>(hex_digit(text_[start])));
    for (size_t p = start + (pos_ - start) % 2; p < pos_; p += 2) {
      out.bytes.push_back(static_cast<char>(hex_digit(text_[p]) * 16 + hex_digit(text_[p + 1])));
    }
    cell.quoted = true;
  } else if (word_at(text_, pos_, "NULL")) {
    pos_ += 4;
    cell.null = true;
  } else if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c))) {
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
                                   text_[pos_] == '-' || text_[pos_] == '+')) {
      out.bytes.push_back(text_[pos_++]);
    }
  } else {
    return fail(error, "a value that is not a literal (NULL, a number, a string or hex)");
  }
  cell.length = static_cast<uint32_t>(out.bytes.size() - cell.start);
  out.cells.push_back(cell);
  return true;
}

bool InsertReader::next(InsertStatement& out, std::string& error) {
  for (;;) {
    skip_space();
    if (pos_ >= text_.size()) return false;
    if (!word_at(text_, pos_, "INSERT") && !word_at(text_, pos_, "REPLACE")) {
      if (!skip_statement(error)) return false;
      continue;
    }
    break;
  }
  out = InsertStatement{};
  pos_ += word_at(text_, pos_, "INSERT") ? 6 : 7;
  skip_space();
  if (word_at(text_, pos_, "IGNORE")) {
    pos_ += 6;
    skip_space();
  }
  if (!word_at(text_, pos_, "INTO")) return fail(error, "expected INTO");
  pos_ += 4;
  skip_space();
  if (!read_identifier(out.table, error)) return false;
  if (pos_ < text_.size() && text_[pos_] == '.') {  // schema.table: keep the table
    ++pos_;
    if (!read_identifier(out.table, error)) return false;
  }
  skip_space();
  if (pos_ < text_.size() && text_[pos_] == '(') {
    ++pos_;
    for (;;) {
      skip_space();
      std::string name;
      if (!read_identifier(name, error)) return false;
      out.columns.push_back(std::move(name));
      bool more = false;
      if (!list_separator(more, "the column list", error)) return false;
      if (!more) break;
    }
    skip_space();
  }
  if (!word_at(text_, pos_, "VALUES") && !word_at(text_, pos_, "VALUE")) return fail(error, "expected VALUES");
  pos_ += word_at(text_, pos_, "VALUES") ? 6 : 5;
  for (;;) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '(') return fail(error, "expected ( starting a row");
    ++pos_;
    uint32_t cells = 0;
    for (;;) {
      if (!read_cell(out, error)) return false;
      ++cells;
      bool more = false;
      if (!list_separator(more, "a row", error)) return false;
      if (!more) break;
    }
    if (out.width == 0) out.width = cells;
    if (cells != out.width) return fail(error, "a row with " + std::to_string(cells) + " values where the first had " +
                                                   std::to_string(out.width));
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (pos_ >= text_.size()) return true;  // a last statement without ';'
    if (text_[pos_] == ';') {
      ++pos_;
      return true;
    }
    return fail(error, "expected , or ; after a row");
  }
}

}  // namespace ferry::load
