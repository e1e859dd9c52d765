// TaskLock: one run of a task at a time. Two runs of one task would both stream the upstream
// with the same replica id (the server drops one stream each time the other connects), both
// write the same checkpoints and both apply the same events downstream. The lock is an flock(2)
// on `task.lock` in the task's data directory: the kernel drops it when its holder exits, so a
// killed run leaves nothing to clean up. The file holds the holder's pid, for the message.
#pragma once

#include "errors/error_table.hpp"

#include <filesystem>
#include <string>

namespace ferry::core {

class TaskLock {
 public:
  TaskLock() = default;
  ~TaskLock();
  TaskLock(const TaskLock&) = delete;
  TaskLock& operator=(const TaskLock&) = delete;

  // Takes the lock of the task `name` whose data directory is `dir` (created already). A
  // failure (TASK_ALREADY_RUNNING) when another run holds it.
  Failure acquire(const std::filesystem::path& dir, const std::string& name);

 private:
  int fd_ = -1;
};

}  // namespace ferry::core
