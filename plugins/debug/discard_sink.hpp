// discard: a sink that applies nothing and only counts, for benchmarks and dry runs.
#pragma once

#include <ferry/sdk/plugin.hpp>

namespace ferry::plugins::debug {

class DiscardSink final : public sdk::Sink {
 public:
  static constexpr const char* kName = "discard";
  static constexpr const char* kDescription = "accept and drop every event, counting them (benchmarks, dry runs)";
  static constexpr const char* kVersion = "1.0";
  static void describe(sdk::ConfigSchema&) {}

  DiscardSink(const sdk::Host& host, const sdk::Config&) : host_(host) {}
  ~DiscardSink() override { host_.info("discarded events=" + std::to_string(events_)); }

  sdk::Status write(const ferry_batch& batch) override {
    events_ += batch.count;
    return sdk::Status::ok();
  }

 private:
  sdk::Host host_;
  uint64_t events_ = 0;
};

}  // namespace ferry::plugins::debug
