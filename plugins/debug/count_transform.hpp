// count: a transform that passes everything through and reports how many events of each kind it
// saw as the metric ferry_transform_events_total. For benchmarks and for checking what a
// pipeline carries.
#pragma once

#include <ferry/sdk/plugin.hpp>

#include <array>

namespace ferry::plugins::debug {

class CountTransform final : public sdk::Transform {
 public:
  static constexpr const char* kName = "count";
  static constexpr const char* kDescription = "pass events through, counting them by kind (metrics, benchmarks)";
  static constexpr const char* kVersion = "1.0";
  static void describe(sdk::ConfigSchema&) {}

  CountTransform(const sdk::Host& host, const sdk::Config&) : host_(host) {}

  sdk::Status process(ferry_batch& batch, const ferry_host_api&) override {
    for (uint32_t i = 0; i < batch.count; ++i) ++seen_[batch.events[i].kind % seen_.size()];
    host_.counter_add("transform_events_total", batch.count);
    return sdk::Status::ok();
  }

 private:
  sdk::Host host_;
  std::array<uint64_t, 8> seen_{};
};

}  // namespace ferry::plugins::debug
