// The terms of the timing contract (docs/timing.md), written once: the SystemC model and the
// analytic evaluator both schedule with these. (The test oracle, `reference_timing` in
// tests/unit/test_timing.cpp, and the RTL stay independent readings of the document.)
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "compress/weight_layout.h"
#include "config/arch_config.h"
#include "timing/activity.h"

namespace sparrow {

// A = 3 + ceil(log2 L): the MAC pipeline latency (bank read, multiply, adder tree of the L
// lanes, accumulate).
inline int mac_latency(int lanes) {
  int log = 0;
  while ((1 << log) < lanes) ++log;
  return 3 + log;
}

// Row q of a phase started at s is ready at s + C(q) + A - 1, C(q) being its PE's words up to
// and including q.
inline int64_t row_ready(int64_t start, int64_t words_through_row, int mac_latency) {
  return start + words_through_row + mac_latency - 1;
}

// With projection, the gate unit admits the W_r rows after the step's units (GateAdmission),
// writes r_q at e_q + 1, and the state of the step is complete one cycle later:
// hdone_t = e_{P-1} + 2.
inline int64_t projected_state_done(int64_t last_row_admitted) {
  return last_row_admitted + 2;
}

// The gate unit's admission ("The gate unit", "Batches"): units in increasing u, at most G per
// cycle, e_u = max(ready_u, e_{u-1}, e_{u-G} + 1), one sequence over a pass's steps (a step's
// units, then with projection its W_r rows in increasing q), in which a cycle admits one step's
// units or rows only: unit 0 of a step comes at least a cycle after the previous step's last
// admission. h_u is written at e_u + D and the step's units are complete at
// udone_t = e_{H-1} + D + 1.
class GateAdmission {
 public:
  GateAdmission(int lanes, int depth) : recent_(size_t(lanes), kNone), depth_(depth) {}

  // A new pass: no earlier admission bounds the next one.
  void restart() {
    std::fill(recent_.begin(), recent_.end(), kNone);
    last_ = kNone;
  }
  // e of the next unit (of the current step or the step after it).
  int64_t admit(size_t u, int64_t ready) {
    const int64_t e = admit_row(u == 0 ? std::max(ready, last_ + 1) : ready);
    if (u == 0) first_ = e;
    return e;
  }
  // e of the next W_r row (projection: the step's rows follow its units).
  int64_t admit_row(int64_t ready) {
    const int64_t e = std::max({ready, last_, recent_[oldest_] + 1});  // recent_[oldest_]: e_{u-G}
    recent_[oldest_] = e;
    oldest_ = oldest_ + 1 == recent_.size() ? 0 : oldest_ + 1;
    last_ = e;
    return e;
  }
  // The current step's first admission, and its udone once its last unit is admitted.
  int64_t first() const { return first_; }
  int64_t units_done() const { return last_ + depth_ + 1; }

 private:
  // No admission yet: a bound that never binds (and + 1 does not overflow).
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::min() / 2;

  std::vector<int64_t> recent_;  // the last G admissions, a ring; recent_[oldest_] is e_{u-G}
  int64_t depth_;
  size_t oldest_ = 0;
  int64_t first_ = 0, last_ = kNone;
};

// One phase of a pass: the matrix an array multiplies at step t (X_t, H_t or R_t).
struct PhaseRef {
  Matrix matrix;
  int step;
};

// Each array's phases in the order it executes them within a pass ("Phases and arrays"): with
// separate arrays [X array, H array], X_0..X_{T-1} and H_0, R_0, H_1, R_1, ...; with one shared
// array, X_0, H_0, X_1, R_0, H_1, X_2, R_1, H_2, ..., H_{T-1}, R_{T-1}. No R without projection.
inline std::vector<std::vector<PhaseRef>> phase_order(bool shared, bool projected, int steps) {
  std::vector<std::vector<PhaseRef>> arrays(shared ? 1 : 2);
  std::vector<PhaseRef>& x = arrays.front();
  std::vector<PhaseRef>& h = arrays.back();
  for (int t = 0; t < steps; ++t) {
    x.push_back({Matrix::kWx, t});
    if (shared && projected && t > 0) h.push_back({Matrix::kWr, t - 1});
    h.push_back({Matrix::kWh, t});
    if (!shared && projected) h.push_back({Matrix::kWr, t});
  }
  if (shared && projected) h.push_back({Matrix::kWr, steps - 1});
  return arrays;
}

// The steps the X array's operand buffer and result buffer hold: x_block + 1, so x_t and X_t's
// results take the slots of step t - x_slots ("The input transposer", "Phases and arrays").
inline int x_slots(const ArchConfig& arch) {
  return arch.mac_array.x_block + 1;
}

// Whether a phase reads its weights when they are streamed ("Weights", "Batches"): the H and R
// phases of a pass's batch steps v with v mod batch = 0, and the X phase that starts a block of
// x_block steps of the whole batch (v mod (batch x_block) = 0); the others use the banks' weights.
inline bool fetches_weights(PhaseRef ph, int x_block, int batch) {
  return ph.step % (ph.matrix == Matrix::kWx ? batch * x_block : batch) == 0;
}

// Why an array waited before a phase ("Counters and breakdowns").
enum class StallCause { kMemory, kRecurrence, kGateUnit };

// A dependency of a phase: the cycle it is met and the cause a stall on it counts as.
struct Dependency {
  int64_t at;
  StallCause cause;
};

// An event time the scheduler has not computed yet (event times are >= 0), and a dependency that
// does not apply (the weights of a phase when they are on chip or its read is empty).
inline constexpr int64_t kUnknownCycle = -1;
inline constexpr int64_t kNoDependency = -2;

// A phase's dependencies in the order stalls are attributed ("Phases and arrays"): X_t waits
// for x_t in the operand buffer (`operand`), its weights and its result slot (`state`:
// hdone_{t-x_slots}); H_t for its weights and the recurrence (`state`: hdone_{t-1}); R_t for its
// weights and the step's hidden units (`state`: udone_t).
struct PhaseDependencies {
  std::array<Dependency, 3> deps;
  size_t size = 0;

