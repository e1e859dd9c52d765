// A dump directory as mydumper 0.10 and dumpling write it, and as ferry's dump-files sink
// writes it:
//
//   metadata                       the binlog position of the snapshot (written last); ferry adds
//                                  the tables read after it (below)
//   {db}-schema-create.sql         CREATE DATABASE
//   {db}.{table}-schema.sql        CREATE TABLE
//   {db}.{table}[.{n}].sql         INSERT statements, one file per chunk
//
// Views, triggers and routines (-schema-view.sql, -schema-triggers.sql, -schema-post.sql) are
// listed but not loaded; compressed files (.sql.gz, .sql.zst) are refused by name.
#pragma once

#include <ferry/sdk/handover.hpp>

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

// What a dump directory says about the binlog. `start` is where a sync begins. `after`, when it
// is further on, ends the stretch whose changes may already be in the data files (dumpling
// without a lock writes it; ferry writes the dump's "safe until" point there, so DM runs its
// safe mode up to it too). `tables` are ferry's: tables read whole in a snapshot after `start`
// (a dump resumed after a kill), each with that snapshot's position (sdk/handover.hpp).
struct DumpMetadata {
  MetadataPoint start;                 // SHOW MASTER STATUS
  std::optional<MetadataPoint> after;  // SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED */
  std::vector<sdk::SafeUntil::TableRead> tables;
};

// Reads `dir`/metadata. nullopt with `error` saying what is wrong and what to do when the file
// is missing or incomplete (DM's "parse mydumper metadata error: EOF").
std::optional<DumpMetadata> read_metadata(const std::filesystem::path& dir, std::string& error);
// The text of a metadata file, mydumper's format. The tables go in a section of ferry's own
// before the positions, which DM's parser skips (it reads only the SHOW ... STATUS sections) and
// myloader never reads: one "\t<schema>.<table>@<file>:<offset>" line each, names encoded as in a
// hand-over note.
std::string metadata_text(const DumpMetadata& m, const std::string& started, const std::string& finished);

// The hand-over note (sdk/handover.hpp) a sync started from this directory needs; empty when
// its stretch is empty (one snapshot, or a dump taken under a lock).
std::string handover_note(const DumpMetadata& m);
// `m` with the window of a dump's FINAL checkpoint token (a hand-over note, or nothing).
void set_handover(DumpMetadata& m, std::string_view token);

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

// What a load from a directory deletes once it is committed (DM's clean-dump-file).
enum class CleanAfterLoad {
  None,
  DataFiles,  // the data files, keeping metadata and schema files (DM's loader), and a marker
  All,        // the whole directory (DM's sync, when it starts after its load)
};
// The marker a DataFiles clean leaves: a load of the directory is refused, not run empty.
inline constexpr const char* kDataFilesRemovedMarker = ".ferry-data-files-removed";
// Deletes what `how` says of `dir` (a listed data file missing already is no error); false with
// `error` naming the first file that could not be deleted.
bool clean_after_load(const std::filesystem::path& dir, CleanAfterLoad how, std::string& error);

std::filesystem::path schema_create_file(const std::filesystem::path& dir, const std::string& schema);
std::filesystem::path table_schema_file(const std::filesystem::path& dir, const std::string& schema, const std::string& table);
std::filesystem::path data_file(const std::filesystem::path& dir, const std::string& schema, const std::string& table,
                                uint64_t number);

}  // namespace ferry::load
