#include "timing/timing_model.h"

#include <algorithm>
#include <array>
#include <functional>
#include <queue>
#include <tuple>
#include <vector>

#include "compress/bank_use.h"
#include "compress/weight_layout.h"
#include "timing/schedule.h"

namespace sparrow {
namespace {

// The read channel's order among requests of one cycle ("The memory channels"): weight reads
// first, by matrix (X before H before R), then input reads.
constexpr int kInputRank = 3;
int read_rank(Matrix m) {
  return int(m);
}

constexpr size_t kX = size_t(Matrix::kWx), kH = size_t(Matrix::kWh), kR = size_t(Matrix::kWr);

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// What the schedule needs of one encoded matrix.
struct MatrixTiming {
  int64_t span = 0;   // the largest PE's words: f - s of a phase, and max over q of C(q)
  int64_t words = 0;  // all PEs' words
  int64_t word_bits = 0;
  int64_t bytes = 0;  // the phase's weight read (WeightLayout::phase_bytes)
  // What the gate unit admits, in order: the gate matrices' units (max of C(q) over
  // q = 4u..4u+3), W_r's rows (C(q)).
  std::vector<int64_t> admit_words;
};

MatrixTiming matrix_timing(const EncodedMatrix& e, uint64_t bytes, int rows_per_admission) {
  MatrixTiming mt;
  mt.word_bits = e.word_bits();
  mt.bytes = int64_t(bytes);
  mt.admit_words.assign(size_t(e.rows / rows_per_admission), 0);
  std::vector<int64_t> pe_words(size_t(e.pes), 0);
  for (int q = 0; q < e.rows; ++q) {
    const int64_t c = pe_words[size_t(q % e.pes)] += e.row_words[size_t(q)];
    int64_t& a = mt.admit_words[size_t(q / rows_per_admission)];
    a = std::max(a, c);
  }
  for (int p = 0; p < e.pes; ++p) {
    mt.span = std::max(mt.span, pe_words[size_t(p)]);
    mt.words += pe_words[size_t(p)];
  }
  return mt;
}

struct ReadRequest {
  int64_t time;
  int rank;     // read_rank or kInputRank
  int64_t seq;  // request order within one cycle and rank
  int64_t bytes;
  size_t target;  // the waiting array (weights) or step (inputs)

  bool operator>(const ReadRequest& o) const {
    return std::tie(time, rank, seq) > std::tie(o.time, o.rank, o.seq);
  }
};

struct ArrayState {
  std::vector<PhaseRef> phases;  // the array's order within a pass
  ArrayActivity* activity = nullptr;
  size_t next = 0;
  int64_t f_prev = 0;
  int64_t weights = kNoDependency;  // the next phase's weights in the banks
};

// The passes of one run, evaluated in order. Within a pass, phases start as soon as all their
// dependencies are known; when none can, the read channel serves its earliest pending request
// (every phase not started yet starts after it, so no earlier request can still appear).
class Evaluator {
 public:
  Evaluator(const ArchConfig& arch, const WorkloadConfig& w, bool streamed, Activity& activity)
      : read(arch.memory),
        write(arch.memory),
        arch_(arch),
        streamed_(streamed),
        slots_(size_t(x_slots(arch))),
        lanes_{arch.mac_array.wx.lanes, arch.mac_array.wh.lanes},
        mac_latency_{mac_latency(arch.mac_array.wx.lanes), mac_latency(arch.mac_array.wh.lanes)},
        act_bytes_(ceil_div(arch.arith.act.bits, 8)),
        batch_(w.batch),
        steps_(w.batch * w.seq_len),
        projected_(w.proj_size > 0),
        output_bytes_(int64_t{w.state_size()} * act_bytes_),
        activity_(activity),
        admission_(arch.gate_unit.lanes, arch.gate_unit.pipeline_depth) {
    activity_.arrays = arch.mac_array.shared
                           ? std::vector<ArrayActivity>{ArrayActivity{"shared"}}
                           : std::vector<ArrayActivity>{ArrayActivity{"wx"}, ArrayActivity{"wh"}};
    std::vector<std::vector<PhaseRef>> order =
        phase_order(arch.mac_array.shared, projected_, steps_);
    arrays_.resize(order.size());
    for (size_t i = 0; i < order.size(); ++i) arrays_[i].phases = std::move(order[i]);
    for (size_t i = 0; i < arrays_.size(); ++i) arrays_[i].activity = &activity_.arrays[i];
    for (std::vector<int64_t>* v : {&xready_, &start_x_, &start_h_, &udone_, &hdone_})
      v->resize(size_t(steps_));
  }

