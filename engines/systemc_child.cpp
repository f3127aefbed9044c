#include "engines/systemc_child.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/json_text.h"

namespace sparrow {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ArrayActivity, name, busy, stall_memory, stall_recurrence,
                                   stall_gate, mac_slots, words, bank_bits_read, buffer_reads)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(GateActivity, units, lut_sigmoid, lut_tanh, cell_reads,
                                   cell_writes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DmaActivity, read_bytes, write_bytes, bursts)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Activity, cycles, weights_on_chip, weights_loaded, pass_end,
                                   sequence_done, arrays, gate, dma)

namespace {

void write_all(int fd, const std::string& s) {
  for (size_t at = 0; at < s.size();) {
    const ssize_t n = ::write(fd, s.data() + at, s.size() - at);
    if (n <= 0) return;
    at += size_t(n);
  }
}

std::string read_all(int fd) {
  std::string s;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) s.append(buf, size_t(n));
  return s;
}

}  // namespace

SystemcRun run_systemc_in_child(const CompressedModel& m, const ArchConfig& arch,
                                const WorkloadConfig& w, const RawMatrix& x,
                                int64_t watchdog_cycles) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("systemc child: pipe failed");
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("systemc child: fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with its parent
    if (::getppid() != parent) ::_exit(1);
    ::close(fds[0]);
    nlohmann::json j;
    int status = 0;
    try {
      const SystemcRun r = run_systemc(m, arch, w, x, watchdog_cycles);
      j["rows"] = r.outputs.rows();
      j["cols"] = r.outputs.cols();
      j["outputs"] = std::vector<int64_t>(r.outputs.data(), r.outputs.data() + r.outputs.size());
      j["activity"] = r.activity;
    } catch (const std::exception& e) {
      j["error"] = e.what();
      j["kind"] = dynamic_cast<const RunStopped*>(&e)   ? "stopped"
                  : dynamic_cast<const InputError*>(&e) ? "input"
                                                        : "internal";
      status = 1;
    }
    write_all(fds[1], json_text(j));
    ::_exit(status);  // no destructors or atexit handlers of the parent's state
  }
  const ChildGuard guard(pid);
  ::close(fds[1]);
  const std::string text = read_all(fds[0]);
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw std::runtime_error("systemc child: died without a result (wait status " +
                             std::to_string(wstatus) + ")");
  if (j.contains("error")) {
    const std::string what = j["error"].get<std::string>();
    if (j.value("kind", "") == "stopped") throw RunStopped(what);
    if (j.value("kind", "") == "input") throw InputError(what);
    throw std::runtime_error(what);
  }
  SystemcRun r;
  r.outputs = RawMatrix(j["rows"].get<Eigen::Index>(), j["cols"].get<Eigen::Index>());
  const std::vector<int64_t> v = j["outputs"].get<std::vector<int64_t>>();
  std::copy(v.begin(), v.end(), r.outputs.data());
  r.activity = j["activity"].get<Activity>();
  return r;
}

}  // namespace sparrow
