// RetryPolicy: capped exponential backoff for retryable plugin failures.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace ferry::core {

struct RetryPolicy {
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  uint32_t max_retries = 20;  // consecutive; 0 means never retry

  // The wait before retry number `attempt` (1-based).
  std::chrono::milliseconds backoff(uint32_t attempt) const {
    auto d = initial_backoff;
    for (uint32_t i = 1; i < attempt && d < max_backoff; ++i) d *= 2;
    return std::min(d, max_backoff);
  }
};

}  // namespace ferry::core
