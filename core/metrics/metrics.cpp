#include "metrics/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/text_serializer.h>

namespace ferry::core {

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {}

void Metrics::counter_add(const std::string& name, const std::string& task, const std::string& plugin, double value) {
  std::lock_guard lock(mu_);
  auto& family = counters_[name];
  if (family == nullptr) {
    family = &prometheus::BuildCounter().Name("ferry_" + name).Help("reported by a plugin").Register(*registry_);
  }
  family->Add({{"task", task}, {"plugin", plugin}}).Increment(value);
}

void Metrics::gauge_set(const std::string& name, const std::string& task, const std::string& plugin, double value) {
  std::lock_guard lock(mu_);
  auto& family = gauges_[name];
  if (family == nullptr) {
    family = &prometheus::BuildGauge().Name("ferry_" + name).Help("reported by a plugin").Register(*registry_);
  }
  family->Add({{"task", task}, {"plugin", plugin}}).Set(value);
  last_gauge_[name] = value;
}

double Metrics::gauge(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = last_gauge_.find(name);
  return it == last_gauge_.end() ? 0 : it->second;
}

std::string Metrics::serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace ferry::core
