// generate: a source of synthetic sysbench-like rows (id, k, c, pad) over N tables, for
// benchmarks and demos. Deterministic: the same config yields the same events. Resumes from the
// row count in its checkpoint position.
#pragma once

#include <ferry/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace ferry::plugins::debug {

class GenerateSource final : public sdk::Source {
 public:
  static constexpr const char* kName = "generate";
  static constexpr const char* kDescription = "synthetic sysbench-like row events (benchmarks, demos)";
  static constexpr const char* kVersion = "1.0";
  static void describe(sdk::ConfigSchema& schema);

  GenerateSource(const sdk::Host& host, const sdk::Config& config);

  sdk::Status open(const ferry_position* start) override;
  sdk::Status poll(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) override;

 private:
  struct Table {
    std::string name;
    ferry_table_schema schema{};
  };
  void position(sdk::BatchWriter& out, ferry_event& e) const;

  sdk::Host host_;
  std::string schema_name_;
  uint64_t rows_;          // 0 = unbounded
  uint64_t txn_rows_;      // 0 = no transaction events
  uint64_t checkpoint_every_;
  std::vector<std::string> column_names_;
  std::vector<std::string> column_types_;
  std::vector<ferry_column> columns_;
  uint32_t pk_column_ = 0;
  ferry_index pk_{};
  std::vector<Table> tables_;
  std::string c_text_;
  std::string pad_text_;
  uint64_t emitted_ = 0;   // rows
  bool in_txn_ = false;
};

}  // namespace ferry::plugins::debug
