// Causality: which DML worker may run a unit. Units that share a key (a primary or unique key
// value of any row image) must run in upstream order, so they go to the same worker; a unit
// whose keys are already held by two different workers is a conflict, and the caller drains
// every worker before it goes on (DM's dm/syncer/causality.go, keyed by worker directly).
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ferry::tidb {

class Causality {
 public:
  explicit Causality(uint32_t workers) : workers_(workers) {}

  // The worker for a unit with `keys`, or nullopt on a conflict (drain, clear(), ask again).
  std::optional<uint32_t> assign(const std::vector<uint64_t>& keys);
  // Forget every key: only once no unit is in flight.
  void clear() { owner_.clear(); }
  size_t size() const { return owner_.size(); }

 private:
  uint32_t workers_;
  uint32_t next_ = 0;  // for units without keys
  std::unordered_map<uint64_t, uint32_t> owner_;
};

}  // namespace ferry::tidb
