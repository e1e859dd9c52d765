// SQL text for values and names that test helpers build into statements: quoting that is exact
// for any bytes, so that a generated statement stores precisely the value it was built from.
#pragma once

#include <string>
#include <string_view>

namespace ferry::testing {

// 'text' with the characters MariaDB's default sql_mode treats specially escaped (backslash,
// quote, NUL, CR, LF, Ctrl-Z); the bytes are otherwise passed through, so the literal is in the
// connection's character set (utf8mb4 for Connection).
std::string sql_string(std::string_view text);

// X'0A1B...' (X'' for no bytes): exact bytes whatever the connection's character set.
std::string sql_hex(std::string_view bytes);

// `name` with any backquote doubled.
std::string sql_identifier(std::string_view name);

// `schema`.`table`
std::string sql_table(std::string_view schema, std::string_view table);

}  // namespace ferry::testing
