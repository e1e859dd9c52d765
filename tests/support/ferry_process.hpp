// The real ferry binary as a child process, for end-to-end tests that stop it, kill it and start
// it again: output goes to a log file the test can show when something fails.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

class FerryProcess {
 public:
  // `args` follow the binary: {"run", "task.yaml"}. Output (stdout and stderr) is appended to
  // `log`.
  FerryProcess(std::filesystem::path binary, std::vector<std::string> args, std::filesystem::path log);
  ~FerryProcess();  // kills a still-running child
  FerryProcess(const FerryProcess&) = delete;
  FerryProcess& operator=(const FerryProcess&) = delete;

  void start();
  bool running();
  void signal(int sig);
  // Waits for the child to exit, at most `timeout_ms`; its exit code (128 + signal when killed),
  // or nullopt if it is still running.
  std::optional<int> wait(int timeout_ms);
  // SIGTERM, then wait; SIGKILL if it does not stop within `timeout_ms`.
  int stop(int timeout_ms = 60000);
  // The last `bytes` of the log.
  std::string log_tail(size_t bytes = 4000) const;

 private:
  std::filesystem::path binary_;
  std::vector<std::string> args_;
  std::filesystem::path log_;
  pid_t pid_ = 0;
  std::optional<int> exit_code_;
};

}  // namespace ferry::testing