  bool known() const {
    for (size_t k = 0; k < size; ++k)
      if (deps[k].at == kUnknownCycle) return false;
    return true;
  }
  int64_t start(int64_t f_prev) const {
    int64_t s = f_prev;
    for (size_t k = 0; k < size; ++k) s = std::max(s, deps[k].at);
    return s;
  }
};

inline PhaseDependencies phase_dependencies(Matrix m, int64_t operand, int64_t weights,
                                            int64_t state) {
  PhaseDependencies d;
  if (m == Matrix::kWx) d.deps[d.size++] = {operand, StallCause::kMemory};
  if (weights != kNoDependency) d.deps[d.size++] = {weights, StallCause::kMemory};
  d.deps[d.size++] = {state, m == Matrix::kWx ? StallCause::kGateUnit : StallCause::kRecurrence};
  return d;
}

// Counts the stall before a phase that starts at s = deps.start(f_prev) (every dependency known):
// s - f_prev cycles, towards the first dependency equal to s.
inline void count_stall(ArrayActivity& array, const PhaseDependencies& d, int64_t f_prev,
                        int64_t s) {
  if (s == f_prev) return;
  StallCause cause = StallCause::kMemory;
  for (size_t k = 0; k < d.size; ++k)
    if (d.deps[k].at == s) {
      cause = d.deps[k].cause;
      break;
    }
  (cause == StallCause::kMemory       ? array.stall_memory
   : cause == StallCause::kRecurrence ? array.stall_recurrence
                                      : array.stall_gate) += s - f_prev;
}

// The counters of one phase on an array: it issues for `span` cycles (its largest PE's words)
// and reads `words` bank words of `word_bits` bits, each feeding `lanes` MAC slots and vector
// buffer reads.
inline void count_phase(ArrayActivity& array, int64_t span, int64_t words, int64_t word_bits,
                        int64_t lanes) {
  array.busy += span;
  array.words += words;
  array.mac_slots += words * lanes;
  array.bank_bits_read += words * word_bits;
  array.buffer_reads += words * lanes;
}

// Cycles from a weight beat's arrival to its words in the banks (the load unit): the first pass
// (weights on chip) and each phase (streamed) start no earlier than their weight read's
// completion plus this.
inline constexpr int64_t kLoadLatency = 2;

// One DRAM channel ("The memory channels"): transfers served one after another in the order
// they are requested. A transfer of n > 0 bytes requested at r starts at s = max(r, free),
// holds the channel c = ceil(n / B) cycles (free = s + c) and completes at s + c + lambda; it
// moves as ceil(n / burst_bytes) bursts (burst_bytes is a multiple of B, so bursts back to back
// take the same c cycles).
class MemoryChannel {
 public:
  explicit MemoryChannel(const MemoryConfig& m) : m_(m) {}

  struct Transfer {
    int64_t start;
    int64_t done;
  };
  Transfer transfer(int64_t request, int64_t bytes) {
    const int64_t s = std::max(request, free_);
    free_ = s + (bytes + m_.bytes_per_cycle - 1) / m_.bytes_per_cycle;
    bytes_ += bytes;
    bursts_ += (bytes + m_.burst_bytes - 1) / m_.burst_bytes;
    return {s, free_ + m_.latency_cycles};
  }
  int64_t bytes() const { return bytes_; }
  int64_t bursts() const { return bursts_; }
  // A new run counts from zero; the channel stays busy until free.
  void restart_counters() { bytes_ = bursts_ = 0; }

 private:
  MemoryConfig m_;
  int64_t free_ = 0;
  int64_t bytes_ = 0;
  int64_t bursts_ = 0;
};

// rho = ceil(ab / B): the input transposer's cycles per input value ("Parameters").
inline int64_t transposer_rho(const ArchConfig& arch) {
  const int64_t ab = (arch.arith.act.bits + 7) / 8, beat = arch.memory.bytes_per_cycle;
  return (ab + beat - 1) / beat;
}

// The input transposer of one pass ("The input transposer"): it fills the X array's operand
// buffer of S = x_slots slots from the input store, rho = ceil(ab / B) cycles a value, starting
// x_t at
//   tau_t = max(xready_t + 1, tau_{t-1} + rho I, f_{X_{t-S}})
// and has written it at xt_t = tau_t + rho I.
class InputTransposer {
 public:
  InputTransposer(const ArchConfig& arch, int input_size, int steps)
      : fill_(transposer_rho(arch) * input_size),
        slots_(size_t(x_slots(arch))),
        tau_(size_t(steps)) {}

  // xt_t, from xready_t and slot_free = f_{X_{t-S}} (unused for t < S); asked for step t once
  // step t-1's has been.
  int64_t written(size_t t, int64_t xready, int64_t slot_free) {
    int64_t tau = xready + 1;
    if (t >= 1) tau = std::max(tau, tau_[t - 1] + fill_);
    if (t >= slots_) tau = std::max(tau, slot_free);
    tau_[t] = tau;
    return tau + fill_;
  }

 private:
  int64_t fill_;              // rho I: cycles to write one x_t
  size_t slots_;              // S
  std::vector<int64_t> tau_;  // tau_t of the steps asked so far
};

}  // namespace sparrow
