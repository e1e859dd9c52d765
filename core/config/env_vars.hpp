// ${VAR} references in task-file values: every string value may take part of its text from the
// environment (hosts and ports as well as secrets). "$${" is a literal "${".
#pragma once

#include <string>

namespace ferry::core::config {

// Expands every ${VAR} in `text`. Returns false, with the first unset variable's name in
// `missing` and `text` unchanged, when a variable is not set.
bool expand_env(std::string& text, std::string& missing);

}  // namespace ferry::core::config
