#include "apply/causality.hpp"

namespace ferry::tidb {

std::optional<uint32_t> Causality::assign(const std::vector<uint64_t>& keys) {
  std::optional<uint32_t> worker;
  for (uint64_t k : keys) {
    auto it = owner_.find(k);
    if (it == owner_.end()) continue;
    if (worker && *worker != it->second) return std::nullopt;
    worker = it->second;
  }
  if (!worker) worker = keys.empty() ? next_++ % workers_ : static_cast<uint32_t>((keys.front() >> 7) % workers_);
  for (uint64_t k : keys) owner_.emplace(k, *worker);
  return worker;
}

}  // namespace ferry::tidb
