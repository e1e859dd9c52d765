#include "source/ddl_target.hpp"

#include <cctype>

namespace ferry::mysql {

namespace {

// Reads words, quoted identifiers and punctuation; skips whitespace and comments.
class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  void skip_space() {
    while (i_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[i_]))) {
        ++i_;
      } else if (s_.substr(i_, 2) == "/*") {
        // MySQL's versioned comments (/*!50100 ... */) hold real SQL: read inside them.
        if (s_.substr(i_, 3) == "/*!") {
          i_ += 3;
          while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        } else {
          const auto end = s_.find("*/", i_ + 2);
          i_ = end == std::string_view::npos ? s_.size() : end + 2;
        }
      } else if (s_.substr(i_, 2) == "*/") {
        i_ += 2;
      } else if (s_.substr(i_, 2) == "--" || s_[i_] == '#') {
        const auto end = s_.find('\n', i_);
        i_ = end == std::string_view::npos ? s_.size() : end + 1;
      } else {
        break;
      }
    }
  }

  // The next keyword, upper-cased; empty when the next token is not a bare word.
  std::string peek_word() {
    skip_space();
    size_t j = i_;
    std::string w;
    while (j < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '_' || s_[j] == '$')) {
      w.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s_[j]))));
      ++j;
    }
    return w;
  }
  bool accept(std::string_view word) {
    if (peek_word() != word) return false;
    i_ += word.size();
    return true;
  }
  bool accept_char(char c) {
    skip_space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  // An identifier: `quoted`, "quoted" or bare. Empty when there is none.
  std::string identifier() {
    skip_space();
    if (i_ >= s_.size()) return {};
    const char q = s_[i_];
    if (q == '`' || q == '"') {
      std::string out;
      ++i_;
      while (i_ < s_.size()) {
        if (s_[i_] == q) {
          if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {
            out.push_back(q);
            i_ += 2;
            continue;
          }
          ++i_;
          return out;
        }
        out.push_back(s_[i_++]);
      }
      return out;
    }
    std::string out;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '$' ||
                              static_cast<unsigned char>(s_[i_]) >= 0x80)) {
      out.push_back(s_[i_++]);
    }
    return out;
  }

  // [schema.]table
  bool table_name(std::string_view default_schema, TableName& out) {
    std::string first = identifier();
    if (first.empty()) return false;
    skip_space();
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      std::string second = identifier();
      if (second.empty()) return false;
      out = TableName{std::move(first), std::move(second)};
      return true;
    }
    out = TableName{std::string(default_schema), std::move(first)};
    return true;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

DdlTarget tables(std::vector<TableName> names) {
  DdlTarget t;
  t.kind = DdlTarget::Kind::Table;
  t.tables = std::move(names);
  return t;
}

}  // namespace

DdlTarget parse_ddl_target(std::string_view statement, std::string_view default_schema) {
  Lexer in(statement);
  TableName name;
  auto if_exists = [&] {
    if (in.accept("IF")) {
      in.accept("NOT");
      in.accept("EXISTS");
    }
  };
  auto database = [&]() -> DdlTarget {
    if_exists();
    DdlTarget t;
    t.database = in.identifier();
    if (!t.database.empty()) t.kind = DdlTarget::Kind::Database;
    return t;
  };
  if (in.accept("CREATE")) {
    if (in.accept("OR")) in.accept("REPLACE");
    if (in.accept("DATABASE") || in.accept("SCHEMA")) return database();
    in.accept("TEMPORARY");
    if (in.accept("TABLE")) {
      if_exists();
      if (in.table_name(default_schema, name)) return tables({name});
      return {};
    }
    if (!in.accept("ONLINE")) in.accept("OFFLINE");
    if (!in.accept("UNIQUE") && !in.accept("FULLTEXT")) in.accept("SPATIAL");
    if (in.accept("INDEX")) {
      if_exists();
      in.identifier();  // the index name
      if (in.accept("ON") && in.table_name(default_schema, name)) return tables({name});
    }
    return {};
  }
  if (in.accept("ALTER")) {
    if (in.accept("DATABASE") || in.accept("SCHEMA")) return database();
    in.accept("ONLINE");
    in.accept("IGNORE");
    if (in.accept("TABLE")) {
      if_exists();
      if (in.table_name(default_schema, name)) return tables({name});
    }
    return {};
  }
  if (in.accept("DROP")) {
    if (in.accept("DATABASE") || in.accept("SCHEMA")) return database();
    in.accept("TEMPORARY");
    if (in.accept("TABLE")) {
      if_exists();
      std::vector<TableName> names;
      do {
        if (!in.table_name(default_schema, name)) return {};
        names.push_back(name);
      } while (in.accept_char(','));
      return tables(std::move(names));
    }
    if (!in.accept("ONLINE")) in.accept("OFFLINE");
    if (in.accept("INDEX")) {
      if_exists();
      in.identifier();
      if (in.accept("ON") && in.table_name(default_schema, name)) return tables({name});
    }
    return {};
  }
  if (in.accept("RENAME")) {
    if (!in.accept("TABLE")) return {};
    std::vector<TableName> names;
    do {
      TableName to;
      if (!in.table_name(default_schema, name) || !in.accept("TO") || !in.table_name(default_schema, to)) return {};
      names.push_back(name);
      names.push_back(to);
    } while (in.accept_char(','));
    return tables(std::move(names));
  }
  if (in.accept("TRUNCATE")) {
    in.accept("TABLE");
    if (in.table_name(default_schema, name)) return tables({name});
  }
  return {};
}

}  // namespace ferry::mysql
