// Deferred secondary indexes: a table loads faster without its non-unique secondary indexes,
// which are then built once, sorted, at the end of the load (about 13% faster end to end on the
// sysbench tables of bench/dump-load.sh). Unique keys stay (duplicates must still be caught on
// the way in), and so does every index of a table with foreign keys (one may back a constraint).
#pragma once

#include <string>
#include <vector>

namespace ferry::load {

struct DeferredIndexes {
  std::string create_statement;     // the CREATE TABLE without the deferred indexes
  std::vector<std::string> names;   // index names, in definition order
  std::vector<std::string> clauses; // "ADD KEY `k_1` (`k`)", one per name
};

// Splits the plain `KEY` / `INDEX` lines out of a CREATE TABLE as SHOW CREATE TABLE writes it
// (one definition per line). Returns the statement unchanged, with no names, when there is
// nothing to defer or the statement is not in that form.
DeferredIndexes defer_secondary_indexes(const std::string& create_statement);

}  // namespace ferry::load
