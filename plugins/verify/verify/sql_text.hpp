// SQL text for the verify queries: identifiers and literals. Literals are rendered so that they
// mean the same under any sql_mode (no backslash escapes are ever needed).
#pragma once

#include <string>
#include <string_view>

namespace ferry::verify {

// `name` in backticks, with backticks doubled.
std::string sql_identifier(std::string_view name);
// 'text' when `text` holds only letters, digits, spaces and -:._ ; otherwise _utf8mb4 X'..'.
std::string sql_string(std::string_view text);
// X'..': the bytes as a hexadecimal literal (binary strings, BIT).
std::string sql_bytes(std::string_view bytes);
// Whether `text` is a plain decimal or floating-point number, safe to put in SQL as it is.
bool is_sql_number(std::string_view text);
// Upper-case hexadecimal digits of `bytes`.
std::string hex(std::string_view bytes);

}  // namespace ferry::verify