  MemoryChannel read, write;
  int64_t last_write = 0;  // completion of the last output write

  // Runs the pass of direction matrices `mats` (X, H, R) and input size `input_size` from
  // `start`, its steps the batch steps of a batch ("Batches"); returns its end.
  int64_t run_pass(const std::array<MatrixTiming, 3>& mats, int64_t start, int input_size) {
    mats_ = &mats;
    start_ = start;
    InputTransposer transposer(arch_, input_size, steps_);
    transposer_ = &transposer;
    for (std::vector<int64_t>* v : {&xready_, &start_x_, &start_h_, &udone_, &hdone_})
      std::fill(v->begin(), v->end(), kUnknownCycle);
    admission_.restart();
    for (size_t i = 0; i < arrays_.size(); ++i) {
      arrays_[i].next = 0;
      arrays_[i].f_prev = start;
      request_weights(i, start);
    }
    for (int t = 0; t < steps_; ++t)
      reads_.push({start, kInputRank, t, int64_t{input_size} * act_bytes_, size_t(t)});
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
    const int64_t done = read.transfer(r.time, r.bytes).done;
    if (r.rank == kInputRank)
      xready_[r.target] = done;
    else
      arrays_[r.target].weights = done + kLoadLatency;
  }

  // xt_t: x_t in the X array's operand buffer (kUnknownCycle until xready_t is known). Asked for
  // X_t once X_{t-1} has started, so X_{t-2}'s finish is known.
  int64_t transposed(size_t t) {
    if (xready_[t] == kUnknownCycle) return kUnknownCycle;
    const int64_t slot_free = t >= slots_ ? start_x_[t - slots_] + (*mats_)[kX].span : start_;
    return transposer_->written(t, xready_[t], slot_free);
  }

  // The weight read of array i's next phase, requested at r; a read of 0 bytes is not made. The
  // phase may start kLoadLatency cycles after it completes.
  void request_weights(size_t i, int64_t r) {
    ArrayState& a = arrays_[i];
    a.weights = kNoDependency;
    if (!streamed_ || a.next == a.phases.size() ||
        !fetches_weights(a.phases[a.next], arch_.mac_array.x_block, batch_))
      return;
    const Matrix m = a.phases[a.next].matrix;
    const int64_t bytes = (*mats_)[size_t(m)].bytes;
    if (bytes == 0) return;
    a.weights = kUnknownCycle;
    reads_.push({r, read_rank(m), seq_++, bytes, i});
  }

  // Starts array i's next phase if its dependencies are known.
  bool try_start(size_t i) {
    ArrayState& a = arrays_[i];
    const PhaseRef ph = a.phases[a.next];
    const size_t t = size_t(ph.step);
    const PhaseDependencies deps =
        ph.matrix == Matrix::kWx ? phase_dependencies(ph.matrix, transposed(t), a.weights,
                                                      t >= slots_ ? hdone_[t - slots_] : start_)
        : ph.matrix == Matrix::kWh
            ? phase_dependencies(ph.matrix, kNoDependency, a.weights,
                                 t >= size_t(batch_) ? hdone_[t - size_t(batch_)] : start_)
            : phase_dependencies(ph.matrix, kNoDependency, a.weights, udone_[t]);
    if (!deps.known()) return false;
    const int64_t s = deps.start(a.f_prev);
    count_stall(*a.activity, deps, a.f_prev, s);
    const MatrixTiming& mt = (*mats_)[size_t(ph.matrix)];
    a.f_prev = s + mt.span;
    const size_t on = ph.matrix == Matrix::kWx ? 0 : 1;  // the X array's size, or the H array's
    count_phase(*a.activity, mt.span, mt.words, mt.word_bits, lanes_[on]);
    ++a.next;
    request_weights(i, s);
    if (ph.matrix == Matrix::kWr) {
      int64_t last = 0;
      for (const int64_t c : mt.admit_words)
        last = admission_.admit_row(row_ready(s, c, mac_latency_[on]));
      hdone_[t] = projected_state_done(last);
      write_output(t);
    } else {
      (ph.matrix == Matrix::kWx ? start_x_ : start_h_)[t] = s;
      if (start_x_[t] != kUnknownCycle && start_h_[t] != kUnknownCycle) gate(t);
    }
    return true;
  }

