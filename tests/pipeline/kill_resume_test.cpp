// The correctness model at the process level: the real ferry binary is killed with SIGKILL at
// twenty moments chosen at random while it writes, and restarted each time; once it finishes, the
// output holds every generated row exactly once, in order. One graceful SIGTERM is in the mix
// too, which must end the process with exit code 0 and resume the same way.
//
// Moments are chosen by output size (watched with inotify), not by sleeping.
#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

extern char** environ;

namespace {

constexpr int kRows = 200000;

pid_t spawn_ferry(const std::filesystem::path& task) {
  std::string bin = FERRY_BINARY;
  std::string log_level = "--log-level=warn";
  std::string run = "run";
  std::string file = task.string();
  char* argv[] = {bin.data(), log_level.data(), run.data(), file.data(), nullptr};
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, bin.c_str(), nullptr, nullptr, argv, environ), 0);
  return pid;
}

uintmax_t size_of(const std::filesystem::path& p) {
  std::error_code ec;
  auto s = std::filesystem::file_size(p, ec);
  return ec ? 0 : s;
}

// Blocks until the file in `dir` changes or the process exits; returns false if the process has
// exited (its status in *status).
bool wait_for_change(int inotify_fd, pid_t pid, int* status) {
  for (;;) {
    if (waitpid(pid, status, WNOHANG) == pid) return false;
    pollfd p{inotify_fd, POLLIN, 0};
    int n = poll(&p, 1, 100);  // a bound on how late we notice an exit, not a sleep in the test logic
    if (n > 0) {
      char buf[4096];
      (void)read(inotify_fd, buf, sizeof buf);
      return true;
    }
  }
}

TEST(KillResume, TwentySigkillsLoseAndRepeatNothing) {
  const auto dir = std::filesystem::path(WORK_DIR) / "kill_resume";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto task = dir / "task.yaml";
  std::ofstream(task) << "name: kill\ntask-mode: incremental\nqueue: {batch-events: 512}\n"
                         "incremental:\n"
                         "  source: {plugin: generate, rows: " << kRows << ", tables: 4, transaction-rows: 5, checkpoint-every: 500}\n"
                         "  sink: {plugin: jsonl, path: out.jsonl}\n";
  const auto out = dir / "out.jsonl";

  int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  ASSERT_GE(fd, 0);
  ASSERT_GE(inotify_add_watch(fd, dir.c_str(), IN_MODIFY | IN_CREATE), 0);

  std::mt19937 rng(20261124);  // fixed seed: a failure can be replayed
  const uintmax_t full_size_estimate = static_cast<uintmax_t>(kRows) * 200;
  std::uniform_int_distribution<uintmax_t> step(full_size_estimate / 60, full_size_estimate / 25);

  int kills = 0;
  bool terminated_once = false;
  bool finished = false;
  int runs = 0;
  while (!finished && runs < 100) {
    ++runs;
    pid_t pid = spawn_ferry(task);
    const bool graceful = kills == 10 && !terminated_once;
    const uintmax_t target = size_of(out) + step(rng);
    int status = 0;
    bool alive = true;
    while (alive && (kills >= 20 || size_of(out) < target)) alive = wait_for_change(fd, pid, &status);
    if (alive) {
      kill(pid, graceful ? SIGTERM : SIGKILL);
      waitpid(pid, &status, 0);
      if (graceful) {
        terminated_once = true;
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "SIGTERM did not stop ferry cleanly";
      } else {
        ++kills;
      }
      continue;
    }
    ASSERT_TRUE(WIFEXITED(status)) << "ferry died by signal " << WTERMSIG(status);
    ASSERT_EQ(WEXITSTATUS(status), 0) << "ferry failed; see its log above";
    finished = true;
  }
  close(fd);
  ASSERT_TRUE(finished);
  EXPECT_EQ(kills, 20) << "the run finished before twenty kills; make it longer";
  EXPECT_TRUE(terminated_once);

  std::ifstream in(out);
  std::string line;
  int expected_id = 1;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.rfind("{\"kind\":\"row\"", 0) != 0) continue;
    auto at = line.find("\"id\":");
    ASSERT_NE(at, std::string::npos) << line;
    const int id = std::stoi(line.substr(at + 5));
    ASSERT_EQ(id, expected_id) << "row " << expected_id << " lost or repeated (got " << id << ")";
    ++expected_id;
    ++rows;
  }
  EXPECT_EQ(rows, kRows);
}

}  // namespace
