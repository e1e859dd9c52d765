// The decoder on real events with every byte flipped and every length cut. The events are the
// fuzz seed corpus (tests/fuzz/corpus: FORMAT_DESCRIPTION, TABLE_MAP and rows events from a
// MariaDB binlog, and MySQL 8's compressed transactions and partial JSON updates built by hand,
// see tests/fuzz/README.md); a compressed transaction's events are checked as events too. A damaged event must either fail with a message or
// decode with every view inside its bytes, every value inside the arena and rows that end; with
// CRC32 on, any damage to an event must be reported as a checksum mismatch.
#include "../../fuzz/decoded_bounds.hpp"
#include "../../fuzz/fuzz_input.hpp"

#include "binlog/event_decoder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

namespace fs = std::filesystem;

// Found from this file's own path: the corpus lives with the fuzz target, and this directory's
// CMakeLists.txt (shared by every binlog test) stays free of settings for one test.
fs::path corpus_dir() { return fs::path(__FILE__).parent_path().parent_path().parent_path() / "fuzz" / "corpus"; }

struct Seed {
  std::string name;
  ChecksumAlg checksum = ChecksumAlg::Undefined;
  std::vector<std::string> events;  // the last one is what the seed is about; the rest is context
};

std::vector<Seed> load_seeds() {
  std::vector<Seed> seeds;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(corpus_dir(), ec)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string s = std::move(bytes).str();
    const fuzz::FuzzInput input = fuzz::parse_fuzz_input(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    Seed seed{entry.path().filename().string(), fuzz::checksum_alg(input.checksum_mode), {}};
    for (const auto& e : input.events) seed.events.emplace_back(e.begin(), e.end());
    if (!seed.events.empty()) seeds.push_back(std::move(seed));
  }
  std::sort(seeds.begin(), seeds.end(), [](const Seed& a, const Seed& b) { return a.name < b.name; });
  return seeds;
}

const std::vector<Seed>& seeds() {
  static const std::vector<Seed> all = load_seeds();
  return all;
}

// Remembers every block it hands out, so a value can be checked to point into one of them.
class CheckedArena final : public ValueArena {
 public:
  char* alloc_bytes(size_t size) override {
    blocks_.push_back({std::make_unique<char[]>(size), size});
    return blocks_.back().first.get();
  }
  bool holds(const char* p, size_t n) const {
    for (const auto& [block, size] : blocks_) {
      if (fuzz::view_inside(std::string_view(p, n), std::string_view(block.get(), size))) return true;
    }
    return false;
  }

 private:
  std::vector<std::pair<std::unique_ptr<char[]>, size_t>> blocks_;
};

// What decoding one event came to. `violation` is set when the decoder broke its contract.
struct Outcome {
  bool decoded = false;
  DecodeError error;
  bool is_rows = false;
  size_t rows = 0;
  std::string row_error;
  std::string violation;
  // A TRANSACTION_PAYLOAD: what unpacking it, or decoding the events inside it, failed with.
  std::string inner_error;
};

std::string values_outside(const CheckedArena& arena, const std::vector<ferry_value>& values,
                           const std::vector<uint8_t>& present) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!((present[i / 8] >> (i % 8)) & 1)) continue;
    const ferry_value& v = values[i];
    if (v.data == nullptr || v.len == 0 || v.type == FERRY_VALUE_BIT) continue;
    if (!arena.holds(v.data, v.len)) return "value of column " + std::to_string(i + 1) + " lies outside the arena";
  }
  return "";
}

Outcome decode_checked(EventDecoder& decoder, const std::string& raw, bool inner = false);

// The events inside the TRANSACTION_PAYLOAD `e`, each checked as an event of its own; their rows
// count as the payload event's.
void check_payload(EventDecoder& decoder, const DecodedEvent& e, Outcome& o) {
  std::vector<std::string> events;
  DecodeError error;
  if (!decoder.unpack(e, events, error)) {
    o.inner_error = error.message;
    if (o.inner_error.empty()) o.violation = "unpack() failed without saying why";
    return;
  }
  for (const std::string& raw : events) {
    const Outcome inner = decode_checked(decoder, raw, true);
    o.rows += inner.rows;
    if (!inner.violation.empty()) o.violation = "inside the payload: " + inner.violation;
    if (!inner.decoded) o.inner_error = inner.error.message;
    if (!inner.row_error.empty()) o.inner_error = inner.row_error;
    if (!o.violation.empty() || !o.inner_error.empty()) return;
  }
}

