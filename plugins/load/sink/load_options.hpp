// The tidb-load sink's config, read once.
#pragma once

#include "downstream/downstream_connection.hpp"

#include <ferry/sdk/config.hpp>
#include <ferry/sdk/schema.hpp>

#include <string>

namespace ferry::load {

enum class OnDuplicate { Replace, Ignore, Error };
// How rows go in: MariaDB's array-bound INSERTs (bulk), LOAD DATA LOCAL INFILE streamed from
// memory, or multi-row INSERTs. `Auto` picks bulk where the server offers it (MariaDB), else
// LOAD DATA except on TiDB (whose LOAD DATA may commit in batches of its own) and with
// on-duplicate: error (LOCAL only warns on duplicates).
enum class LoadMethod { Auto, Bulk, LoadData, Insert };

// The most loader connections a task may have: a starting load waits for the session of every
// one an earlier run could have had (tidb downstream/session_lock.hpp).
inline constexpr uint32_t kMaxPoolSize = 256;

struct LoadOptions {
  tidb::DownstreamOptions downstream;
  uint64_t max_allowed_packet = 0;  // 0: read from the downstream
  std::string meta_schema = "dm_meta";
  std::string source_id;
  uint32_t pool_size = 16;
  size_t statement_bytes = 1u << 20;
  size_t buffer_bytes = 256u << 20;  // rows queued for the loaders, all of them together
  OnDuplicate on_duplicate = OnDuplicate::Replace;
  bool defer_indexes = true;
  LoadMethod method = LoadMethod::Auto;
};

void describe_load_options(sdk::ConfigSchema& schema);
LoadOptions read_load_options(const sdk::Config& config, const std::string& task_name);

}  // namespace ferry::load
