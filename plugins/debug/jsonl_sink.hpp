// jsonl sink: writes each event as one line of JSON (docs/event-json.md), to a file or stdout.
// For debugging a pipeline and for tests. With a file it keeps its own checkpoint beside the
// output (<path>.checkpoint): on a CHECKPOINT it fsyncs the output and records its length with
// the position, and on open it cuts the file back to that length, so a killed task that resumes
// neither loses nor repeats a line.
#pragma once

#include <ferry/sdk/plugin.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstdio>
#include <optional>
#include <string>

namespace ferry::plugins::debug {

class JsonlSink final : public sdk::Sink {
 public:
  static constexpr const char* kName = "jsonl";
  static constexpr const char* kDescription = "write events as JSON lines to a file or stdout (debugging, tests)";
  static constexpr const char* kVersion = "1.0";
  static constexpr uint32_t kFlags = FERRY_SINK_OWNS_CHECKPOINT;
  static void describe(sdk::ConfigSchema& schema);

  JsonlSink(const sdk::Host& host, const sdk::Config& config);
  ~JsonlSink() override;

  sdk::Status open() override;
  sdk::Status write(const ferry_batch& batch) override;
  sdk::Status load_checkpoint(std::optional<Checkpoint>& out) override;

 private:
  sdk::Status persist_checkpoint(const ferry_event& event);
  std::optional<nlohmann::json> read_checkpoint_file() const;

  sdk::Host host_;
  std::string path_;  // "-" for stdout
  std::string checkpoint_path_;
  bool include_position_;
  std::FILE* out_ = nullptr;
  std::string line_;
};

}  // namespace ferry::plugins::debug