// Decodes `raw` (an exactly-sized copy, so nothing follows it) and, for a rows event, every row;
// `inner`: an event from inside a TRANSACTION_PAYLOAD.
Outcome decode_checked(EventDecoder& decoder, const std::string& raw, bool inner) {
  Outcome o;
  DecodedEvent e;
  o.decoded = inner ? decoder.decode_inner(raw, e, o.error) : decoder.decode(raw, e, o.error);
  if (!o.decoded) {
    if (o.error.message.empty()) o.violation = "decode() failed without saying why";
    return o;
  }
  if (const char* view = fuzz::view_outside_event(e, decoder.inflated())) {
    o.violation = std::string(view) + " lies outside the event";
    return o;
  }
  if (e.header.type == static_cast<uint8_t>(EventType::TransactionPayload)) check_payload(decoder, e, o);
  if (e.rows.kind == RowsKind::None) return o;
  o.is_rows = true;
  const size_t n = e.table_map->columns.size();
  std::vector<ferry_value> before(n), after(n);
  std::vector<uint8_t> before_present((n + 7) / 8), after_present((n + 7) / 8);
  CheckedArena arena;
  while (decoder.next_row(e, arena, before.data(), before_present.data(), after.data(), after_present.data(),
                          o.row_error)) {
    // Every row takes at least one byte of the event, so more rows than bytes means a loop.
    if (++o.rows > raw.size()) {
      o.violation = "next_row() keeps returning rows";
      return o;
    }
    std::string outside = e.rows.kind == RowsKind::Write ? "" : values_outside(arena, before, before_present);
    if (outside.empty() && e.rows.kind != RowsKind::Delete) outside = values_outside(arena, after, after_present);
    if (!outside.empty()) {
      o.violation = outside;
      return o;
    }
  }
  return o;
}

// Runs `events` through a new decoder; returns the outcome of each.
std::vector<Outcome> run(const Seed& seed, const std::vector<std::string>& events) {
  EventDecoder decoder(seed.checksum);
  decoder.accept_transaction_payloads();
  std::vector<Outcome> outcomes;
  for (const std::string& e : events) outcomes.push_back(decode_checked(decoder, e));
  return outcomes;
}

bool is_unsupported(const std::string& message) {
  return message.find("not decoded yet") != std::string::npos || message.find("not supported") != std::string::npos;
}

std::string with_fixes(std::string e) {
  std::vector<char> bytes(e.begin(), e.end());
  fuzz::apply_fixes(bytes, fuzz::kFixEventSize | fuzz::kFixChecksum);
  return std::string(bytes.begin(), bytes.end());
}

std::string describe(const Seed& seed, size_t event, const std::string& change) {
  return seed.name + ", event " + std::to_string(event + 1) + ", " + change;
}

// The baseline the damage tests stand on: undamaged, every event decodes, and every row of
// every rows event, except where the decoder says it does not support the content.
TEST(EventCorruption, EveryUndamagedEventDecodes) {
  ASSERT_GE(seeds().size(), 50u) << "no corpus in " << corpus_dir();
  size_t rows_events = 0;
  for (const Seed& seed : seeds()) {
    const std::vector<Outcome> outcomes = run(seed, seed.events);
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const Outcome& o = outcomes[i];
      SCOPED_TRACE(describe(seed, i, "undamaged"));
      EXPECT_EQ(o.violation, "");
      EXPECT_EQ(o.inner_error, "");
      if (!o.decoded) {
        EXPECT_TRUE(is_unsupported(o.error.message)) << o.error.message;
        EXPECT_FALSE(o.error.corrupt);
        continue;
      }
      if (o.is_rows) {
        ++rows_events;
        if (!is_unsupported(o.row_error)) {
          EXPECT_EQ(o.row_error, "");
          EXPECT_GT(o.rows, 0u);
        }
      }
    }
  }
  EXPECT_GE(rows_events, 20u);
}

