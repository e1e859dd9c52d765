// Logging: one spdlog logger per component, lowercase messages with key=value fields, text or
// JSON lines. Wraps spdlog so the rest of core includes one light header.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace ferry::core::log {

enum class Format { Text, Json };

// Configures every logger made afterwards and the ones already made. Call once from main; tests
// may call it again. `level` is trace|debug|info|warn|error|off.
void configure(const std::string& level, Format format);

// The logger of `component` ("pipeline", "plugin", "task", ...), made on first use.
std::shared_ptr<spdlog::logger> get(const std::string& component);

}  // namespace ferry::core::log
