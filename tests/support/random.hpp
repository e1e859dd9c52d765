// A seeded random source whose sequence is the same on every platform and standard library:
// std::mt19937_64's output is fixed by the standard, its distributions are not, so ranges are
// taken here. Reproducible workloads draw every choice from one of these.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

namespace ferry::testing {

// Not thread-safe; each workload owns one.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t bits() { return engine_(); }
  // Uniform in [0, n); n must be positive. (The modulo bias is below 2^-40 for the n used here.)
  uint64_t below(uint64_t n) { return bits() % n; }
  // Uniform in [lo, hi], for any lo <= hi including the whole int64 range.
  int64_t between(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    const uint64_t offset = span == UINT64_MAX ? bits() : below(span + 1);
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
  }
  // True with probability p/100.
  bool percent(int p) { return static_cast<int>(below(100)) < p; }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// The parts joined in the order written. Operands of `+` and a call's arguments are evaluated in
// an unspecified order, so `f(rng) + g(rng)` may draw g's numbers first with another compiler;
// the elements of a braced list are evaluated left to right, always.
inline std::string in_order(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& part : parts) out += part;
  return out;
}

}  // namespace ferry::testing
