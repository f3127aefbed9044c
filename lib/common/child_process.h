// Running the sparrow executable (or any program) in a child process with a time limit: how a
// sweep runs SystemC points and `sparrow regress` runs each engine (SystemC elaborates once per
// process, and a point that hangs or crashes must not take the caller down).
#pragma once

#include <string>
#include <vector>

namespace sparrow {

struct ChildResult {
  enum class Status { kExited, kSignaled, kTimeout } status = Status::kExited;
  int code = 0;  // exit status, or the signal
  bool ok() const { return status == Status::kExited && code == 0; }
  // "exit status 3", "killed by signal 11", "no result within 600 s"
  std::string describe(double timeout_s) const;
};

// Runs args[0] (a path, or a name looked up on PATH) with args, stdout and stderr into `log`; kills
// it after timeout_s seconds (a child found ended only after them counts as timed out too). Safe
// to call from several threads at once.
ChildResult run_child(const std::vector<std::string>& args, const std::string& log,
                      double timeout_s);

// The last non-empty line of a file (a child's error line in its log).
std::string last_line(const std::string& path);

// The path of the running executable.
std::string self_executable();

}  // namespace sparrow
