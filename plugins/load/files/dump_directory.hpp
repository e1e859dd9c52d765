// A dump directory as mydumper 0.10 and dumpling write it, and as ferry's dump-files sink
// writes it:
//
//   metadata                       the binlog position of the snapshot (written last)
//   {db}-schema-create.sql         CREATE DATABASE
//   {db}.{table}-schema.sql        CREATE TABLE
//   {db}.{table}[.{n}].sql         INSERT statements, one file per chunk
//
// Views, triggers and routines (-schema-view.sql, -schema-triggers.sql, -schema-post.sql) are
// listed but not loaded; compressed files (.sql.gz, .sql.zst) are refused by name.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ferry::load {

struct MetadataPoint {
  std::string file;
  uint64_t pos = 0;
  std::string gtid;
};

struct DumpMetadata {
  MetadataPoint start;               // SHOW MASTER STATUS
  std::optional<MetadataPoint> after;  // dumpling without a lock: the position after connecting
};

// Reads `dir`/metadata. nullopt with `error` saying what is wrong and what to do when the file
// is missing or incomplete (DM's "parse mydumper metadata error: EOF").
std::optional<DumpMetadata> read_metadata(const std::filesystem::path& dir, std::string& error);
// The text of a metadata file, mydumper's format.
std::string metadata_text(const DumpMetadata& m, const std::string& started, const std::string& finished);

struct DataFile {
  std::string schema, table;
  std::filesystem::path path;
  uint64_t number = 0;  // the chunk number in the name; 0 without one
};

struct DumpListing {
  std::vector<std::string> schemas;                                // with a -schema-create.sql
  std::vector<std::pair<std::string, std::string>> tables;         // with a -schema.sql
  std::vector<DataFile> data;                                      // sorted by table, then number
  std::vector<std::string> skipped;                                // views, triggers, routines
};

// Lists `dir`; false with `error` on a file ferry cannot read (compressed, unknown name).
bool list_dump_directory(const std::filesystem::path& dir, DumpListing& out, std::string& error);

std::filesystem::path schema_create_file(const std::filesystem::path& dir, const std::string& schema);
std::filesystem::path table_schema_file(const std::filesystem::path& dir, const std::string& schema, const std::string& table);
std::filesystem::path data_file(const std::filesystem::path& dir, const std::string& schema, const std::string& table,
                                uint64_t number);

}  // namespace ferry::load
