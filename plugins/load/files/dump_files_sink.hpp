// The `dump-files` sink: writes what a dump streams as a dump directory in mydumper's layout
// (dump_directory.hpp) that myloader, DM and ferry's dump-files source read back. Each chunk is
// one data file, written under a temporary name and renamed when whole; the chunk's token is
// then appended to `.ferry-chunks`, so a rerun skips what is written. `metadata` is written
// last, at the FINAL checkpoint: its presence means the directory is complete.
#pragma once

#include "sql/insert_builder.hpp"

#include <ferry/sdk/host.hpp>
#include <ferry/sdk/plugin.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace ferry::load {

class DumpFilesSink final : public sdk::Sink {
 public:
  static constexpr const char* kName = "dump-files";
  static constexpr const char* kDescription = "write a dump as a mydumper-style directory (schema files, data files, metadata)";
  static constexpr const char* kVersion = "1.0";
  static constexpr uint32_t kFlags = FERRY_SINK_OWNS_CHECKPOINT;
  static void describe(sdk::ConfigSchema& schema);

  DumpFilesSink(const sdk::Host& host, const sdk::Config& config);
  ~DumpFilesSink() override;

  sdk::Status open() override;
  sdk::Status write(const ferry_batch& batch) override;
  sdk::Status load_checkpoint(std::optional<Checkpoint>& out) override;

 private:
  sdk::Status prepare();
  sdk::Status on_ddl(const ferry_event& e);
  sdk::Status on_begin(const ferry_event& e);
  sdk::Status on_row(const ferry_event& e);
  sdk::Status on_commit(const ferry_event& e);
  sdk::Status on_final(const ferry_event& e);
  sdk::Status append(const std::string& text);

  sdk::Host host_;
  std::filesystem::path dir_;
  size_t statement_bytes_;
  bool prepared_ = false;
  tidb::CharsetNames charsets_;  // the UTF-8 ones: other text goes out as hex
  std::map<std::pair<std::string, std::string>, uint64_t> next_number_;

  // The chunk being written.
  std::FILE* file_ = nullptr;
  std::filesystem::path temp_, final_;
  std::unique_ptr<InsertBuilder> builder_;
  const ferry_table_schema* builder_table_ = nullptr;
};

}  // namespace ferry::load
