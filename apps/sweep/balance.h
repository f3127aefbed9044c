// Sizing the W_x and the W_h array for a workload (`sparrow balance`, docs/patterns.md, "Arrays
// sized for their matrices"): within a budget of MAC lanes, the sizes whose phases take about
// equally long, so that neither array waits long for the other in the steady state of a session.
#pragma once

#include <cstdint>
#include <vector>

#include "config/arch_config.h"
#include "config/workload_config.h"

namespace sparrow {

// One pair of array sizes, evaluated by the timing contract on a session of two batches (of the
// workload's batch, one sequence unless it says otherwise).
struct ArraySizing {
  MacArrayConfig arrays;
  WeightBankConfig weight_bank;  // the arrays' bank capacity per PE
  double steady_cycles = 0;      // per sequence, weights resident (docs/timing.md, "Sessions")
  double utilization_wx = 0;     // steady-state MAC utilization of each array
  double utilization_wh = 0;
  bool weights_on_chip = false;
};

struct Balance {
  int64_t mac_budget = 0;
  double min_utilization = 0;
  bool reached = false;                // the chosen arrays are both at least min_utilization busy
  ArraySizing given;                   // the architecture's own arrays
  ArraySizing chosen;                  // the proposal
  std::vector<ArraySizing> evaluated;  // every sizing timed exactly, fastest first
};

// The fastest steady state within `mac_budget` MAC lanes (P_x L_x + P_h L_h) whose two arrays
// are both at least `min_utilization` busy in it (fewer MAC lanes breaking ties), each array
// keeping its banks' capacity in total (per PE scaled by the PE count); when no sizing
// timed reaches it, the one closest to it. With `shared`, one array of P L lanes time-multiplexed
// between W_x x and W_h h, sized the same way (its utilization is both matrices'). Lanes are
// powers of two up to 64; PEs at most the matrix's rows. Candidates are ranked by an estimate
// (each array's phases per step from the rows' words, the recurrence's tail behind the H phases)
// and the best are timed exactly by the analytic engine. InputError when no sizing fits the
// budget.
Balance balance_arrays(const ArchConfig& arch, const WorkloadConfig& w, int64_t mac_budget,
                       double min_utilization, bool shared);

}  // namespace sparrow
