// Metrics: the process's Prometheus registry (prometheus-cpp core) and the counters and gauges
// plugins report through the host API. Thread-safe. One per process, owned by main and passed
// down; the daemon serves registry() on /metrics.
#pragma once

#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ferry::core {

class Metrics {
 public:
  Metrics();

  // Adds `value` to the counter `ferry_<name>` labelled {task, plugin}.
  void counter_add(const std::string& name, const std::string& task, const std::string& plugin, double value);
  // Sets the gauge `ferry_<name>` labelled {task, plugin}.
  void gauge_set(const std::string& name, const std::string& task, const std::string& plugin, double value);

  // The value a gauge was last set to, under any labels; 0 when never set.
  double gauge(const std::string& name) const;

  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
  // The registry in Prometheus' text format.
  std::string serialize() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  mutable std::mutex mu_;
  std::map<std::string, double> last_gauge_;
  std::map<std::string, prometheus::Family<prometheus::Counter>*> counters_;
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauges_;
};

}  // namespace ferry::core
