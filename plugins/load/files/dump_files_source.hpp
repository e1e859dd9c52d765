// The `dump-files` source: loads a dump directory (mydumper 0.10, dumpling, or ferry's
// dump-files sink): its CREATE statements as DDL events, then each data file as one chunk
// (TXN_BEGIN ... rows ... TXN_COMMIT, the file named in the chunk's token), then a FINAL
// checkpoint at the position in its metadata, from which an `all` task's sync starts.
//
// Resuming: like the mysql-dump source, it takes the tokens of the chunks a load sink
// committed (a JSON array, the start position's token) and skips those files.
//
// `clean-after-load` (DM's clean-dump-file): once the sink has committed the FINAL checkpoint
// (its ack: the load is durable), the data files or the whole directory are deleted.
#pragma once

#include "files/dump_directory.hpp"
#include "files/insert_text.hpp"
#include "schema/dump_table.hpp"
#include "source/ddl_queue.hpp"

#include <ferry/sdk/host.hpp>
#include <ferry/sdk/plugin.hpp>

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace ferry::load {

class DumpFilesSource final : public sdk::Source {
 public:
  static constexpr const char* kName = "dump-files";
  static constexpr const char* kDescription = "load a dump directory (mydumper, dumpling, or ferry's dump-files sink)";
  static constexpr const char* kVersion = "1.0";
  static constexpr uint32_t kFlags = 0;
  static void describe(sdk::ConfigSchema& schema);

  DumpFilesSource(const sdk::Host& host, const sdk::Config& config);

  sdk::Status open(const ferry_position* start) override;
  sdk::Status poll(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) override;
  // The only checkpoint this source emits is the FINAL one: its ack means the load is committed.
  void ack(const ferry_position& pos) override;

 private:
  sdk::Status open_file(const DataFile& f);
  // Emits rows of the open file while there is room; `done` once the file is read whole.
  sdk::Status emit_rows(sdk::BatchWriter& out, bool& done);
  void set_position(ferry_event& e, sdk::BatchWriter& out);
  ferry_position position_in(sdk::BatchWriter& out);  // the position this batch's events share
  std::string token(const DataFile& f) const;

  sdk::Host host_;
  std::filesystem::path dir_;
  CleanAfterLoad clean_ = CleanAfterLoad::None;
  bool cleaned_ = false;
  DumpMetadata metadata_;
  dump::DdlQueue ddl_;
  std::deque<dump::DumpTable> tables_;
  std::map<std::pair<std::string, std::string>, const dump::DumpTable*> by_name_;
  std::deque<DataFile> files_;
  bool finished_ = false;

  // The file being read.
  std::optional<DataFile> file_;
  const dump::DumpTable* table_ = nullptr;
  std::string text_;
  std::optional<InsertReader> reader_;
  InsertStatement statement_;
  std::vector<int> column_of_cell_;  // statement column -> table column
  size_t row_ = 0;
  bool began_ = false;
  uint64_t rows_done_ = 0, files_done_ = 0;
};

}  // namespace ferry::load