  void gate(size_t t) {
    const std::vector<int64_t>& ux = (*mats_)[kX].admit_words;
    const std::vector<int64_t>& uh = (*mats_)[kH].admit_words;
    for (size_t u = 0; u < ux.size(); ++u)
      admission_.admit(u, std::max(row_ready(start_x_[t], ux[u], mac_latency_[0]),
                                   row_ready(start_h_[t], uh[u], mac_latency_[1])));
    udone_[t] = admission_.units_done();
    if (!projected_) {
      hdone_[t] = udone_[t];
      write_output(t);
    }
  }

  void write_output(size_t t) { last_write = write.transfer(hdone_[t], output_bytes_).done; }

  const ArchConfig& arch_;
  const bool streamed_;
  const size_t slots_;                    // x_slots
  const std::array<int64_t, 2> lanes_;    // the X array's, the H array's
  const std::array<int, 2> mac_latency_;  // A of each
  const int64_t act_bytes_;
  const int batch_;
  const int steps_;  // of a pass: batch steps
  const bool projected_;
  const int64_t output_bytes_;
  Activity& activity_;
  std::vector<ArrayState> arrays_;
  std::priority_queue<ReadRequest, std::vector<ReadRequest>, std::greater<>> reads_;
  int64_t seq_ = 0;
  const std::array<MatrixTiming, 3>* mats_ = nullptr;
  int64_t start_ = 0;
  InputTransposer* transposer_ = nullptr;  // the running pass's
  std::vector<int64_t> xready_, start_x_, start_h_, udone_, hdone_;
  GateAdmission admission_;
};

}  // namespace

Activity evaluate_timing(const CompressedModel& m, const ArchConfig& arch,
                         const WorkloadConfig& w) {
  const WeightLayout layout(m.dirs, arch);
  std::vector<std::array<MatrixTiming, 3>> mats(m.dirs.size());
  for (size_t i = 0; i < m.dirs.size(); ++i) {
    const CompressedDirection& d = m.dirs[i];
    const std::vector<uint64_t>& bytes = layout.phase_bytes[i];
    mats[i][kX] = matrix_timing(d.wx, bytes[kX], 4);
    mats[i][kH] = matrix_timing(d.wh, bytes[kH], 4);
    if (d.wr.rows > 0) mats[i][kR] = matrix_timing(d.wr, bytes[kR], 1);
  }
  Activity activity;
  activity.weights_on_chip = bank_use(m.dirs, arch).on_chip();
  Evaluator ev(arch, w, !activity.weights_on_chip, activity);
  int64_t start = 0;
  if (activity.weights_on_chip)
    start = ev.read.transfer(0, int64_t(layout.total_bytes)).done + kLoadLatency;
  activity.weights_loaded = start;
  for (int j = 0; j < w.batches(); ++j) {
    for (int l = 0; l < w.layers; ++l) {
      // The layer fence: layer l reads layer l-1's outputs from DRAM.
      if (l > 0) start = std::max(start, ev.last_write);
      for (int d = 0; d < w.directions(); ++d) {
        const size_t i = size_t(l * w.directions() + d);
        start = ev.run_pass(mats[i], start, w.layer_input_size(l));
        activity.pass_end.push_back(start);
        activity.gate.units += int64_t{w.batch} * w.seq_len * (m.dirs[i].wx.rows / 4);
      }
    }
    // A batch's sequences are done together.
    activity.sequence_done.insert(activity.sequence_done.end(), size_t(w.batch),
                                  std::max(start, ev.last_write));
  }
  activity.cycles = std::max(start, ev.last_write);
  activity.gate.lut_sigmoid = 3 * activity.gate.units;
  activity.gate.lut_tanh = 2 * activity.gate.units;
  activity.gate.cell_reads = activity.gate.units;
  activity.gate.cell_writes = activity.gate.units;
  activity.dma.read_bytes = ev.read.bytes();
  activity.dma.write_bytes = ev.write.bytes();
  activity.dma.bursts = ev.read.bursts() + ev.write.bursts();
  return activity;
}

}  // namespace sparrow
