// The mysql-dump source's config, read once.
#pragma once

#include "client/upstream_connection.hpp"

#include <ferry/sdk/config.hpp>
#include <ferry/sdk/schema.hpp>

#include <string>
#include <vector>

namespace ferry::dump {

// How the snapshot is made consistent across the reading connections (dumpling's names).
enum class Consistency {
  Auto,   // flush, or lock when the global read lock is not permitted
  Flush,  // FLUSH TABLES WITH READ LOCK while the snapshots open
  Lock,   // LOCK TABLES ... READ on the dumped tables while the snapshots open
  None,   // no lock: a before and an after position, the sync phase is safe between them
};

struct DumpOptions {
  mysql::ConnectionOptions upstream;
  std::vector<std::string> databases;  // empty: every schema but the system ones
  std::vector<std::string> tables;     // "schema.table"; empty: every table of `databases`
  uint32_t threads = 4;
  uint64_t rows = 200000;  // rows per chunk (DM's default); 0: whole tables
  uint64_t chunk_bytes = 0;  // when set: rows per chunk from it and the table's average row size
  Consistency consistency = Consistency::Auto;
  size_t reader_buffer_bytes = 8u << 20;  // rows a reader holds ahead of the stream
};

void describe_dump_options(sdk::ConfigSchema& schema);
DumpOptions read_dump_options(const sdk::Config& config);

}  // namespace ferry::dump
