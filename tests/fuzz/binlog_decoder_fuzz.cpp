// libFuzzer target for the binlog decoder. Each input is a short stream of events (format in
// fuzz_input.hpp) fed to one EventDecoder, so FORMAT_DESCRIPTION and TABLE_MAP state carries into
// the events after them; every row of a rows event is decoded into arrays sized to its table, and
// every event is printed as `ferry binlog decode` would; a TRANSACTION_PAYLOAD is unpacked and
// the events inside it go through the same. Built with clang, ASan and UBSan (see
// CMakeLists.txt): a read outside an event or outside the value arrays is a crash, and so is a
// view of a decoded event that points outside the event's bytes.
#include "decoded_bounds.hpp"
#include "fuzz_arena.hpp"
#include "fuzz_input.hpp"

#include "binlog/event_decoder.hpp"
#include "binlog/event_printer.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace ferry::mysql;
using ferry::fuzz::FuzzArena;

// What one TRANSACTION_PAYLOAD may unpack to here: an input is at most 64 events of 64 KiB, and
// zstd could claim gigabytes from them; this keeps each run's memory and time small.
constexpr uint64_t kPayloadLimit = uint64_t{16} << 20;

// Reads every byte a value points to: a pointer outside any live block is reported right here.
unsigned touch(const ferry_value* values, const uint8_t* present, size_t n) {
  unsigned sum = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!((present[i / 8] >> (i % 8)) & 1) || values[i].data == nullptr) continue;
    if (values[i].type == FERRY_VALUE_BIT) continue;  // len is the bit count; BIT has no data
    for (uint32_t k = 0; k < values[i].len; ++k) sum += static_cast<unsigned char>(values[i].data[k]);
  }
  return sum;
}

[[noreturn]] void invariant_broken(const char* what, const DecodedEvent& e) {
  std::fprintf(stderr, "binlog_decoder_fuzz: %s of a %s event lies outside the event\n", what,
               event_type_name(e.header.type));
  std::abort();
}

void decode_rows(EventDecoder& decoder, DecodedEvent& event) {
  const size_t n = event.table_map->columns.size();
  std::vector<ferry_value> before(n), after(n);
  std::vector<uint8_t> before_present((n + 7) / 8), after_present((n + 7) / 8);
  FuzzArena arena;
  std::string error;
  volatile unsigned sink = 0;
  while (decoder.next_row(event, arena, before.data(), before_present.data(), after.data(), after_present.data(),
                          error)) {
    if (event.rows.kind != RowsKind::Write) sink = sink + touch(before.data(), before_present.data(), n);
    if (event.rows.kind != RowsKind::Delete) sink = sink + touch(after.data(), after_present.data(), n);
  }
}

// Checks a decoded event's views, decodes its rows and prints it.
void exercise(EventDecoder& decoder, DecodedEvent& event, uint64_t position) {
  if (const char* outside = ferry::fuzz::view_outside_event(event, decoder.inflated())) invariant_broken(outside, event);
  if (event.table_map != nullptr && event.rows.kind != RowsKind::None) {
    DecodedEvent printed = event;  // print_event decodes the rows again from its own copy
    decode_rows(decoder, event);
    std::string json, why;
    print_event(decoder, printed, "fuzz-bin.000001", position, "0-1-1", json, why);
  } else {
    std::string json, why;
    print_event(decoder, event, "fuzz-bin.000001", position, "", json, why);
  }
}

// The events inside a TRANSACTION_PAYLOAD, each decoded from an exactly-sized copy (so that a
// read past its end is an ASan report) and exercised like any other event.
void exercise_payload(EventDecoder& decoder, const DecodedEvent& payload, uint64_t position) {
  std::vector<std::string> inner;
  DecodeError error;
  if (!decoder.unpack(payload, inner, error)) {
    if (error.message.empty()) std::abort();
    return;
  }
  for (const std::string& bytes : inner) {
    const std::vector<char> copy(bytes.begin(), bytes.end());
    DecodedEvent event;
    if (!decoder.decode_inner(std::string_view(copy.data(), copy.size()), event, error)) {
      if (error.message.empty()) std::abort();
      return;
    }
    exercise(decoder, event, position);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ferry::fuzz::FuzzInput input = ferry::fuzz::parse_fuzz_input(data, size);
  EventDecoder decoder(ferry::fuzz::checksum_alg(input.checksum_mode));
  decoder.accept_transaction_payloads();
  decoder.set_payload_limit(kPayloadLimit);
  uint64_t position = 4;
  for (const std::vector<char>& bytes : input.events) {
    const std::string_view raw(bytes.data(), bytes.size());
    DecodedEvent event;
    DecodeError error;
    if (!decoder.decode(raw, event, error)) {
      if (error.message.empty()) std::abort();  // a failure must say why
      continue;
    }
    exercise(decoder, event, position);
    if (event.header.type == static_cast<uint8_t>(EventType::TransactionPayload)) exercise_payload(decoder, event, position);
    position += raw.size();
  }
  return 0;
}
