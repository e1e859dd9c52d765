// Runs a program to completion and collects what it printed, for test helpers that drive scripts.
#pragma once

#include <string>
#include <vector>

namespace ferry::testing {

struct CommandResult {
  int exit_code = 0;   // the program's exit status, or 128 + signal number if a signal ended it
  std::string output;  // stdout and stderr, interleaved as written
};

// Runs argv[0] (an absolute path; no shell, so arguments need no quoting) with stdin from
// /dev/null and waits for it. The child gets no file descriptor of ours beyond 0-2, so a daemon it
// starts does not keep our sockets or pipes open. Throws std::runtime_error only if the program
// cannot be started at all; a non-zero exit is reported in the result.
CommandResult run_command(const std::vector<std::string>& argv);

struct SplitCommandResult {
  int exit_code = 0;   // as in CommandResult
  std::string out;     // stdout alone
  std::string err;     // stderr alone
};

// Like run_command, but keeps stdout and stderr apart: for tools whose stdout is parsed, where a
// warning on stderr must neither corrupt the parse nor go unnoticed.
SplitCommandResult run_command_split(const std::vector<std::string>& argv);

}  // namespace ferry::testing
