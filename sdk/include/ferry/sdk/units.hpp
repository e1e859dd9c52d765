// Durations and sizes as written in task files: "250ms", "30s", "1h30m"; "64MiB", "512KiB",
// "1000". Shared by the host's validator and the SDK's test harness so both read them alike.
#pragma once

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::sdk::units {

namespace detail {

// Reads a non-negative decimal number at the front of `s`; advances `s`.
inline std::optional<double> read_number(std::string_view& s) {
  size_t i = 0;
  bool digits = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
  }
  if (!digits) return std::nullopt;
  double v = std::strtod(std::string(s.substr(0, i)).c_str(), nullptr);
  s.remove_prefix(i);
  return v;
}

inline std::string_view read_unit(std::string_view& s) {
  size_t i = 0;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  std::string_view unit = s.substr(0, i);
  s.remove_prefix(i);
  return unit;
}

}  // namespace detail

// Milliseconds, or nullopt when `text` is not a duration with units (ms, s, m, h; combinable
// and fractional as in Go: "1h30m", "1.5s").
inline std::optional<int64_t> parse_duration_ms(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  while (!text.empty()) {
    auto n = detail::read_number(text);
    if (!n) return std::nullopt;
    std::string_view unit = detail::read_unit(text);
    double scale = 0;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    else return std::nullopt;
    total += *n * scale;
  }
  if (total > 9.0e15) return std::nullopt;
  return static_cast<int64_t>(std::llround(total));
}

// Bytes, or nullopt. Units: B, KiB, MiB, GiB, TiB (1024-based), KB, MB, GB, TB (1000-based);
// a bare integer is bytes.
inline std::optional<int64_t> parse_size_bytes(std::string_view text) {
  std::string_view s = text;
  auto n = detail::read_number(s);
  if (!n) return std::nullopt;
  std::string_view unit = detail::read_unit(s);
  if (!s.empty()) return std::nullopt;
  double scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "KiB") scale = 1024.0;
  else if (unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else if (unit == "TiB") scale = 1024.0 * 1024 * 1024 * 1024;
  else if (unit == "KB") scale = 1e3;
  else if (unit == "MB") scale = 1e6;
  else if (unit == "GB") scale = 1e9;
  else if (unit == "TB") scale = 1e12;
  else return std::nullopt;
  double bytes = *n * scale;
  if (bytes > 9.0e18 || bytes != std::floor(bytes)) return std::nullopt;
  return static_cast<int64_t>(bytes);
}

}  // namespace ferry::sdk::units
