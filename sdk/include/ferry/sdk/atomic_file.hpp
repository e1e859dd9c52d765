// replace_file: writes a small state file (a checkpoint, an index, a meta file) so that a crash
// leaves the old text or the new one, never half: a temporary file beside it, fsync, rename
// over the old one, fsync of the directory so the rename itself survives a power loss.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

namespace ferry::sdk {

// The error text ("cannot write PATH: reason"), or nothing when the file was replaced.
inline std::optional<std::string> replace_file(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot write " + temp.string() + ": " + std::strerror(errno);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == text.size() && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) return "cannot write " + temp.string() + ": " + std::strerror(saved);
  if (::rename(temp.c_str(), path.c_str()) != 0) return "cannot replace " + path.string() + ": " + std::strerror(errno);
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return std::nullopt;
}

}  // namespace ferry::sdk
