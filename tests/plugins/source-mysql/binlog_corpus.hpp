// The statements the decoder agreement tests have a server log: tables covering every column
// type MariaDB 10.11 writes to row events, compressed columns too (but MariaDB 5.3's fractional
// temporal formats, which mariadb-binlog cannot print), filled
// with each type's edge values (minima, maxima, zero dates, negative fractional times, 4-byte
// UTF-8, bytes >= 0x80, zero bytes, NULL in every column, empty strings), then changed by INSERT,
// UPDATE (a primary key too), DELETE, multi-row and multi-table statements and statements large
// enough to span several rows events.
#pragma once

#include "binlog_agreement.hpp"
#include "support/connection.hpp"

#include <string>

namespace ferry::mysql::agreement {

inline constexpr const char* kCorpusSchema = "corpus";

struct CorpusLog {
  // Rows each table's statements changed, by ROW_COUNT() after each: "corpus.ints insert" ->
  // {events 0, rows N}. What both decoders must find in the binlog (events are not known here).
  Tallies expected_rows;
};

// Creates the schema and its tables and runs every statement on `connection` (a session of its
// own: it sets sql_mode and time_zone). Rotates the binlog once along the way, so that the
// corpus spans files. Throws std::runtime_error when a statement fails.
CorpusLog write_corpus(ferry::testing::Connection& connection);

// The catalog of the corpus schema, for what a TABLE_MAP's optional metadata must say.
Catalog read_catalog(ferry::testing::Connection& connection);

}  // namespace ferry::mysql::agreement
