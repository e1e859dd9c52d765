// The tidb sink's config, read once.
#pragma once

#include "apply/dml_worker.hpp"

#include <ferry/sdk/config.hpp>
#include <ferry/sdk/schema.hpp>

#include <chrono>
#include <string>

namespace ferry::tidb {

// The most DML workers a task may have: a starting run waits for the session of every one an
// earlier run could have had (downstream/session_lock.hpp).
inline constexpr uint32_t kMaxWorkerCount = 512;

struct SinkOptions {
  WorkerConfig worker;                 // downstream connection, batching, retries
  uint64_t max_allowed_packet = 0;     // 0: read from the downstream
  std::string timezone;                // DDL session time_zone (DM's `timezone`)
  std::string meta_schema = "dm_meta";
  std::string source_id;
  uint32_t worker_count = 16;
  bool safe_mode = false;
  std::chrono::milliseconds safe_mode_duration{60000};
  size_t max_transaction_bytes = 64u << 20;
};

// The downstream connection keys every sink writing to a MySQL-protocol server takes: host,
// port, user, password, max-allowed-packet, session, security. The session gets DM's defaults
// (sql_mode, foreign_key_checks=0, time_zone '+00:00': row values are UTC); a `time_zone` in
// `session` goes to `timezone` instead (DDL only).
void describe_downstream_options(sdk::ConfigSchema& schema);
DownstreamOptions read_downstream_options(const sdk::Config& config, std::string& timezone);

void describe_sink_options(sdk::ConfigSchema& schema);
SinkOptions read_sink_options(const sdk::Config& config, const std::string& task_name);

}  // namespace ferry::tidb
