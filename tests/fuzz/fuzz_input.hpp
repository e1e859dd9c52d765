// The byte format of one binlog decoder fuzz input, shared by the fuzz target (which reads it),
// the seed writer (which writes it from real binlog files) and the corruption unit test.
//
//   byte 0      the checksum the stream negotiated: 0 = OFF, 1 = CRC32, anything else = undefined
//   then, up to kMaxEvents times:
//   u8          fix-ups to apply to this event (kFixEventSize | kFixChecksum)
//   u16 LE      length of the event; a last event cut short takes whatever bytes are left
//   bytes       the raw event
//
// Several events per input let a TABLE_MAP (and a FORMAT_DESCRIPTION) carry over into the rows
// events after it, which is where most of the decoder is. The fix-ups exist because a mutated
// event almost never has a matching size field or CRC32, so without them the fuzzer would spend
// nearly all its time on the first two checks of decode(); the flag bit leaves half the inputs
// unfixed so those checks stay fuzzed too.
#pragma once

#include "binlog/event_decoder.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::fuzz {

inline constexpr uint8_t kFixEventSize = 1;  // write the event's length into its header
inline constexpr uint8_t kFixChecksum = 2;   // recompute its trailing CRC32
inline constexpr size_t kMaxEvents = 64;     // bounds the work one input can ask for
inline constexpr size_t kMaxEventLength = 0xffff;

struct FuzzInput {
  uint8_t checksum_mode = 0;
  // One exactly-sized heap buffer per event, so that AddressSanitizer sees a read past an
  // event's end even when the next event follows it in the input.
  std::vector<std::vector<char>> events;
};

inline mysql::ChecksumAlg checksum_alg(uint8_t mode) {
  return mode == 0 ? mysql::ChecksumAlg::Off : mode == 1 ? mysql::ChecksumAlg::Crc32 : mysql::ChecksumAlg::Undefined;
}

// Writes the length into bytes 9..12 and/or a CRC32 into the last 4 bytes, as a server would.
// The CRC of a FORMAT_DESCRIPTION with "binlog in use" set is over the event without that flag
// (see EventDecoder::decode), so it is computed that way here too.
inline void apply_fixes(std::vector<char>& e, uint8_t fixes) {
  if ((fixes & kFixEventSize) && e.size() >= mysql::kEventHeaderSize) {
    const auto size = static_cast<uint32_t>(e.size());
    std::memcpy(e.data() + 9, &size, 4);  // little-endian hosts, as the decoder assumes
  }
  if ((fixes & kFixChecksum) && e.size() >= mysql::kEventHeaderSize + 4) {
    std::string covered(e.data(), e.size() - 4);
    if (covered[4] == static_cast<char>(mysql::EventType::FormatDescription)) {
      covered[17] = static_cast<char>(covered[17] & ~mysql::kFlagBinlogInUse);
    }
    const uint32_t crc = mysql::binlog_crc32(covered);
    std::memcpy(e.data() + e.size() - 4, &crc, 4);
  }
}

inline FuzzInput parse_fuzz_input(const uint8_t* data, size_t size) {
  FuzzInput in;
  if (size == 0) return in;
  in.checksum_mode = data[0];
  size_t pos = 1;
  while (pos + 3 <= size && in.events.size() < kMaxEvents) {
    const uint8_t fixes = data[pos];
    size_t length = data[pos + 1] | (static_cast<size_t>(data[pos + 2]) << 8);
    pos += 3;
    if (length > size - pos) length = size - pos;
    std::vector<char> e(data + pos, data + pos + length);
    pos += length;
    apply_fixes(e, fixes);
    in.events.push_back(std::move(e));
  }
  return in;
}

// Appends one event to an input being written (after its checksum-mode byte).
inline void append_event(std::string& input, std::string_view event, uint8_t fixes) {
  input += static_cast<char>(fixes);
  const size_t length = event.size() < kMaxEventLength ? event.size() : kMaxEventLength;
  input += static_cast<char>(length & 0xff);
  input += static_cast<char>(length >> 8);
  input.append(event.substr(0, length));
}

}  // namespace ferry::fuzz
