// CheckpointStore: where the host keeps a phase's position when the sink does not keep it
// itself (sinks that write downstream databases keep theirs in the meta schema, in the same
// transaction as the data). One JSON file per phase in the task's data directory, replaced
// atomically (write, fsync, rename), so a crash leaves the old or the new checkpoint, never half.
#pragma once

#include "errors/error_table.hpp"

#include <ferry/sdk/events.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace ferry::core {

struct StoredCheckpoint {
  sdk::OwnedPosition position;
  bool final = false;  // the phase completed at this position
};

class CheckpointStore {
 public:
  explicit CheckpointStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // The phase's checkpoint, or nullopt when none was saved; a failure when the file is corrupt.
  std::optional<StoredCheckpoint> load(const std::string& phase, Failure& failure) const;
  Failure save(const std::string& phase, const StoredCheckpoint& cp) const;
  Failure remove(const std::string& phase) const;

  std::filesystem::path file_for(const std::string& phase) const { return dir_ / ("checkpoint-" + phase + ".json"); }

 private:
  std::filesystem::path dir_;
};

}  // namespace ferry::core
