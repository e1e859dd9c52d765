// Checks that every view a decoded event holds into its raw bytes lies inside them. AddressSanitizer
// only sees a read that leaves every live allocation; a view that slid into a neighbouring buffer
// would pass it, so the fuzz target and the corruption test check the views explicitly.
#pragma once

#include "binlog/event_decoder.hpp"

#include <cstdint>
#include <string_view>
#include <utility>

namespace ferry::fuzz {

// Addresses compared as integers: `<` on pointers into different buffers is unspecified.
inline bool view_inside(std::string_view view, std::string_view raw) {
  if (view.empty()) return true;  // an empty view may point anywhere, it is never read
  const auto begin = reinterpret_cast<std::uintptr_t>(raw.data());
  const auto p = reinterpret_cast<std::uintptr_t>(view.data());
  return p >= begin && view.size() <= raw.size() && p - begin <= raw.size() - view.size();
}

// The name of the first view of `e` outside `e.raw`, or nullptr when all are inside.
// `inflated` is the decoder's buffer for a compressed event's inflated part, where its statement
// or rows may lie instead.
inline const char* view_outside_event(const mysql::DecodedEvent& e, std::string_view inflated = {}) {
  const std::string_view raw = e.raw;
  const std::string_view rows_body(reinterpret_cast<const char*>(e.rows_body.position()), e.rows_body.remaining());
  const std::pair<const char*, std::string_view> views[] = {
      {"query.schema", e.query.schema},
      {"query.statement", e.query.statement},
      {"query.time_zone", e.query.time_zone},
      {"rotate.file", e.rotate.file},
      {"text", e.text},
      {"rows.columns_before", e.rows.columns_before},
      {"rows.columns_after", e.rows.columns_after},
      {"rows_body", rows_body},
      {"payload.payload", e.payload.payload},
  };
  for (const auto& [name, view] : views) {
    if (!view_inside(view, raw) && !(inflated.data() != nullptr && view_inside(view, inflated))) return name;
  }
  return nullptr;
}

}  // namespace ferry::fuzz
