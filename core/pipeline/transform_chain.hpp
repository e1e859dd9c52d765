// TransformChain: runs a batch through the task's transforms in order, on the source thread.
// After each transform it applies insertions, removes dropped events, and checks the contract:
// control events (TXN_*, CHECKPOINT, HEARTBEAT) come out exactly as they went in, so no plugin
// can drop or reorder the events the sink's correctness depends on.
#pragma once

#include "errors/error_table.hpp"
#include "pipeline/event_batch.hpp"
#include "plugin/plugin_instance.hpp"

#include <vector>

namespace ferry::core {

class TransformChain {
 public:
  explicit TransformChain(std::vector<PluginInstance*> transforms) : transforms_(std::move(transforms)) {}

  // Returns an empty failure on success.
  Failure run(EventBatch& batch);

  bool empty() const { return transforms_.empty(); }

 private:
  std::vector<PluginInstance*> transforms_;
  std::vector<std::pair<uint32_t, uint16_t>> controls_;  // scratch: (index, kind)
};

}  // namespace ferry::core
