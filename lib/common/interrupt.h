// What happens when sparrow is stopped by SIGINT, SIGTERM or SIGHUP: the temporaries being
// written are removed and the child processes (sweep points, regression cases) are killed, then
// the process ends by the same signal. Children are also killed if sparrow itself is killed
// (they ask the kernel for SIGKILL when their parent dies), so a stopped sweep leaves no process
// behind. Outputs are committed with the signals held (hold_signals), so a signal leaves either
// all of a run's outputs or none of them.
#pragma once

#include <sys/types.h>

#include <string>

namespace sparrow {

// Installs the handlers (once, at the start of main).
void install_interrupt_handlers();

// Registers a temporary file for removal on a signal for as long as it lives.
class TempFileGuard {
 public:
  explicit TempFileGuard(const std::string& path);
  ~TempFileGuard();
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

 private:
  int slot_;
};

// Registers a child process to be killed on a signal for as long as it lives.
class ChildGuard {
 public:
  explicit ChildGuard(pid_t pid);
  ~ChildGuard();
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;

 private:
  int slot_;
};

// Holds SIGINT, SIGTERM and SIGHUP for as long as it lives: one that arrives meanwhile (in any
// thread) takes effect when the last hold ends.
class SignalHold {
 public:
  SignalHold();
  ~SignalHold();
  SignalHold(const SignalHold&) = delete;
  SignalHold& operator=(const SignalHold&) = delete;
};

}  // namespace sparrow