// With CRC32 (from the FORMAT_DESCRIPTION, or negotiated by the stream), flipping any byte of an
// event is caught: by the size check for the size field, by the checksum everywhere else.
TEST(EventCorruption, EveryFlippedByteIsAChecksumMismatch) {
  size_t checked = 0;
  for (const Seed& seed : seeds()) {
    const std::string& last = seed.events.back();
    if (last[4] == static_cast<char>(EventType::FormatDescription)) continue;  // its flip may turn CRC32 off
    for (const bool negotiated : {false, true}) {
      // From the file: the FORMAT_DESCRIPTION says CRC32. From a stream: no FORMAT_DESCRIPTION.
      EventDecoder decoder(negotiated ? ChecksumAlg::Crc32 : seed.checksum);
      if (!negotiated) {
        for (size_t i = 0; i + 1 < seed.events.size(); ++i) {
          DecodedEvent e;
          DecodeError error;
          ASSERT_TRUE(decoder.decode(seed.events[i], e, error)) << seed.name << ": " << error.message;
        }
        ASSERT_NE(decoder.format(), nullptr) << seed.name;
        ASSERT_EQ(decoder.format()->checksum, ChecksumAlg::Crc32) << seed.name;
      }
      for (size_t pos = 0; pos < last.size(); ++pos) {
        std::string damaged = last;
        damaged[pos] = static_cast<char>(damaged[pos] ^ 0xff);
        DecodedEvent e;
        DecodeError error;
        SCOPED_TRACE(describe(seed, seed.events.size() - 1, "byte " + std::to_string(pos) + " flipped" +
                                                                 (negotiated ? ", CRC32 negotiated" : "")));
        ASSERT_FALSE(decoder.decode(damaged, e, error));
        EXPECT_TRUE(error.corrupt);
        const bool size_field = pos >= 9 && pos < 13;
        EXPECT_NE(error.message.find(size_field ? "event header says" : "checksum mismatch"), std::string::npos)
            << error.message;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10000u);
}

// Checksums recomputed after the flip, so the damage reaches the parsers behind the checksum:
// the flipped event, and the events after it, fail with a message or decode within bounds.
TEST(EventCorruption, FlippedBytesBehindAGoodChecksumStayInBounds) {
  size_t runs = 0;
  for (const Seed& seed : seeds()) {
    for (size_t k = 0; k < seed.events.size(); ++k) {
      for (size_t pos = 0; pos < seed.events[k].size(); ++pos) {
        std::vector<std::string> events = seed.events;
        events[k][pos] = static_cast<char>(events[k][pos] ^ 0xff);
        events[k] = with_fixes(events[k]);
        const std::vector<Outcome> outcomes = run(seed, events);
        for (size_t i = 0; i < outcomes.size(); ++i) {
          ASSERT_EQ(outcomes[i].violation, "")
              << describe(seed, k, "byte " + std::to_string(pos) + " flipped") << "; event " << i + 1;
        }
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 10000u);
}

// Cut short: without a matching size the header check refuses it; with the size and checksum
// made to match, the body's parsers meet the end early and must notice.
TEST(EventCorruption, TruncatedEventsFailOrLoseRows) {
  size_t runs = 0;
  for (const Seed& seed : seeds()) {
    const std::vector<Outcome> whole = run(seed, seed.events);
    const size_t k = seed.events.size() - 1;
    for (size_t length = 0; length < seed.events[k].size(); ++length) {
      std::vector<std::string> events = seed.events;
      events[k].resize(length);
      {
        SCOPED_TRACE(describe(seed, k, "cut to " + std::to_string(length) + " bytes"));
        const Outcome o = run(seed, events).back();
        ASSERT_FALSE(o.decoded);
        EXPECT_TRUE(o.error.corrupt);
        EXPECT_NE(o.error.message.find("event header says"), std::string::npos) << o.error.message;
      }
      if (length < kEventHeaderSize + 4) continue;
      events[k] = with_fixes(events[k]);
      SCOPED_TRACE(describe(seed, k, "cut to " + std::to_string(length) + " bytes, size and CRC fixed"));
      const Outcome o = run(seed, events).back();
      ASSERT_EQ(o.violation, "");
      // A rows event that lost bytes cannot yield all its rows without an error.
      if (o.decoded && o.is_rows && whole.back().row_error.empty()) {
        EXPECT_TRUE(!o.row_error.empty() || o.rows < whole.back().rows) << o.rows << " rows";
      }
      ++runs;
    }
  }
  EXPECT_GT(runs, 10000u);
}

// Found by the fuzzer: a rows event whose column bitmap names no column has rows of zero bytes,
// and next_row() returned the same empty row forever.
TEST(EventCorruption, ARowsEventWithAnEmptyImageEnds) {
  const Seed* seed = nullptr;
  for (const Seed& s : seeds()) {
    if (s.name.find("WRITE_ROWS_V1-old_times") != std::string::npos && s.name.find("as-v2") == std::string::npos) seed = &s;
  }
  ASSERT_NE(seed, nullptr) << "no WRITE_ROWS_V1 seed for old_times in " << corpus_dir();
  std::vector<std::string> events = seed->events;
  // The 4-column bitmap follows table id (6), flags (2) and the column count (1).
  std::string& rows = events.back();
  ASSERT_EQ(rows[kEventHeaderSize + 8], 4);
  rows[kEventHeaderSize + 9] = 0;
  rows = with_fixes(rows);
  const Outcome o = run(*seed, events).back();
  ASSERT_TRUE(o.decoded) << o.error.message;
  EXPECT_EQ(o.violation, "");
  EXPECT_EQ(o.rows, 0u);
  EXPECT_EQ(o.row_error, "rows event has no columns in its row images");
}

}  // namespace
}  // namespace ferry::mysql
