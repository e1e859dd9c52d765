#include "pipeline/transform_chain.hpp"

#include <ferry/sdk/events.hpp>
#include <fmt/format.h>

namespace ferry::core {

Failure TransformChain::run(EventBatch& batch) {
  for (PluginInstance* t : transforms_) {
    if (batch.count() == 0) return {};
    controls_.clear();
    for (uint32_t i = 0; i < batch.count(); ++i) {
      if (sdk::is_control(batch.events()[i].kind)) controls_.emplace_back(i, batch.events()[i].kind);
    }
    uint32_t status = t->def().transform->process(t->self(), batch.abi());
    if (status != FERRY_OK) return t->failure(status, "process");

    auto contract = [&](const std::string& what) {
      return Failure{FERRY_E_PLUGIN_CONTRACT, fmt::format("transform '{}' {}", t->name(), what), false};
    };
    size_t controls_after = 0;
    for (uint32_t i = 0; i < batch.count(); ++i) {
      if (sdk::is_control(batch.events()[i].kind)) ++controls_after;
    }
    if (controls_after != controls_.size()) return contract("changed the kind of an event to or from a control event");
    for (auto [index, kind] : controls_) {
      const ferry_event& e = batch.events()[index];
      if (e.kind != kind) return contract(fmt::format("changed a {} event at index {}", sdk::kind_name(kind), index));
      if (e.flags & FERRY_EVENT_DROPPED) {
        return contract(fmt::format("dropped a {} event (at {}:{}); control events cannot be dropped",
                                    sdk::kind_name(kind), sdk::view(e.pos.binlog_file), e.pos.binlog_pos));
      }
    }
    if (batch.has_inserts()) {
      batch.apply_inserts();
      size_t controls_merged = 0;
      for (uint32_t i = 0; i < batch.count(); ++i) {
        if (sdk::is_control(batch.events()[i].kind)) ++controls_merged;
      }
      if (controls_merged != controls_.size()) return contract("inserted a control event; only ROW and DDL events may be inserted");
    }
    batch.compact();
  }
  return {};
}

}  // namespace ferry::core
