// Terms of the timing contract (docs/timing.md) that the SystemC model and the analytic evaluator
// share.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "config/arch_config.h"

namespace sparrow {

// Cycles from a weight beat's arrival to its words in the banks (the load unit): the first pass
// (weights on chip) and each phase (streamed) start no earlier than their weight read's
// completion plus this.
inline constexpr int64_t kLoadLatency = 2;

// The input transposer of one pass ("The input transposer"): it fills the X array's two-slot
// operand buffer from the input store, rho = ceil(ab / B) cycles a value, starting x_t at
//   tau_t = max(xready_t + 1, tau_{t-1} + rho I, f_{X_{t-2}})
// and has written it at xt_t = tau_t + rho I.
class InputTransposer {
 public:
  InputTransposer(const ArchConfig& arch, int input_size, int steps)
      : fill_(ceil_div(ceil_div(arch.arith.act.bits, 8), arch.memory.bytes_per_cycle) * input_size),
        tau_(size_t(steps)) {}

  // xt_t, from xready_t and x_finish_2 = f_{X_{t-2}} (unused for t < 2); asked for step t once
  // step t-1's has been.
  int64_t written(size_t t, int64_t xready, int64_t x_finish_2) {
    int64_t tau = xready + 1;
    if (t >= 1) tau = std::max(tau, tau_[t - 1] + fill_);
    if (t >= 2) tau = std::max(tau, x_finish_2);
    tau_[t] = tau;
    return tau + fill_;
  }

 private:
  static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

  int64_t fill_;              // rho I: cycles to write one x_t
  std::vector<int64_t> tau_;  // tau_t of the steps asked so far
};

}  // namespace sparrow
