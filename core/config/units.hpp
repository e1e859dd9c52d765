// Durations and sizes as written in task files: "250ms", "30s", "1h30m"; "64MiB", "512KiB", "1000".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ferry::core::config {

// Milliseconds, or nullopt when `text` is not a duration with units (ms, s, m, h; combinable
// and fractional like Go's: "1h30m", "1.5s").
std::optional<int64_t> parse_duration_ms(std::string_view text);

// Bytes, or nullopt. Units: B, KiB, MiB, GiB, TiB (1024-based), KB, MB, GB, TB (1000-based);
// a bare integer is bytes.
std::optional<int64_t> parse_size_bytes(std::string_view text);

}  // namespace ferry::core::config
