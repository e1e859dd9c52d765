// jsonl-source: replays events written as JSON lines (the jsonl sink's format plus "table"
// lines that declare a table's columns). The text-driven input of pipeline tests and a way to
// feed a pipeline by hand. Positions are the file's name and line number, so a task resumes
// after the last checkpointed line.
#pragma once

#include <ferry/sdk/plugin.hpp>

#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ferry::plugins::debug {

class JsonlSource final : public sdk::Source {
 public:
  static constexpr const char* kName = "jsonl-source";
  static constexpr const char* kDescription = "replay events from a JSON-lines file (tests, hand-made input)";
  static constexpr const char* kVersion = "1.0";
  static void describe(sdk::ConfigSchema& schema);

  JsonlSource(const sdk::Host& host, const sdk::Config& config);
  ~JsonlSource() override;

  sdk::Status open(const ferry_position* start) override;
  sdk::Status poll(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) override;

 private:
  struct Table;
  sdk::Status parse_line(const std::string& line, sdk::BatchWriter& out);
  Table* declare_table(const void* json);

  sdk::Host host_;
  std::string path_;
  std::string file_name_;  // the position's file
  int64_t checkpoint_every_;
  std::ifstream in_;
  uint64_t line_no_ = 0;
  uint64_t skip_through_ = 0;
  std::deque<std::unique_ptr<Table>> tables_;  // stable addresses: events point at schemas
  std::map<std::string, Table*> by_name_;
};

}  // namespace ferry::plugins::debug
