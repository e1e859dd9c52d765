#include "source/gtid_set.hpp"

#include <cstdio>
#include <sstream>

namespace ferry::mysql {

std::optional<MariadbGtidSet> MariadbGtidSet::parse(const std::string& text, std::string& error) {
  MariadbGtidSet set;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto first = item.find_first_not_of(" \t\n");
    if (first == std::string::npos) continue;
    item = item.substr(first, item.find_last_not_of(" \t\n") - first + 1);
    unsigned long long domain = 0, server = 0, seq = 0;
    char tail = 0;
    if (std::sscanf(item.c_str(), "%llu-%llu-%llu%c", &domain, &server, &seq, &tail) != 3 || domain > UINT32_MAX ||
        server > UINT32_MAX) {
      error = "'" + item + "' is not a MariaDB GTID (domain-server-sequence)";
      return std::nullopt;
    }
    set.update(static_cast<uint32_t>(domain), static_cast<uint32_t>(server), seq);
  }
  return set;
}

std::string MariadbGtidSet::to_string() const {
  std::string out;
  for (const auto& [domain, last] : domains_) {
    if (!out.empty()) out += ',';
    out += std::to_string(domain) + "-" + std::to_string(last.server_id) + "-" + std::to_string(last.sequence);
  }
  return out;
}

}  // namespace ferry::mysql
