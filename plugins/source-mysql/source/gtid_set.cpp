#include "source/gtid_set.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

namespace ferry::mysql {

std::optional<MariadbGtidSet> MariadbGtidSet::parse(const std::string& text, std::string& error) {
  MariadbGtidSet set;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto first = item.find_first_not_of(" \t\n");
    if (first == std::string::npos) continue;
    item = item.substr(first, item.find_last_not_of(" \t\n") - first + 1);
    unsigned long long domain = 0, server = 0, seq = 0;
    char tail = 0;
    if (std::sscanf(item.c_str(), "%llu-%llu-%llu%c", &domain, &server, &seq, &tail) != 3 || domain > UINT32_MAX ||
        server > UINT32_MAX) {
      error = "'" + item + "' is not a MariaDB GTID (domain-server-sequence)";
      return std::nullopt;
    }
    set.update(static_cast<uint32_t>(domain), static_cast<uint32_t>(server), seq);
  }
  return set;
}

std::string MariadbGtidSet::to_string() const {
  std::string out;
  for (const auto& [domain, last] : domains_) {
    if (!out.empty()) out += ',';
    out += std::to_string(domain) + "-" + std::to_string(last.server_id) + "-" + std::to_string(last.sequence);
  }
  return out;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void put_le64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

// Reads MySQL's text form with a cursor, so that an error can say where it is.
class MysqlGtidText {
 public:
  MysqlGtidText(std::string_view text, std::string& error) : text_(text), error_(error) {}

  std::optional<MysqlGtidSet> parse() {
    MysqlGtidSet set;
    skip_space();
    while (true) {
      while (peek() == ',') {  // MySQL allows empty items: ",,", a trailing ","
        ++at_;
        skip_space();
      }
      if (at_ == text_.size()) return set;
      const auto uuid = text_.size() - at_ >= 36 ? MysqlGtidSet::parse_uuid(text_.substr(at_, 36)) : std::nullopt;
      if (!uuid) return fail("expected a server uuid (8-4-4-4-12 hex digits)");
      at_ += 36;
      skip_space();
      while (peek() == ':') {
        ++at_;
        skip_space();
        if (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_') {
          return fail("a GTID tag (MySQL 8.3+, uuid:tag:N) is not supported");
        }
        int64_t start = 0;
        if (!number(start)) return std::nullopt;
        int64_t last = start;
        skip_space();
        if (peek() == '-') {
          ++at_;
          skip_space();
          if (!number(last)) return std::nullopt;
          if (last < start) {
            return fail("the interval " + std::to_string(start) + "-" + std::to_string(last) + " ends before it starts");
          }
          skip_space();
        }
        set.add_interval(*uuid, start, last + 1);
      }
      if (at_ < text_.size() && peek() != ',') return fail("expected ':', ',' or the end");
    }
  }

 private:
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void skip_space() {
    while (at_ < text_.size() && is_space(text_[at_])) ++at_;
  }
  // A transaction number: decimal, 1..kMaxGno.
  bool number(int64_t& out) {
    const size_t begin = at_;
    uint64_t v = 0;
    bool overflow = false;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
      const auto digit = static_cast<uint64_t>(text_[at_] - '0');
      if (v > (static_cast<uint64_t>(MysqlGtidSet::kMaxGno) - digit) / 10) overflow = true;
      v = v * 10 + digit;
      ++at_;
    }
    if (at_ == begin) {
      fail("expected a transaction number");
      return false;
    }
    if (overflow || v == 0) {
      at_ = begin;
      fail("transaction numbers run from 1 to " + std::to_string(MysqlGtidSet::kMaxGno));
      return false;
    }
    out = static_cast<int64_t>(v);
    return true;
  }
  std::nullopt_t fail(const std::string& why) {
    std::string where(text_.substr(at_, 24));
    if (at_ + 24 < text_.size()) where += "...";
    error_ = "not a MySQL GTID set (uuid:N-M:...,uuid:...): " + why + " at character " + std::to_string(at_ + 1) +
             (at_ < text_.size() ? " ('" + where + "')" : " (the end)");
    return std::nullopt;
  }

  std::string_view text_;
  std::string& error_;
  size_t at_ = 0;
};

}  // namespace

std::optional<MysqlGtidSet> MysqlGtidSet::parse(std::string_view text, std::string& error) {
  return MysqlGtidText(text, error).parse();
}

std::optional<MysqlGtidSet::Uuid> MysqlGtidSet::parse_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid uuid{};
  size_t byte = 0;
  for (size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    uuid[byte++] = static_cast<uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return uuid;
}

std::string MysqlGtidSet::uuid_text(const Uuid& uuid) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[uuid[i] >> 4];
    out += kHex[uuid[i] & 15];
  }
  return out;
}

bool MysqlGtidSet::add_interval(const Uuid& uuid, int64_t start, int64_t end) {
  if (start < 1 || end <= start || end > kMaxGno + 1) return false;
  auto& ivs = sids_[uuid];
  // The first interval that ends at or after `start` is the first one [start, end) can touch;
  // it and every following one that starts at or before `end` merge into one.
  auto first = std::lower_bound(ivs.begin(), ivs.end(), start, [](const Interval& iv, int64_t s) { return iv.end < s; });
  auto last = first;
  while (last != ivs.end() && last->start <= end) {
    start = std::min(start, last->start);
    end = std::max(end, last->end);
    ++last;
  }
  if (first == last) {
    ivs.insert(first, Interval{start, end});
  } else {
    *first = Interval{start, end};
    ivs.erase(first + 1, last);
  }
  return true;
}

void MysqlGtidSet::add(const MysqlGtidSet& other) {
  for (const auto& [uuid, ivs] : other.sids_) {
    for (const auto& iv : ivs) add_interval(uuid, iv.start, iv.end);
  }
}

bool MysqlGtidSet::contains(const Uuid& uuid, int64_t gno) const {
  const auto it = sids_.find(uuid);
  if (it == sids_.end()) return false;
  const auto& ivs = it->second;
  // The first interval ending after gno holds it if it starts at or before it.
  auto iv = std::upper_bound(ivs.begin(), ivs.end(), gno, [](int64_t g, const Interval& i) { return g < i.end; });
  return iv != ivs.end() && iv->start <= gno;
}

std::string MysqlGtidSet::to_string() const {
  std::string out;
  for (const auto& [uuid, ivs] : sids_) {
    if (!out.empty()) out += ',';
    out += uuid_text(uuid);
    for (const auto& iv : ivs) {
      out += ':';
      out += std::to_string(iv.start);
      if (iv.end - 1 > iv.start) out += "-" + std::to_string(iv.end - 1);
    }
  }
  return out;
}

std::string MysqlGtidSet::encode() const {
  std::string out;
  put_le64(out, sids_.size());
  for (const auto& [uuid, ivs] : sids_) {
    out.append(reinterpret_cast<const char*>(uuid.data()), uuid.size());
    put_le64(out, ivs.size());
    for (const auto& iv : ivs) {
      put_le64(out, static_cast<uint64_t>(iv.start));
      put_le64(out, static_cast<uint64_t>(iv.end));
    }
  }
  return out;
}

}  // namespace ferry::mysql
