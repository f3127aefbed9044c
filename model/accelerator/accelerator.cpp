#include "accelerator/accelerator.h"

namespace sparrow {

Accelerator::Accelerator(sc_core::sc_module_name name, const ArchConfig& arch, TraceRecorder* trace)
    : sc_module(name), csr("csr"), dma("dma", arch.memory), irq_o("irq_o") {
  if (arch.mac_array.shared) {
    activity.arrays.resize(1);
    activity.arrays[0].name = "shared";
    wx_array_ =
        std::make_unique<MacArray>("shared_array", arch, arch.mac_array.wx, activity.arrays[0]);
  } else {
    activity.arrays.resize(2);
    activity.arrays[0].name = "wx";
    activity.arrays[1].name = "wh";
    wx_array_ = std::make_unique<MacArray>("wx_array", arch, arch.mac_array.wx, activity.arrays[0]);
    wh_array_ = std::make_unique<MacArray>("wh_array", arch, arch.mac_array.wh, activity.arrays[1]);
  }
  gate_unit_ = std::make_unique<GateUnit>("gate_unit", arch, activity.gate);
  controller_ =
      std::make_unique<Controller>("controller", arch, csr, dma, *wx_array_,
                                   wh_array_ ? *wh_array_ : *wx_array_, *gate_unit_, activity);
  controller_->set_trace(trace);
  dma.set_trace(trace);
  wx_array_->set_trace(trace);
  if (wh_array_) wh_array_->set_trace(trace);
  gate_unit_->set_trace(trace);
  csr.irq_o(irq_);
  SC_HAS_PROCESS(Accelerator);
  SC_METHOD(forward_irq);
  sensitive << irq_;
  dont_initialize();
}

void Accelerator::forward_irq() {
  irq_o.write(irq_.read());
}

}  // namespace sparrow
