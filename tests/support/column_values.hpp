// The columns of the workload's every-type table: one of each column type MariaDB 10.11 has
// (every integer width signed and unsigned, DECIMAL up to (65,30), FLOAT, DOUBLE, BIT, the
// temporal types in every fractional width, strings in utf8mb4 and latin1, binary strings,
// every BLOB and TEXT size, ENUM, SET, JSON, spatial types, INET4/INET6/UUID), each with the
// literals of its extreme and awkward values and a generator of random ones.
#pragma once

#include "support/random.hpp"

#include <functional>
#include <string>
#include <vector>

namespace ferry::testing {

struct TypedColumn {
  std::string name;
  // As in CREATE TABLE, without NULL-ness: "TIME(3)", "VARCHAR(100) CHARACTER SET latin1".
  std::string definition;
  // SQL literals of its extremes: minima, maxima, zero dates, negative fractional times,
  // trailing zero bytes, 4-byte UTF-8, empty strings.
  std::vector<std::string> edges;
  // A random SQL literal; with `large`, one over 64 KiB where the type can hold it.
  std::function<std::string(Rng&, bool large)> random;
};

// In table order. Literals assume a session with time_zone '+00:00' and a sql_mode that allows
// zero dates (the workload sets both).
const std::vector<TypedColumn>& every_type_columns();

// A value for `column`: NULL one time in ten, an edge value one in four, a random one otherwise
// (large one time in 200 when `large_values`).
std::string typed_value(const TypedColumn& column, Rng& rng, bool large_values);

// Random UTF-8 text of at most `max_chars` characters and `max_bytes` bytes, mixing ASCII,
// quotes and backslashes, 2- and 3-byte characters and 4-byte emoji.
std::string random_utf8(Rng& rng, size_t max_chars, size_t max_bytes);

}  // namespace ferry::testing
