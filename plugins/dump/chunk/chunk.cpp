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

// Integer bounds are decimal text, as tokens have always had them; other bounds are the value's
// bytes in hex (any bytes, and JSON text must be UTF-8).
nlohmann::json bound_json(const std::optional<KeyBound>& b) {
  if (!b) return nullptr;
  if (const auto* v = std::get_if<KeyValue>(&*b)) return key_text(*v);
  return to_hex(std::get<std::string>(*b));
}

bool bound_from(const nlohmann::json& j, const KeyType& type, std::optional<KeyBound>& out) {
  if (j.is_null()) return true;
  if (!j.is_string()) return false;
  if (type.integer()) {
    if (auto v = parse_key(j.get<std::string>())) out = *v;
  } else if (auto bytes = from_hex(j.get<std::string>())) {
    out = std::move(*bytes);
  }
  // A bound that cannot be written as a literal of the key's kind was not written by a dump.
  return out.has_value() && bound_literal(type, *out).has_value();
}

}  // namespace

bool before(const SnapshotPoint& a, const SnapshotPoint& b) {
  const uint64_t fa = file_number(a.file), fb = file_number(b.file);
  if (fa != fb) return fa < fb;
  return a.pos < b.pos;
}

std::string Chunk::id() const {
  std::string out = schema + "." + table;
  if (key_column.empty()) return out;
  out += "[" + (range.lo ? bound_display(*range.lo) : std::string()) + "," + (range.hi ? bound_display(*range.hi) : std::string()) +
         ")";
  return out;
}

std::string Chunk::token() const {
  nlohmann::json j = {{"name", id()},
                      {"schema", schema},
                      {"table", table},
                      {"key", key_column},
                      {"bound", key_type.integer() ? "integer" : "text"},
                      {"lo", bound_json(range.lo)},
                      {"hi", bound_json(range.hi)},
                      {"read-at", point_json(read_at)},
                      {"read-until", point_json(read_until)}};
  if (!key_type.integer()) j["key-type"] = key_type.name();
  return j.dump();
}

std::optional<std::string> Chunk::where_clause() const {
  if (key_column.empty() || range.whole()) return std::string();
  std::string out = " WHERE ";
  if (range.lo) {
    const auto lo = bound_literal(key_type, *range.lo);
    if (!lo) return std::nullopt;
    out += mysql::UpstreamConnection::identifier(key_column) + " >= " + *lo;
  }
  if (range.hi) {
    const auto hi = bound_literal(key_type, *range.hi);
    if (!hi) return std::nullopt;
    if (range.lo) out += " AND ";
    out += mysql::UpstreamConnection::identifier(key_column) + " < " + *hi;
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
    // Tokens written before text keys were cut have no "bound": their bounds are integers.
    const std::string bound = j.value("bound", "integer");
    if (bound == "text") {
      const auto type = parse_key_type(j.value("key-type", ""));
      if (!type || type->integer()) return std::nullopt;
      c.key_type = *type;
    } else if (bound != "integer") {
      return std::nullopt;
    }
    if (!bound_from(j.value("lo", nlohmann::json()), c.key_type, c.range.lo)) return std::nullopt;
    if (!bound_from(j.value("hi", nlohmann::json()), c.key_type, c.range.hi)) return std::nullopt;
    if (j.contains("read-at")) c.read_at = point_from(j.at("read-at"));
    if (j.contains("read-until")) c.read_until = point_from(j.at("read-until"));
    return c;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

bool integer_less(const KeyBound& a, const KeyBound& b) { return std::get<KeyValue>(a) < std::get<KeyValue>(b); }

std::vector<KeyRange> remaining_ranges(std::vector<KeyRange> done, const BoundLess& less) {
  // Open lower ends sort first.
  std::sort(done.begin(), done.end(), [&](const KeyRange& a, const KeyRange& b) {
    if (!a.lo) return b.lo.has_value();
    return b.lo && less(*a.lo, *b.lo);
  });
  std::vector<KeyRange> out;
  std::optional<KeyBound> cursor;  // everything below it is covered; none = nothing yet
  bool started = false;            // cursor is meaningful (a range has been passed)
  bool to_end = false;             // a done range reaches the largest key
  for (const KeyRange& d : done) {
    if (d.whole()) return {};
    // The gap between what is covered so far and this range.
    if (!started) {
      if (d.lo) out.push_back(KeyRange{std::nullopt, d.lo});
    } else if (d.lo && (!cursor || less(*cursor, *d.lo))) {
      out.push_back(KeyRange{cursor, d.lo});
    }
    started = true;
    if (!d.hi) {
      to_end = true;
      break;
    }
    if (!cursor || less(*cursor, *d.hi)) cursor = d.hi;
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
  std::optional<KeyBound> lo = outer.lo;
  for (KeyValue b = min + step; b <= max; b += step) {
    out.push_back(KeyRange{lo, KeyBound(b)});
    lo = KeyBound(b);
  }
  out.push_back(KeyRange{lo, outer.hi});
  return out;
}

}  // namespace ferry::dump
