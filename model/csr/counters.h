// What a run's counter registers hold (docs/registers.md): each read-only 64-bit register of the
// map with its value from the run's activity (timing/activity.h). The controller sets them at a
// run's end; the drivers compare what they read back with the same values.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "csr/regmap.h"
#include "timing/activity.h"

namespace sparrow {

// The counters: the map's read-only 64-bit registers.
inline std::vector<CsrRegInfo> counter_registers() {
  std::vector<CsrRegInfo> v;
  for (const CsrRegInfo& r : kCsrRegs)
    if (r.access == CsrAccess::kRo && r.words == 2) v.push_back(r);
  return v;
}

// The value of counter register `reg` (a kCsr* offset) after a run of this activity; per array,
// WX_* is the W_x array or the shared array and WH_* the W_h array (0 with a shared array).
inline int64_t counter_value(const Activity& activity, uint32_t reg) {
  auto array = [&](size_t i) { return i < activity.arrays.size() ? &activity.arrays[i] : nullptr; };
  auto busy = [&](size_t i) { return array(i) ? array(i)->busy : 0; };
  auto stall = [&](size_t i) {
    const ArrayActivity* x = array(i);
    return x ? x->stall_memory + x->stall_recurrence + x->stall_gate : 0;
  };
  switch (reg) {
    case kCsrCycles:
      return activity.cycles;
    case kCsrMacSlots: {
      int64_t slots = 0;
      for (const ArrayActivity& x : activity.arrays) slots += x.mac_slots;
      return slots;
    }
    case kCsrDramReadBytes:
      return activity.dma.read_bytes;
    case kCsrDramWriteBytes:
      return activity.dma.write_bytes;
    case kCsrLutLookups:
      return activity.gate.lut_sigmoid + activity.gate.lut_tanh;
    case kCsrWxBusy:
      return busy(0);
    case kCsrWxStall:
      return stall(0);
    case kCsrWhBusy:
      return busy(1);
    case kCsrWhStall:
      return stall(1);
    default:
      throw std::logic_error("register " + std::to_string(reg) + " is not a counter");
  }
}

}  // namespace sparrow
