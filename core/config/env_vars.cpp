#include "config/env_vars.hpp"

#include <cstdlib>

namespace ferry::core::config {

bool expand_env(std::string& text, std::string& missing) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {  // an escaped, literal "${"
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") == 0) {
      size_t end = text.find('}', i + 2);
      if (end != std::string::npos) {
        std::string name = text.substr(i + 2, end - i - 2);
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) {
          missing = name;
          return false;
        }
        out += value;
        i = end + 1;
        continue;
      }
    }
    out += text[i++];
  }
  text = std::move(out);
  return true;
}

}  // namespace ferry::core::config
