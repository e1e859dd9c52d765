#include "task/task_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ferry::core {

TaskLock::~TaskLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the flock
}

Failure TaskLock::acquire(const std::filesystem::path& dir, const std::string& name) {
  const std::filesystem::path path = dir / "task.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Failure{FERRY_E_FILE_IO, fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)), false};
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    if (error != EWOULDBLOCK) {
      return Failure{FERRY_E_FILE_IO, fmt::format("cannot lock {}: {}", path.string(), std::strerror(error)), false};
    }
    const std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
    return Failure{FERRY_E_TASK_ALREADY_RUNNING,
                   fmt::format("task {} is already running{} (it holds {})", name,
                               holder.empty() ? std::string() : " in process " + holder, path.string()),
                   false};
  }
  // The pid is only for the message another run prints: the lock holds without it.
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
  fd_ = fd;
  return Failure{};
}

}  // namespace ferry::core
