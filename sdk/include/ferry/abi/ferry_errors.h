/* ferry error codes for plugins: pass one to ferry_host_api.set_error. The full table with
 * messages and workarounds is ferry_errors.def beside this file. */
#ifndef FERRY_ABI_FERRY_ERRORS_H
#define FERRY_ABI_FERRY_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

enum ferry_error_code {
  FERRY_E_NONE = 0,
#define FERRY_ERROR(symbol, code, klass, retryable, message, workaround) FERRY_E_##symbol = code,
#include "ferry_errors.def"
};

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_FERRY_ERRORS_H */
