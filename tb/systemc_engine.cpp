#include "systemc_engine.h"

#include <stdexcept>

#include "host.h"
#include "memory/memory.h"
#include "sim/cycles.h"

namespace sparrow {

SystemcRun run_systemc(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                       const RawMatrix& x, int64_t watchdog_cycles, TraceRecorder* trace) {
  const std::vector<PassGeometry> passes = pass_geometries(m, w);
  const DramMap map = plan_dram(passes, arch, w);
  Memory dram("dram", arch.memory, map.bytes);
  Accelerator accel("accel", arch, passes, trace);
  Host host("host", m, arch, w, passes, x);
  sc_core::sc_signal<bool> irq("irq");
  host.csr_socket.bind(accel.csr.socket);
  host.mem_socket.bind(dram.debug_socket);
  accel.dma.mem_socket.bind(dram.socket);
  accel.irq_o(irq);
  host.irq_i(irq);
  sc_core::sc_start(cycles(watchdog_cycles));
  if (!host.finished) {
    const bool stuck = !sc_core::sc_pending_activity();
    throw std::runtime_error(
        std::string(stuck ? "deadlock: every unit waits and nothing is scheduled (watchdog at "
                            "cycle "
                          : "watchdog: no done interrupt by cycle ") +
        std::to_string(watchdog_cycles) + (stuck ? ")" : "") + "; " + accel.controller().state() +
        "; host waiting for the interrupt");
  }
  return {host.outputs, accel.activity};
}

}  // namespace sparrow
