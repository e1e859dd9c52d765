// Hand-over notes: what a finished phase tells the next one besides where to start.
//
// A full phase ends with a FINAL checkpoint at the position the incremental phase starts from.
// When its snapshots span a stretch of binlog (a dump restarted after a kill reads the rest of
// its chunks in a later snapshot; a dump taken without a lock has a before and an after
// position), changes inside that stretch may already be downstream, so the next phase must apply
// idempotently until the stretch's end. The final checkpoint's token then carries
//
//   safe-until=<binlog file>:<offset>[;gtid=<executed set>][;table=<schema>.<table>@<file>:<offset>]...
//
// A `table=` entry names a table read whole in one snapshot at that point: the changes to it up
// to there are in the rows already, so a sink skips them rather than applying them again (safe
// mode cannot make that idempotent for a table without a NOT NULL key). Schema and table names
// are percent-encoded (%, ;, @, . and bytes outside printable ASCII).
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
#include <vector>

namespace ferry::sdk {

struct SafeUntil {
  std::string file;
  uint64_t pos = 0;
  std::string gtid;
  struct TableRead {
    std::string schema, table, file;
    uint64_t pos = 0;
  };
  std::vector<TableRead> tables;
};

namespace handover_detail {

inline std::string encode_name(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (c == '%' || c == ';' || c == '@' || c == '.' || c < 0x21 || c > 0x7e) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

inline bool decode_name(std::string_view s, std::string& out) {
  out.clear();
  auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return false;  // a % without its two digits
    const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

// "<file>:<offset>"
inline bool parse_point(std::string_view point, std::string& file, uint64_t& pos) {
  const auto colon = point.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  file = std::string(point.substr(0, colon));
  const std::string_view digits = point.substr(colon + 1);
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), pos);
  return r.ec == std::errc() && r.ptr == digits.data() + digits.size();
}

}  // namespace handover_detail

inline constexpr std::string_view kSafeUntilPrefix = "safe-until=";

inline std::string format_safe_until(const SafeUntil& s) {
  std::string out(kSafeUntilPrefix);
  out += s.file + ":" + std::to_string(s.pos);
  if (!s.gtid.empty()) out += ";gtid=" + s.gtid;
  for (const auto& t : s.tables) {
    out += ";table=" + handover_detail::encode_name(t.schema) + "." + handover_detail::encode_name(t.table) + "@" + t.file +
           ":" + std::to_string(t.pos);
  }
  return out;
}

// nullopt when `token` is not a hand-over note.
inline std::optional<SafeUntil> parse_safe_until(std::string_view token) {
  if (!token.starts_with(kSafeUntilPrefix)) return std::nullopt;
  token.remove_prefix(kSafeUntilPrefix.size());
  SafeUntil s;
  bool first = true;
  while (!token.empty() || first) {
    const auto semi = token.find(';');
    const std::string_view part = token.substr(0, semi);
    token = semi == std::string_view::npos ? std::string_view() : token.substr(semi + 1);
    if (first) {
      if (!handover_detail::parse_point(part, s.file, s.pos)) return std::nullopt;
      first = false;
    } else if (part.starts_with("gtid=")) {
      s.gtid = std::string(part.substr(5));
    } else if (part.starts_with("table=")) {
      const std::string_view entry = part.substr(6);
      const auto at = entry.find('@');
      const auto dot = entry.find('.');
      if (at == std::string_view::npos || dot == std::string_view::npos || dot > at) return std::nullopt;
      SafeUntil::TableRead t;
      if (!handover_detail::decode_name(entry.substr(0, dot), t.schema) ||
          !handover_detail::decode_name(entry.substr(dot + 1, at - dot - 1), t.table) ||
          !handover_detail::parse_point(entry.substr(at + 1), t.file, t.pos)) {
        return std::nullopt;
      }
      s.tables.push_back(std::move(t));
    } else {
      return std::nullopt;
    }
  }
  return s;
}

}  // namespace ferry::sdk
