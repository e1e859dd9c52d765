#include "chunk/chunk.hpp"

#include "client/upstream_connection.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace ferry::dump {
namespace {

// "mysql-bin.000012" -> 12; files without a numeric suffix compare as 0.
uint64_t file_number(const std::string& file) {
  const auto dot = file.rfind('.');
  if (dot == std::string::npos) return 0;
  uint64_t n = 0;
  std::from_chars(file.data() + dot + 1, file.data() + file.size(), n);
  return n;
}

nlohmann::json point_json(const SnapshotPoint& p) { return {{"file", p.file}, {"pos", p.pos}, {"gtid", p.gtid}}; }

SnapshotPoint point_from(const nlohmann::json& j) {
  SnapshotPoint p;
  p.file = j.value("file", "");
  p.pos = j.value("pos", uint64_t{0});
  p.gtid = j.value("gtid", "");
  return p;
}

nlohmann::json bound_json(const std::optional<KeyValue>& v) {
  return v ? nlohmann::json(key_text(*v)) : nlohmann::json(nullptr);
}

bool bound_from(const nlohmann::json& j, std::optional<KeyValue>& out) {
  if (j.is_null()) return true;
  if (!j.is_string()) return false;
  out = parse_key(j.get<std::string>());
  return out.has_value();
}

// Open lower ends sort first, open upper ends last.
bool lo_less(const KeyRange& a, const KeyRange& b) {
  if (!a.lo) return b.lo.has_value();
  return b.lo && *a.lo < *b.lo;
}

}  // namespace

bool before(const SnapshotPoint& a, const SnapshotPoint& b) {
  const uint64_t fa = file_number(a.file), fb = file_number(b.file);
  if (fa != fb) return fa < fb;
  return a.pos < b.pos;
}

std::string key_text(KeyValue v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  // Work on the negative side: it holds the most negative value too.
  std::string digits;
  KeyValue n = negative ? v : -v;
  while (n != 0) {
    digits.push_back(static_cast<char>('0' - static_cast<int>(n % 10)));
    n /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::optional<KeyValue> parse_key(const std::string& text) {
  if (text.empty() || text.size() > 40) return std::nullopt;
  size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative || text[0] == '+') i = 1;
  if (i == text.size()) return std::nullopt;
  KeyValue v = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (negative ? -(text[i] - '0') : (text[i] - '0'));
  }
  return v;
}

std::string Chunk::id() const {
  std::string out = schema + "." + table;
  if (key_column.empty()) return out;
  out += "[" + (range.lo ? key_text(*range.lo) : std::string()) + "," + (range.hi ? key_text(*range.hi) : std::string()) + ")";
  return out;
}

std::string Chunk::token() const {
  nlohmann::json j = {{"name", id()},
                      {"schema", schema},
                      {"table", table},
                      {"key", key_column},
                      {"lo", bound_json(range.lo)},
                      {"hi", bound_json(range.hi)},
                      {"read-at", point_json(read_at)},
                      {"read-until", point_json(read_until)}};
  return j.dump();
}

std::string Chunk::where_clause() const {
  if (key_column.empty() || range.whole()) return {};
  std::string out = " WHERE ";
  if (range.lo) {
    out += mysql::UpstreamConnection::identifier(key_column);
    out += " >= " + key_text(*range.lo);
  }
  if (range.hi) {
    if (range.lo) out += " AND ";
    out += mysql::UpstreamConnection::identifier(key_column);
    out += " < " + key_text(*range.hi);
  }
  return out;
}

std::optional<Chunk> parse_chunk_token(const std::string& token) {
  const nlohmann::json j = nlohmann::json::parse(token, nullptr, false);
  if (!j.is_object() || !j.contains("schema") || !j.contains("table")) return std::nullopt;
  try {
    Chunk c;
    c.schema = j.at("schema").get<std::string>();
    c.table = j.at("table").get<std::string>();
    c.key_column = j.value("key", "");
    if (!bound_from(j.value("lo", nlohmann::json()), c.range.lo)) return std::nullopt;
    if (!bound_from(j.value("hi", nlohmann::json()), c.range.hi)) return std::nullopt;
    if (j.contains("read-at")) c.read_at = point_from(j.at("read-at"));
    if (j.contains("read-until")) c.read_until = point_from(j.at("read-until"));
    return c;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<KeyRange> remaining_ranges(std::vector<KeyRange> done) {
  std::sort(done.begin(), done.end(), lo_less);
  std::vector<KeyRange> out;
  std::optional<KeyValue> cursor;  // everything below it is covered; none = nothing yet
  bool started = false;            // cursor is meaningful (a range has been passed)
  bool to_end = false;             // a done range reaches the largest key
  for (const KeyRange& d : done) {
    if (d.whole()) return {};
    // The gap between what is covered so far and this range.
    if (!started) {
      if (d.lo) out.push_back(KeyRange{std::nullopt, d.lo});
    } else if (d.lo && (!cursor || *cursor < *d.lo)) {
      out.push_back(KeyRange{cursor, d.lo});
    }
    started = true;
    if (!d.hi) {
      to_end = true;
      break;
    }
    if (!cursor || *cursor < *d.hi) cursor = d.hi;
  }
  if (!started) return {KeyRange{}};
  if (!to_end) out.push_back(KeyRange{cursor, std::nullopt});
  return out;
}

std::vector<KeyRange> split_range(const KeyRange& outer, KeyValue min, KeyValue max, uint64_t count) {
  if (count <= 1 || max <= min) return {outer};
  const KeyValue span = max - min + 1;
  const KeyValue n = std::min<KeyValue>(static_cast<KeyValue>(count), span);
  const KeyValue step = (span + n - 1) / n;
  std::vector<KeyRange> out;
  std::optional<KeyValue> lo = outer.lo;
  for (KeyValue b = min + step; b <= max; b += step) {
    out.push_back(KeyRange{lo, b});
    lo = b;
  }
  out.push_back(KeyRange{lo, outer.hi});
  return out;
}

}  // namespace ferry::dump
