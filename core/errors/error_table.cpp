#include "errors/error_table.hpp"

#include <fmt/format.h>

#include <array>

namespace ferry::core {
namespace {

constexpr ErrorInfo kErrors[] = {
#define FERRY_ERROR(symbol, code, klass, retryable, message, workaround) \
  ErrorInfo{code, #symbol, klass, retryable != 0, message, workaround},
#include <ferry/abi/ferry_errors.def>
};

}  // namespace

const ErrorInfo* find_error(uint32_t code) {
  for (const ErrorInfo& e : kErrors) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

std::span<const ErrorInfo> all_errors() {
  return {kErrors, std::size(kErrors)};
}

std::string Failure::describe() const {
  const ErrorInfo* info = find_error(code);
  if (info == nullptr) return fmt::format("[code={}] {}", code, message);
  return fmt::format("[code={} {}] {} (workaround: {})", code, info->symbol, message, info->workaround);
}

}  // namespace ferry::core
