#include "support/ferry_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace ferry::testing {

FerryProcess::FerryProcess(std::filesystem::path binary, std::vector<std::string> args, std::filesystem::path log)
    : binary_(std::move(binary)), args_(std::move(args)), log_(std::move(log)) {}

FerryProcess::~FerryProcess() {
  if (pid_ > 0 && running()) {
    ::kill(pid_, SIGKILL);
    wait(10000);
  }
}

void FerryProcess::start() {
  if (pid_ > 0 && running()) throw std::runtime_error("ferry is already running");
  exit_code_.reset();
  std::vector<std::string> argv_strings{binary_.string()};
  argv_strings.insert(argv_strings.end(), args_.begin(), args_.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + binary_.string());
}

bool FerryProcess::running() {
  if (pid_ <= 0 || exit_code_) return false;
  return !wait(0).has_value();
}

void FerryProcess::signal(int sig) {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, sig);
}

std::optional<int> FerryProcess::wait(int timeout_ms) {
  if (exit_code_) return exit_code_;
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // Polling a child's exit: a bound on how late we notice it, not a timing assumption.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int FerryProcess::stop(int timeout_ms) {
  signal(SIGTERM);
  if (auto code = wait(timeout_ms)) return *code;
  signal(SIGKILL);
  return wait(60000).value_or(-1);
}

std::string FerryProcess::log_tail(size_t bytes) const {
  std::ifstream in(log_);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  return all.size() <= bytes ? all : all.substr(all.size() - bytes);
}

}  // namespace ferry::testing
