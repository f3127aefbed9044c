#include "timing/timing_model.h"

#include <algorithm>
#include <array>
#include <functional>
#include <queue>
#include <tuple>
#include <vector>

#include "compress/weight_layout.h"
#include "timing/schedule.h"

namespace sparrow {
namespace {

constexpr int64_t kUnknown = -1;  // an event time not computed yet (event times are >= 0)
constexpr int64_t kAbsent = -2;   // a dependency that does not apply

// Phase kinds; with kInput also the read channel's order among requests of one cycle.
enum Kind { kX = 0, kH = 1, kR = 2, kInput = 3 };
enum Cause { kMemory, kRecurrence, kGate };

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

int ceil_log2(int n) {
  int b = 0;
  while ((int64_t{1} << b) < n) ++b;
  return b;
}

// What the schedule needs of one encoded matrix.
struct MatrixTiming {
  int64_t span = 0;   // the largest PE's words: f - s of a phase, and max over q of C(q)
  int64_t words = 0;  // all PEs' words
  int64_t word_bits = 0;
  int64_t bytes = 0;                // the phase's weight read (WeightLayout::phase_bytes)
  std::vector<int64_t> unit_words;  // gate matrices: max of C(q) over q = 4u..4u+3
};

MatrixTiming matrix_timing(const EncodedMatrix& e, uint64_t bytes, bool gate_rows) {
  MatrixTiming mt;
  mt.word_bits = e.word_bits();
  mt.bytes = int64_t(bytes);
  if (gate_rows) mt.unit_words.assign(size_t(e.rows / 4), 0);
  std::vector<int64_t> pe_words(size_t(e.pes), 0);
  for (int q = 0; q < e.rows; ++q) {
    const int64_t c = pe_words[size_t(q % e.pes)] += e.row_words[size_t(q)];
    if (gate_rows) {
      int64_t& u = mt.unit_words[size_t(q / 4)];
      u = std::max(u, c);
    }
  }
  for (int p = 0; p < e.pes; ++p) {
    mt.span = std::max(mt.span, pe_words[size_t(p)]);
    mt.words += pe_words[size_t(p)];
  }
  return mt;
}

// compression_stats' banks.wx_fits_on_chip && banks.wh_fits_on_chip.
bool weights_fit(const CompressedModel& m, const ArchConfig& arch) {
  const int pes = arch.mac_array.pes, scale_bits = arch.arith.scale.bits;
  std::vector<int64_t> x(size_t(pes), 0), h(size_t(pes), 0);
  for (const CompressedDirection& d : m.dirs) {
    for (int p = 0; p < pes; ++p) {
      x[size_t(p)] += d.wx.bank_bits(p, scale_bits);
      h[size_t(p)] += d.wh.bank_bits(p, scale_bits);
      if (d.wr.rows > 0) h[size_t(p)] += d.wr.bank_bits(p, scale_bits);
    }
  }
  return *std::max_element(x.begin(), x.end()) <= arch.weight_bank.wx_kbit_per_pe * 1024 &&
         *std::max_element(h.begin(), h.end()) <= arch.weight_bank.wh_kbit_per_pe * 1024;
}

// One DRAM channel: transfers served one after another in the order they are requested.
struct Channel {
  int64_t free = 0;
  int64_t bytes = 0;
  int64_t bursts = 0;

  // A transfer of n > 0 bytes requested at r; returns its completion.
  int64_t transfer(int64_t r, int64_t n, const MemoryConfig& mem) {
    free = std::max(r, free) + ceil_div(n, mem.bytes_per_cycle);
    bytes += n;
    bursts += ceil_div(n, mem.burst_bytes);
    return free + mem.latency_cycles;
  }
};

struct Phase {
  Kind kind;
  int t;
};

struct ReadRequest {
  int64_t time;
  Kind kind;
  int64_t seq;  // request order within one cycle and kind
  int64_t bytes;
  size_t target;  // the waiting array (weights) or step (inputs)

