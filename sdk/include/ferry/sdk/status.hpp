// Status: what every SDK callback returns. Cheap to pass around; carries a ferry error code and
// a message only when something went wrong.
#pragma once

#include <ferry/abi/ferry_abi.h>
#include <ferry/abi/ferry_errors.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace ferry::sdk {

class Status {
 public:
  Status() = default;

  static Status ok() { return Status(); }
  static Status end() { return Status(FERRY_END, FERRY_E_NONE, {}); }
  static Status error(ferry_error_code code, std::string message) {
    return Status(FERRY_ERROR, code, std::move(message));
  }
  static Status retryable(ferry_error_code code, std::string message) {
    return Status(FERRY_RETRYABLE, code, std::move(message));
  }

  bool is_ok() const { return status_ == FERRY_OK; }
  bool is_end() const { return status_ == FERRY_END; }
  ferry_status status() const { return status_; }
  ferry_error_code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(ferry_status status, ferry_error_code code, std::string message)
      : status_(status), code_(code), message_(std::move(message)) {}

  ferry_status status_ = FERRY_OK;
  ferry_error_code code_ = FERRY_E_NONE;
  std::string message_;
};

// Thrown by plugin constructors (and by config readers) to fail with a specific code; the SDK's
// thunks turn it into a status at the ABI edge. Never crosses the edge itself.
class PluginError : public std::runtime_error {
 public:
  PluginError(ferry_error_code code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ferry_error_code code() const { return code_; }

 private:
  ferry_error_code code_;
};

}  // namespace ferry::sdk
