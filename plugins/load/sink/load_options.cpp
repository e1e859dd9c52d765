#include "sink/load_options.hpp"

#include "sink/sink_options.hpp"

namespace ferry::load {

void describe_load_options(sdk::ConfigSchema& schema) {
  tidb::describe_downstream_options(schema);
  schema.add(sdk::string("meta-schema").default_value("dm_meta").describe("downstream schema of the loader checkpoint table"));
  schema.add(sdk::string("source-id").default_value("").describe("id column of the checkpoint rows (DM's source-id); default: the task name"));
  schema.add(sdk::integer("pool-size").default_value("16").min(1).max(kMaxPoolSize).describe("parallel loading connections (DM's loaders.pool-size)"));
  schema.add(sdk::size("statement-size").default_value("1MiB").min(1024).describe("bytes per multi-row INSERT (capped by max_allowed_packet)"));
  schema.add(sdk::size("buffer-size").default_value("256MiB").min(1 << 20).describe(
      "rows held in memory for the loading connections, all of them together; chunks load at the same time only "
      "while the ones after the first fit in it"));
  schema.add(sdk::enumeration("on-duplicate", {"replace", "ignore", "error"}).default_value("replace")
                 .describe("a row whose key is already downstream: replace it, keep the old one, or stop (DM's on-duplicate-logical)"));
  schema.add(sdk::enumeration("load-method", {"auto", "bulk", "load-data", "insert"}).default_value("auto")
                 .describe("bulk: array-bound prepared INSERTs (MariaDB's bulk execution); load-data: LOAD DATA LOCAL INFILE streamed from memory; "
                           "insert: multi-row INSERTs; auto: bulk where the server offers it, else load-data except on TiDB and with on-duplicate: error"));
  schema.add(sdk::boolean("defer-indexes").default_value("true")
                 .describe("create tables without their non-unique secondary indexes and build those once the load is done"));
}

LoadOptions read_load_options(const sdk::Config& c, const std::string& task_name) {
  LoadOptions o;
  // DM's session (NO_AUTO_VALUE_ON_ZERO keeps zero in AUTO_INCREMENT columns, UTC TIMESTAMP text,
  // no foreign key checks); a session time_zone would only apply to DDL, which the load runs as is.
  std::string ddl_timezone;
  o.downstream = tidb::read_downstream_options(c, ddl_timezone);
  o.max_allowed_packet = static_cast<uint64_t>(c.require_integer("max-allowed-packet"));
  o.meta_schema = std::string(c.require_string("meta-schema"));
  o.source_id = std::string(c.require_string("source-id"));
  if (o.source_id.empty()) o.source_id = task_name.substr(0, 32);
  o.pool_size = static_cast<uint32_t>(c.require_integer("pool-size"));
  o.statement_bytes = static_cast<size_t>(c.require_integer("statement-size"));
  o.buffer_bytes = static_cast<size_t>(c.require_integer("buffer-size"));
  const std::string_view dup = c.require_string("on-duplicate");
  o.defer_indexes = c.require_boolean("defer-indexes");
  const std::string_view method = c.require_string("load-method");
  o.method = method == "bulk"        ? LoadMethod::Bulk
             : method == "load-data" ? LoadMethod::LoadData
             : method == "insert"    ? LoadMethod::Insert
                                     : LoadMethod::Auto;
  o.on_duplicate = dup == "ignore" ? OnDuplicate::Ignore : dup == "error" ? OnDuplicate::Error : OnDuplicate::Replace;
  return o;
}

}  // namespace ferry::load
