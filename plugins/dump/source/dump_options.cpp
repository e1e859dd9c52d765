#include "source/dump_options.hpp"

namespace ferry::dump {

void describe_dump_options(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("host").default_value("127.0.0.1").describe("upstream server"));
  schema.add(sdk::integer("port").default_value("3306").min(1).max(65535));
  schema.add(sdk::string("user").required());
  schema.add(sdk::string("password").secret().default_value("").describe("use ${VAR} to take it from the environment"));
  schema.add(sdk::list("databases", sdk::string("name")).describe("schemas to dump; default: every schema but mysql, sys, information_schema, performance_schema"));
  schema.add(sdk::list("tables", sdk::string("name")).describe("only these tables, as schema.table"));
  schema.add(sdk::integer("threads").default_value("4").min(1).max(64).describe("reading connections, each in the same consistent snapshot"));
  schema.add(sdk::integer("rows").default_value("200000").min(0)
                 .describe("rows per chunk, cut on an integer key (DM's mydumpers.rows); 0 reads each table whole"));
  schema.add(sdk::size("chunk-size").default_value("0").describe(
      "bytes per chunk instead of rows, from the table's average row size on disk (DM's mydumpers.chunk-filesize); 0: use rows"));
  schema.add(sdk::enumeration("consistency", {"auto", "flush", "lock", "none"}).default_value("auto")
                 .describe("flush: global read lock while the snapshots open; lock: LOCK TABLES; none: no lock, sync runs in safe mode over the dump's span; auto: flush, else lock"));
  schema.add(sdk::size("reader-buffer").default_value("8MiB").min(65536).describe("rows each reader reads ahead of the stream"));
}

DumpOptions read_dump_options(const sdk::Config& c) {
  DumpOptions o;
  o.upstream.host = std::string(c.require_string("host"));
  o.upstream.port = static_cast<uint16_t>(c.require_integer("port"));
  o.upstream.user = std::string(c.require_string("user"));
  o.upstream.password = std::string(c.require_string("password"));
  for (const char* key : {"databases", "tables"}) {
    const sdk::Config list = c.child(key);
    auto& out = std::string(key) == "databases" ? o.databases : o.tables;
    for (uint32_t i = 0; i < list.size(); ++i) out.emplace_back(list.at(i).string().value_or(""));
  }
  o.threads = static_cast<uint32_t>(c.require_integer("threads"));
  o.rows = static_cast<uint64_t>(c.require_integer("rows"));
  o.chunk_bytes = static_cast<uint64_t>(c.require_integer("chunk-size"));
  const std::string_view consistency = c.require_string("consistency");
  o.consistency = consistency == "flush" ? Consistency::Flush
                  : consistency == "lock" ? Consistency::Lock
                  : consistency == "none" ? Consistency::None
                                          : Consistency::Auto;
  o.reader_buffer_bytes = static_cast<size_t>(c.require_integer("reader-buffer"));
  return o;
}

}  // namespace ferry::dump
