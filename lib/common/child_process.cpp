#include "common/child_process.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "common/interrupt.h"

namespace sparrow {

std::string ChildResult::describe(double timeout_s) const {
  switch (status) {
    case Status::kExited:
      return "exit status " + std::to_string(code);
    case Status::kSignaled:
      return "killed by signal " + std::to_string(code);
    case Status::kTimeout:
      return "no result within " + std::to_string(timeout_s) + " s";
  }
  return "?";
}

ChildResult run_child(const std::vector<std::string>& args, const std::string& log,
                      double timeout_s) {
  using Clock = std::chrono::steady_clock;
  std::vector<std::string> copy = args;
  std::vector<char*> argv;  // built before fork: the child may only make async-signal-safe calls
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("cannot start a child process (fork failed)");
  if (pid == 0) {
    // Dies with its parent, whatever kills it; getppid() catches a parent gone before prctl.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execvp(argv[0], argv.data());  // a bare name is looked up on PATH
    _exit(127);
  }
  const ChildGuard guard(pid);
  const auto start = Clock::now();
  int wstatus = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &wstatus, WNOHANG);
    const bool late = std::chrono::duration<double>(Clock::now() - start).count() > timeout_s;
    // A child reaped after the deadline gave no result within it (on a loaded machine a poll's
    // sleep can outlast the deadline and a fast child with it).
    if (r == pid) {
      if (late) return {ChildResult::Status::kTimeout, SIGKILL};
      break;
    }
    if (late) {
      kill(pid, SIGKILL);
      waitpid(pid, &wstatus, 0);
      return {ChildResult::Status::kTimeout, SIGKILL};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFSIGNALED(wstatus)) return {ChildResult::Status::kSignaled, WTERMSIG(wstatus)};
  return {ChildResult::Status::kExited, WEXITSTATUS(wstatus)};
}

std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

std::string self_executable() {
  char exe[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) throw std::runtime_error("cannot find the running executable (/proc/self/exe)");
  return std::string(exe, size_t(n));
}

}  // namespace sparrow