  bool operator>(const ReadRequest& o) const {
    return std::tie(time, kind, seq) > std::tie(o.time, o.kind, o.seq);
  }
};

struct ArrayState {
  std::vector<Phase> phases;  // the array's order within a pass
  ArrayActivity* act = nullptr;
  size_t next = 0;
  int64_t f_prev = 0;
  int64_t weights = kAbsent;  // completion of the next phase's weight read
};

// The passes of one run, evaluated in order. Within a pass, phases start as soon as all their
// dependencies are known; when none can, the read channel serves its earliest pending request
// (every phase not started yet starts after it, so no earlier request can still appear).
class Evaluator {
 public:
  Evaluator(const ArchConfig& arch, const WorkloadConfig& w, bool streamed, Activity& act)
      : arch_(arch),
        mem_(arch.memory),
        streamed_(streamed),
        lanes_(arch.mac_array.lanes),
        gate_lanes_(arch.gate_unit.lanes),
        depth_(arch.gate_unit.pipeline_depth),
        mac_latency_(3 + ceil_log2(arch.mac_array.lanes)),
        act_bytes_(ceil_div(arch.arith.act.bits, 8)),
        steps_(w.seq_len),
        projected_(w.proj_size > 0),
        output_bytes_(int64_t{w.state_size()} * act_bytes_),
        act_(act) {
    if (arch.mac_array.shared) {
      act_.arrays = {ArrayActivity{"shared"}};
      arrays_.resize(1);
      for (int t = 0; t < steps_; ++t) {
        arrays_[0].phases.push_back({kX, t});
        if (projected_ && t > 0) arrays_[0].phases.push_back({kR, t - 1});
        arrays_[0].phases.push_back({kH, t});
      }
      if (projected_) arrays_[0].phases.push_back({kR, steps_ - 1});
    } else {
      act_.arrays = {ArrayActivity{"wx"}, ArrayActivity{"wh"}};
      arrays_.resize(2);
      for (int t = 0; t < steps_; ++t) {
        arrays_[0].phases.push_back({kX, t});
        arrays_[1].phases.push_back({kH, t});
        if (projected_) arrays_[1].phases.push_back({kR, t});
      }
    }
    for (size_t i = 0; i < arrays_.size(); ++i) arrays_[i].act = &act_.arrays[i];
    for (std::vector<int64_t>* v : {&xready_, &start_x_, &start_h_, &udone_, &hdone_})
      v->resize(size_t(steps_));
  }

  Channel read, write;
  int64_t last_write = 0;  // completion of the last output write

  // Runs the pass of direction matrices `mats` (X, H, R) and input size `input_size` from
  // `start`; returns its end.
  int64_t run_pass(const std::array<MatrixTiming, 3>& mats, int64_t start, int input_size) {
    mats_ = &mats;
    start_ = start;
    InputTransposer transposer(arch_, input_size, steps_);
    transposer_ = &transposer;
    for (std::vector<int64_t>* v : {&xready_, &start_x_, &start_h_, &udone_, &hdone_})
      std::fill(v->begin(), v->end(), kUnknown);
    admit_.resize(mats[kX].unit_words.size());
    for (size_t i = 0; i < arrays_.size(); ++i) {
      arrays_[i].next = 0;
      arrays_[i].f_prev = start;
      request_weights(i, start);
    }
    for (int t = 0; t < steps_; ++t)
      reads_.push({start, kInput, t, int64_t{input_size} * act_bytes_, size_t(t)});
    for (;;) {
      bool progressed = false, left = false;
      for (size_t i = 0; i < arrays_.size(); ++i) {
        while (arrays_[i].next < arrays_[i].phases.size() && try_start(i)) progressed = true;
        left = left || arrays_[i].next < arrays_[i].phases.size();
      }
      if (!left) break;
      if (!progressed) serve_read();
    }
    return hdone_.back();
  }

 private:
  void serve_read() {
    const ReadRequest r = reads_.top();
    reads_.pop();
    const int64_t done = read.transfer(r.time, r.bytes, mem_);
    if (r.kind == kInput)
      xready_[r.target] = done;
    else
      arrays_[r.target].weights = done + kLoadLatency;
  }

  // xt_t: x_t in the X array's operand buffer (kUnknown until xready_t is known). Asked for X_t
  // once X_{t-1} has started, so X_{t-2}'s finish is known.
  int64_t transposed(size_t t) {
    if (xready_[t] == kUnknown) return kUnknown;
    const int64_t slot_free = t >= 2 ? start_x_[t - 2] + (*mats_)[kX].span : start_;
    return transposer_->written(t, xready_[t], slot_free);
  }

  // The weight read of array i's next phase, requested at r; a read of 0 bytes is not made. The
  // phase may start kLoadLatency cycles after it completes.
  void request_weights(size_t i, int64_t r) {
    ArrayState& a = arrays_[i];
    a.weights = kAbsent;
    if (!streamed_ || a.next == a.phases.size()) return;
    const Kind kind = a.phases[a.next].kind;
    const int64_t bytes = (*mats_)[kind].bytes;
    if (bytes == 0) return;
    a.weights = kUnknown;
    reads_.push({r, kind, seq_++, bytes, i});
  }

