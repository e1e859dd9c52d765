// Hand-over notes: what a finished phase tells the next one besides where to start.
//
// A full phase ends with a FINAL checkpoint at the position the incremental phase starts from.
// When its snapshots span a stretch of binlog (a dump restarted after a kill reads the rest of
// its chunks in a later snapshot; a dump taken without a lock has a before and an after
// position), changes inside that stretch may already be downstream, so the next phase must apply
// idempotently until the stretch's end. The final checkpoint's token then carries
//
//   safe-until=<binlog file>:<offset>[;gtid=<executed set>]
//
// A binlog source that is handed such a note marks its rows FERRY_EVENT_SAFE until it passes
// that point, and repeats the note on the TXN_BEGIN and CHECKPOINT events it emits meanwhile, so
// a sink can persist the point (DM's exit_safe_binlog_*) before it applies anything.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::sdk {

struct SafeUntil {
  std::string file;
  uint64_t pos = 0;
  std::string gtid;
};

inline constexpr std::string_view kSafeUntilPrefix = "safe-until=";

inline std::string format_safe_until(const SafeUntil& s) {
  std::string out(kSafeUntilPrefix);
  out += s.file + ":" + std::to_string(s.pos);
  if (!s.gtid.empty()) out += ";gtid=" + s.gtid;
  return out;
}

// nullopt when `token` is not a hand-over note.
inline std::optional<SafeUntil> parse_safe_until(std::string_view token) {
  if (!token.starts_with(kSafeUntilPrefix)) return std::nullopt;
  token.remove_prefix(kSafeUntilPrefix.size());
  SafeUntil s;
  const auto semi = token.find(';');
  std::string_view point = token.substr(0, semi);
  if (semi != std::string_view::npos) {
    std::string_view rest = token.substr(semi + 1);
    if (!rest.starts_with("gtid=")) return std::nullopt;
    s.gtid = std::string(rest.substr(5));
  }
  const auto colon = point.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  s.file = std::string(point.substr(0, colon));
  const std::string_view digits = point.substr(colon + 1);
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), s.pos);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
  return s;
}

}  // namespace ferry::sdk
