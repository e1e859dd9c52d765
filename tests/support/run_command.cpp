#include "support/run_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace ferry::testing {
namespace {

std::runtime_error errno_error(const std::string& what, int err) {
  return std::runtime_error(what + ": " + std::strerror(err));
}

// Owns the posix_spawn file actions so every exit path destroys them.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

// Starts argv[0] with stdin from /dev/null and stdout/stderr on `out_fd`/`err_fd`, which it then
// closes in this process, so that reading the pipes sees end-of-file when the child exits.
pid_t spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  FileActions actions;
  posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), out_fd, 1);
  posix_spawn_file_actions_adddup2(actions.get(), err_fd, 2);
  // A server started by the script would otherwise inherit e.g. our client sockets and keep
  // connections to other servers open for its whole life.
  posix_spawn_file_actions_addclosefrom_np(actions.get(), 3);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0].c_str(), actions.get(), nullptr, args.data(), environ);
  close(out_fd);
  if (err_fd != out_fd) close(err_fd);
  if (rc != 0) throw errno_error("cannot run " + argv[0], rc);
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw errno_error("waitpid", errno);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Appends what one read returns; false at end-of-file or on an error other than EINTR.
bool read_some(int fd, std::string& into) {
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) {
    into.append(buf, static_cast<size_t>(n));
    return true;
  }
  return n < 0 && errno == EINTR;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv) {
  if (argv.empty()) throw std::invalid_argument("run_command: empty argv");

  int fds[2];
  // O_CLOEXEC: only the dup2'ed copies (stdout, stderr) reach the child.
  if (pipe2(fds, O_CLOEXEC) != 0) throw errno_error("pipe2", errno);
  pid_t pid = 0;
  try {
    pid = spawn(argv, fds[1], fds[1]);
  } catch (...) {
    close(fds[0]);
    throw;
  }

  CommandResult result;
  while (read_some(fds[0], result.output)) {
  }
  close(fds[0]);
  result.exit_code = wait_for(pid);
  return result;
}

SplitCommandResult run_command_split(const std::vector<std::string>& argv) {
  if (argv.empty()) throw std::invalid_argument("run_command_split: empty argv");

  int out[2];
  int err[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw errno_error("pipe2", errno);
  if (pipe2(err, O_CLOEXEC) != 0) {
    const int saved = errno;
    close(out[0]);
    close(out[1]);
    throw errno_error("pipe2", saved);
  }
  pid_t pid = 0;
  try {
    pid = spawn(argv, out[1], err[1]);
  } catch (...) {
    close(out[0]);
    close(err[0]);
    throw;
  }

  // Both pipes are drained together: a child blocked writing a full stderr pipe while we wait
  // on stdout would never finish.
  SplitCommandResult result;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* into[2] = {&result.out, &result.err};
  int open_pipes = 2;
  while (open_pipes > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (!read_some(fds[i].fd, *into[i])) {
        close(fds[i].fd);
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_pipes;
      }
    }
  }
  for (const pollfd& p : fds) {
    if (p.fd >= 0) close(p.fd);
  }
  result.exit_code = wait_for(pid);
  return result;
}

}  // namespace ferry::testing