  // Starts array i's next phase if its dependencies are known.
  bool try_start(size_t i) {
    ArrayState& a = arrays_[i];
    const Phase ph = a.phases[a.next];
    const size_t t = size_t(ph.t);
    std::array<std::pair<int64_t, Cause>, 3> deps;  // in the order stalls are attributed
    size_t n = 0;
    if (ph.kind == kX) deps[n++] = {transposed(t), kMemory};
    deps[n++] = {a.weights, kMemory};
    if (ph.kind == kX) deps[n++] = {t >= 2 ? hdone_[t - 2] : start_, kGate};
    if (ph.kind == kH) deps[n++] = {t >= 1 ? hdone_[t - 1] : start_, kRecurrence};
    if (ph.kind == kR) deps[n++] = {udone_[t], kRecurrence};
    int64_t s = a.f_prev;
    for (size_t k = 0; k < n; ++k) {
      if (deps[k].first == kUnknown) return false;
      s = std::max(s, deps[k].first);
    }
    if (s > a.f_prev) {
      const Cause cause = std::find_if(deps.begin(), deps.begin() + long(n), [s](const auto& d) {
                            return d.first == s;
                          })->second;
      (cause == kMemory       ? a.act->stall_memory
       : cause == kRecurrence ? a.act->stall_recurrence
                              : a.act->stall_gate) += s - a.f_prev;
    }
    const MatrixTiming& mt = (*mats_)[ph.kind];
    a.f_prev = s + mt.span;
    a.act->busy += mt.span;
    a.act->words += mt.words;
    a.act->mac_slots += mt.words * lanes_;
    a.act->bank_bits_read += mt.words * mt.word_bits;
    a.act->buffer_reads += mt.words * lanes_;
    ++a.next;
    request_weights(i, s);
    if (ph.kind == kR) {
      hdone_[t] = s + mt.span + mac_latency_ + 1;  // max over q of ready(q), plus 2
      write_output(t);
    } else {
      (ph.kind == kX ? start_x_ : start_h_)[t] = s;
      if (start_x_[t] != kUnknown && start_h_[t] != kUnknown) gate(t);
    }
    return true;
  }

  void gate(size_t t) {
    const std::vector<int64_t>& ux = (*mats_)[kX].unit_words;
    const std::vector<int64_t>& uh = (*mats_)[kH].unit_words;
    const size_t g = size_t(gate_lanes_);
    for (size_t u = 0; u < admit_.size(); ++u) {
      int64_t e = std::max(start_x_[t] + ux[u], start_h_[t] + uh[u]) + mac_latency_ - 1;
      if (u >= 1) e = std::max(e, admit_[u - 1]);
      if (u >= g) e = std::max(e, admit_[u - g] + 1);
      admit_[u] = e;
    }
    udone_[t] = admit_.back() + depth_ + 1;
    if (!projected_) {
      hdone_[t] = udone_[t];
      write_output(t);
    }
  }

  void write_output(size_t t) { last_write = write.transfer(hdone_[t], output_bytes_, mem_); }

  const ArchConfig& arch_;
  const MemoryConfig mem_;
  const bool streamed_;
  const int64_t lanes_, gate_lanes_, depth_, mac_latency_;
  const int64_t act_bytes_;
  const int steps_;
  const bool projected_;
  const int64_t output_bytes_;
  Activity& act_;
  std::vector<ArrayState> arrays_;
  std::priority_queue<ReadRequest, std::vector<ReadRequest>, std::greater<>> reads_;
  int64_t seq_ = 0;
  const std::array<MatrixTiming, 3>* mats_ = nullptr;
  int64_t start_ = 0;
  InputTransposer* transposer_ = nullptr;  // the running pass's
  std::vector<int64_t> xready_, start_x_, start_h_, udone_, hdone_;
  std::vector<int64_t> admit_;  // e_u of the step being gated
};

}  // namespace

Activity evaluate_timing(const CompressedModel& m, const ArchConfig& arch,
                         const WorkloadConfig& w) {
  const WeightLayout layout(m.dirs, arch);
  std::vector<std::array<MatrixTiming, 3>> mats(m.dirs.size());
  for (size_t i = 0; i < m.dirs.size(); ++i) {
    const CompressedDirection& d = m.dirs[i];
    const std::vector<uint64_t>& bytes = layout.phase_bytes[i];
    mats[i][kX] = matrix_timing(d.wx, bytes[kX], true);
    mats[i][kH] = matrix_timing(d.wh, bytes[kH], true);
    if (d.wr.rows > 0) mats[i][kR] = matrix_timing(d.wr, bytes[kR], false);
  }
  Activity act;
  act.weights_on_chip = weights_fit(m, arch);
  Evaluator ev(arch, w, !act.weights_on_chip, act);
  int64_t start = 0;
  if (act.weights_on_chip)
    start = ev.read.transfer(0, int64_t(layout.total_bytes), arch.memory) + kLoadLatency;
  for (int l = 0; l < w.layers; ++l) {
    // The layer fence: layer l reads layer l-1's outputs from DRAM.
    if (l > 0) start = std::max(start, ev.last_write);
    for (int d = 0; d < w.directions(); ++d) {
      const size_t i = size_t(l * w.directions() + d);
      start = ev.run_pass(mats[i], start, w.layer_input_size(l));
      act.pass_end.push_back(start);
      act.gate_units += int64_t{w.seq_len} * (m.dirs[i].wx.rows / 4);
    }
  }
  act.cycles = std::max(start, ev.last_write);
  act.lut_sigmoid = 3 * act.gate_units;
  act.lut_tanh = 2 * act.gate_units;
  act.cell_reads = act.gate_units;
  act.cell_writes = act.gate_units;
  act.dram_read_bytes = ev.read.bytes;
  act.dram_write_bytes = ev.write.bytes;
  act.dma_bursts = ev.read.bursts + ev.write.bursts;
  return act;
}

}  // namespace sparrow
