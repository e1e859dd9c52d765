// One decoded binlog event as one JSON object: what `ferry binlog decode` and `ferry binlog
// tail` print (the format is documented in docs/binlog-json.md).
#pragma once

#include "binlog/event_decoder.hpp"

#include <string>

namespace ferry::mysql {

// Formats `event` (decoded by `decoder`, which still holds its table maps) read from `file` at
// `start`. Rows events are decoded here, row by row. Returns false with `error` set when a row
// cannot be decoded; `out` then holds nothing useful.
bool print_event(EventDecoder& decoder, DecodedEvent& event, const std::string& file, uint64_t start,
                 const std::string& gtid, std::string& out, std::string& error);
// The same with the event's end given: an event unpacked from a TRANSACTION_PAYLOAD is printed
// with the payload event's start and end, the only positions it has in the file.
bool print_event(EventDecoder& decoder, DecodedEvent& event, const std::string& file, uint64_t start, uint64_t end,
                 const std::string& gtid, std::string& out, std::string& error);

}  // namespace ferry::mysql
