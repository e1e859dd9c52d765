// The host's view of the one error table (sdk/include/ferry/abi/ferry_errors.def) and the error
// value core passes around on the data path.
#pragma once

#include <ferry/abi/ferry_errors.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <span>
#include <string_view>

namespace ferry::core {

struct ErrorInfo {
  uint32_t code;
  std::string_view symbol;
  std::string_view error_class;
  bool retryable;
  std::string_view message;
  std::string_view workaround;
};

// The entry for `code`, or nullptr for a code not in the table.
const ErrorInfo* find_error(uint32_t code);

// Every entry, in table order (for docs and `ferry errors`).
std::span<const ErrorInfo> all_errors();

// A failure with its code: returned on the data path, thrown only at start-up and config load.
struct Failure {
  uint32_t code = FERRY_E_NONE;
  std::string message;
  bool retryable = false;

  explicit operator bool() const { return code != FERRY_E_NONE; }
  // "[code=11002] message" plus the table's workaround when known.
  std::string describe() const;
};

class FerryError : public std::runtime_error {
 public:
  explicit FerryError(Failure failure)
      : std::runtime_error(failure.message), failure_(std::move(failure)) {}
  FerryError(uint32_t code, std::string message)
      : FerryError(Failure{code, std::move(message), false}) {}
  const Failure& failure() const { return failure_; }

 private:
  Failure failure_;
};

}  // namespace ferry::core
