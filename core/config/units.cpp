#include "config/units.hpp"

#include <cctype>
#include <cmath>
#include <string>

namespace ferry::core::config {
namespace {

// Reads a non-negative decimal number at `s`; advances `s`.
std::optional<double> read_number(std::string_view& s) {
  size_t i = 0;
  bool digits = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
  }
  if (!digits) return std::nullopt;
  double v = std::stod(std::string(s.substr(0, i)));
  s.remove_prefix(i);
  return v;
}

std::string_view read_unit(std::string_view& s) {
  size_t i = 0;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  std::string_view unit = s.substr(0, i);
  s.remove_prefix(i);
  return unit;
}

}  // namespace

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  while (!text.empty()) {
    auto n = read_number(text);
    if (!n) return std::nullopt;
    std::string_view unit = read_unit(text);
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

std::optional<int64_t> parse_size_bytes(std::string_view text) {
  std::string_view s = text;
  auto n = read_number(s);
  if (!n) return std::nullopt;
  std::string_view unit = read_unit(s);
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

}  // namespace ferry::core::config
