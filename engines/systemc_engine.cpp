#include "engines/systemc_engine.h"

#include <stdexcept>

#if defined(__SANITIZE_ADDRESS__)
#define SPARROW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPARROW_ASAN 1
#endif
#endif
#ifdef SPARROW_ASAN
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

#include "accelerator/accelerator.h"
#include "common/error.h"
#include "memory/memory.h"
#include "sim/cycles.h"
#include "tb/host.h"

namespace sparrow {
namespace {

// AddressSanitizer builds only. libsystemc announces its QuickThreads coroutine switches to ASan
// (__sanitizer_start_switch_fiber), but the main coroutine, sc_main's own stack, has no stack of
// SystemC's making, and switching back to it leaves ASan with wrong bounds for the main stack.
// ASan then refuses to unpoison that stack when an exception is thrown on it ("ignoring requested
// __asan_handle_no_return") and reports false stack-use-after-scope errors at a later throw (an
// InputError after the run, for example). Once the simulation has returned to sc_main, tell ASan
// the main stack's real bounds again: a switch from the main stack to itself.
void restore_main_stack_bounds() {
#ifdef SPARROW_ASAN
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* bottom = nullptr;
  size_t size = 0;
  pthread_attr_getstack(&attr, &bottom, &size);
  pthread_attr_destroy(&attr);
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
}

// After a watchdog stop the units' threads are suspended in the middle of their work. SystemC
// frees a suspended thread's stack without unwinding it, so whatever its frames own would leak.
// Killing a thread unwinds it; SystemC 2.3.4 cannot kill from sc_main (it dereferences the
// current process), so a spawned thread kills the others and the kernel runs it.
void kill_threads(const std::vector<sc_core::sc_object*>& objects) {
  const sc_core::sc_process_handle self = sc_core::sc_get_current_process_handle();
  for (sc_core::sc_object* o : objects) {
    sc_core::sc_process_handle h(o);
    if (h.valid() && h != self && h.proc_kind() != sc_core::SC_METHOD_PROC_ && !h.terminated())
      h.kill();
    kill_threads(o->get_child_objects());
  }
}

void unwind_all_threads() {
  sc_core::sc_spawn([] { kill_threads(sc_core::sc_get_top_level_objects()); }, "watchdog_kill");
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
}

}  // namespace

SystemcRun run_systemc(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                       const RawMatrix& x, int64_t watchdog_cycles, TraceRecorder* trace) {
  const DramMap map = plan_dram(pass_geometries(m, w), arch, w);
  Memory dram("dram", arch.memory, map.bytes);
  Accelerator accel("accel", arch, trace);
  Host host("host", m, arch, w, x);
  sc_core::sc_signal<bool> irq("irq");
  host.csr_socket.bind(accel.csr.socket);
  host.mem_socket.bind(dram.debug_socket);
  accel.dma.mem_socket.bind(dram.socket);
  accel.irq_o(irq);
  host.irq_i(irq);
  sc_core::sc_start(sc_cycles(watchdog_cycles));
  restore_main_stack_bounds();
  if (host.refused)
    throw std::runtime_error("the accelerator refused its registers: " +
                             accel.controller().refusal());
  if (!host.finished) {
    const bool stuck = !sc_core::sc_pending_activity();
    const std::string state = accel.controller().state();
    unwind_all_threads();
    restore_main_stack_bounds();
    throw RunStopped(
        std::string(stuck ? "deadlock: every unit waits and nothing is scheduled (watchdog at "
                            "cycle "
                          : "watchdog: no done interrupt by cycle ") +
        std::to_string(watchdog_cycles) + (stuck ? ")" : "") + "; " + state +
        "; host waiting for the interrupt");
  }
  // The counter registers read back what the units counted.
  for (const auto& [name, value] : host.counters) {
    const int64_t counted = activity_counter(accel.activity, name);
    if (int64_t(value) != counted)
      throw std::logic_error("register " + name + " reads " + std::to_string(value) +
                             ", the units counted " + std::to_string(counted));
  }
  return {host.outputs, accel.activity};
}

}  // namespace sparrow
