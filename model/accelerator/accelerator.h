// The accelerator: CSR block, DMA, the W_x and W_h MAC arrays (or one shared array), the gate
// unit and the controller, with the weight banks and vector buffers they own. Its sockets: the
// CSR target (csr.socket), the DMA initiator (dma.mem_socket); done is irq_o.
#pragma once

#include <systemc>

#include <memory>

#include "config/arch_config.h"
#include "controller/controller.h"
#include "csr/csr.h"
#include "dma/dma.h"
#include "gate_unit/gate_unit.h"
#include "mac_array/mac_array.h"
#include "trace/trace.h"

namespace sparrow {

class Accelerator : public sc_core::sc_module {
 public:
  // The hardware alone: a run learns its workload from the registers and the weight area in
  // memory (docs/registers.md). With `trace`, the units record into it (it must outlive the
  // simulation).
  Accelerator(sc_core::sc_module_name name, const ArchConfig& arch, TraceRecorder* trace = nullptr);

  Activity activity;
  Csr csr;
  Dma dma;
  sc_core::sc_out<bool> irq_o;

  const Controller& controller() const { return *controller_; }

 private:
  sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> irq_;  // set on done, cleared by the host
  std::unique_ptr<MacArray> wx_array_, wh_array_;
  std::unique_ptr<GateUnit> gate_unit_;
  std::unique_ptr<Controller> controller_;
  void forward_irq();
};

}  // namespace sparrow
