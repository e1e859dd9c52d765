// Turns chosen transactions of a real, completed binlog file into TRANSACTION_PAYLOAD events, as
// MySQL 8 lays them out with binlog_transaction_compression=ON: the GTID event stays outside,
// before the payload; the events after it, up to and including the XID, go into one zstd frame,
// each without its checksum (whatever the file's FORMAT_DESCRIPTION says) and with log_pos 0
// (the source must take the payload's position, never theirs). Every event after the first
// payload gets its new log_pos and, in a CRC32 file, a new checksum; the closing ROTATE is kept.
// No MySQL server is packaged here: a MariaDB file, whose transactions begin with their GTID
// event instead of a BEGIN, is the raw material. Header only, for the source's tests.
#pragma once

#include "binlog/event_decoder.hpp"
#include "binlog_event_builder.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ferry::mysql::payload_rewriter {

struct Options {
  // Which transactions to compress, by number: 0 is the file's first transaction whose GTID
  // event is not standalone (DDL and other standalone events are never compressed).
  std::function<bool(size_t)> compress;
  // Zeroes each payload's zstd magic number: the payload no longer decompresses (its event's
  // checksum is still right, so only the decompression can find it out).
  bool damage_zstd = false;
};

struct Payload {
  size_t transaction = 0;   // its number, as in Options::compress
  uint64_t start = 0;       // the payload event's offset in the rewritten file
  uint64_t end = 0;         // and its end: the position of every event inside it
  size_t inner_events = 0;
};

struct Rewritten {
  std::string bytes;                   // the whole file, magic number included
  std::map<uint64_t, uint64_t> moved;  // each original event's end (and 4) -> its position now
  std::vector<Payload> payloads;
  size_t transactions = 0;  // transactions with a non-standalone GTID in the file
  bool crc32 = false;       // whether the file's events carry checksums
};

namespace detail {

inline uint32_t u32_at(const std::string& s, size_t at) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data()) + at;
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline void put_u32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
inline uint8_t type_of(const std::string& raw) { return static_cast<uint8_t>(raw[4]); }

// `raw` with a new log_pos and, when `crc32`, the checksum that goes with it.
inline std::string placed(std::string raw, uint64_t end, bool crc32) {
  put_u32(raw, 13, static_cast<uint32_t>(end));
  if (crc32) put_u32(raw, raw.size() - 4, binlog_crc32(std::string_view(raw).substr(0, raw.size() - 4)));
  return raw;
}

}  // namespace detail

// Throws std::runtime_error on a file that is not a whole binlog file or a transaction to
// compress that does not end with an XID.
inline Rewritten rewrite(const std::string& file, const Options& options) {
  using detail::type_of;
  if (file.size() < 4 || file.compare(0, 4, "\xfe" "bin") != 0) throw std::runtime_error("not a binlog file");
  std::vector<std::string> events;
  for (size_t at = 4; at < file.size();) {
    if (at + kEventHeaderSize > file.size()) throw std::runtime_error("a partial event header at " + std::to_string(at));
    const uint32_t size = detail::u32_at(file, at + 9);
    if (size < kEventHeaderSize || at + size > file.size()) throw std::runtime_error("a partial event at " + std::to_string(at));
    events.push_back(file.substr(at, size));
    at += size;
  }
  if (events.empty() || type_of(events.front()) != static_cast<uint8_t>(EventType::FormatDescription)) {
    throw std::runtime_error("the file does not begin with a FORMAT_DESCRIPTION");
  }
  if (type_of(events.back()) != static_cast<uint8_t>(EventType::Rotate)) {
    throw std::runtime_error("the file does not end with a ROTATE: it is not a completed file");
  }
  EventDecoder decoder;
  DecodedEvent fde;
  DecodeError error;
  if (!decoder.decode(events.front(), fde, error)) throw std::runtime_error("FORMAT_DESCRIPTION: " + error.message);

  Rewritten out;
  out.crc32 = decoder.format()->checksum == ChecksumAlg::Crc32;
  out.bytes = file.substr(0, 4);
  out.moved[4] = 4;
  uint64_t old_end = 4;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string& raw = events[i];
    old_end += raw.size();
    out.moved[old_end] = out.bytes.size() + raw.size();
    out.bytes += detail::placed(raw, out.bytes.size() + raw.size(), out.crc32 && i > 0);
    if (type_of(raw) != static_cast<uint8_t>(EventType::MariadbGtid)) continue;
    constexpr uint8_t kStandalone = 1;  // FL_STANDALONE in the GTID event's flags
    if (static_cast<uint8_t>(raw[kEventHeaderSize + 12]) & kStandalone) continue;
    const size_t number = out.transactions++;
    if (!options.compress || !options.compress(number)) continue;

    // The GTID's successors through the XID, without their checksums, with log_pos 0.
    std::string inner;
    std::vector<uint64_t> inner_ends;
    size_t j = i + 1;
    for (; j < events.size(); ++j) {
      std::string e = events[j];
      if (out.crc32) e.resize(e.size() - 4);
      detail::put_u32(e, 9, static_cast<uint32_t>(e.size()));
      detail::put_u32(e, 13, 0);
      inner += e;
      old_end += events[j].size();
      inner_ends.push_back(old_end);
      if (type_of(e) == static_cast<uint8_t>(EventType::Xid)) break;
      if (type_of(e) == static_cast<uint8_t>(EventType::MariadbGtid) || type_of(e) == static_cast<uint8_t>(EventType::Rotate)) {
        throw std::runtime_error("transaction " + std::to_string(number) + " does not end with an XID");
      }
    }
    if (j == events.size()) throw std::runtime_error("transaction " + std::to_string(number) + " has no XID");
    std::string frame = event_builder::zstd_frame(inner);
    if (frame.empty()) throw std::runtime_error("zstd could not compress transaction " + std::to_string(number));
    if (options.damage_zstd) frame.replace(0, 4, 4, '\0');
    const std::string body = event_builder::transaction_payload_body(kPayloadCompressionZstd, inner.size(), frame);
    const uint64_t start = out.bytes.size();
    const uint64_t end = start + kEventHeaderSize + body.size() + (out.crc32 ? 4 : 0);
    // The header of the first event inside (its timestamp) and the GTID's server id.
    std::string payload = inner.substr(0, 4) + std::string(1, static_cast<char>(EventType::TransactionPayload)) +
                          raw.substr(5, 4) + event_builder::le(end - start, 4) + event_builder::le(end, 4) +
                          event_builder::le(0, 2) + body;
    if (out.crc32) payload += event_builder::le(binlog_crc32(payload), 4);
    out.bytes += payload;
    for (uint64_t e : inner_ends) out.moved[e] = end;
    out.payloads.push_back(Payload{number, start, end, inner_ends.size()});
    i = j;
  }
  return out;
}

}  // namespace ferry::mysql::payload_rewriter
