#include "controller/controller.h"

#include <algorithm>
#include <limits>

#include "compress/bank_use.h"
#include "controller/program.h"
#include "csr/counters.h"
#include "sim/cycles.h"

namespace sparrow {

Controller::Controller(sc_core::sc_module_name name, const ArchConfig& arch, Csr& csr, Dma& dma,
                       MacArray& x_array, MacArray& h_array, GateUnit& gate, Activity& activity)
    : sc_module(name),
      arch_(arch),
      csr_(csr),
      dma_(dma),
      x_array_(x_array),
      h_array_(h_array),
      gate_(gate),
      activity_(activity) {
  SC_HAS_PROCESS(Controller);
  SC_THREAD(run);
  set_stack_size(kThreadStackBytes);
}

std::string Controller::state() const {
  return "controller in pass " + std::to_string(pass_) + " batch step " + std::to_string(step_) +
         " of the batch from sequence " + std::to_string(sequence_) + ", gate unit has completed " +
         std::to_string(gate_.steps_known()) + " steps of it";
}

void Controller::set_trace(TraceRecorder* trace) {
  trace_ = trace;
  if (trace_) track_ = trace_->track(basename());
}

// Loads pass k's matrix m (and, with W_x, its bias) from a buffer holding the weight region's
// bytes starting at weight offset `base`.
static void load_from(WeightBank& bank, const EncodedMatrix& geometry,
                      const std::vector<WeightLayout::Block>& blocks, const uint8_t* data,
                      uint64_t base, int scale_bits) {
  std::vector<std::vector<uint8_t>> images;
  for (const auto& b : blocks)
    images.emplace_back(data + (b.offset - base), data + (b.offset - base) + b.bytes);
  bank.load(geometry, images, scale_bits);
}

void Controller::load_weights_on_chip() {
  std::vector<uint8_t> all(layout_.total_bytes);
  const int64_t done = dma_.read(csr_.reg64(kCsrWeightBase), all.data(), all.size(), "weights");
  sleep_until(done + kLoadLatency);
  for (size_t k = 0; k < passes_.size(); ++k) {
    for (Matrix m : {Matrix::kWx, Matrix::kWh, Matrix::kWr}) {
      if (passes_[k].matrix(m).rows == 0) continue;
      load_from(banks_[k][size_t(m)], passes_[k].matrix(m), layout_.banks[k][size_t(m)], all.data(),
                0, arch_.arith.scale.bits);
    }
    const auto& b = layout_.bias[k];
    bias_[k] =
        get_values(all.data() + b.offset, size_t(4 * passes_[k].hidden), bias_bytes(arch_.arith));
  }
}

int64_t Controller::request_weights(size_t k, Matrix m) {
  const auto& blocks = layout_.banks[k][size_t(m)];
  const uint64_t first = blocks.front().offset;
  const uint64_t bytes = layout_.phase_bytes[k][size_t(m)];
  if (bytes == 0) return now_cycle();  // nothing to bring: no transfer is made
  if (stream_buf_.size() < bytes) stream_buf_.resize(bytes);
  static const char* const kWhat[] = {"weights W_x", "weights W_h", "weights W_r"};
  const int64_t done =
      dma_.read(csr_.reg64(kCsrWeightBase) + first, stream_buf_.data(), bytes, kWhat[size_t(m)]);
  if (!banks_[k][size_t(m)].loaded())
    load_from(banks_[k][size_t(m)], passes_[k].matrix(m), blocks, stream_buf_.data(), first,
              arch_.arith.scale.bits);
  if (m == Matrix::kWx && bias_[k].empty())
    bias_[k] = get_values(stream_buf_.data() + (layout_.bias[k].offset - first),
                          size_t(4 * passes_[k].hidden), bias_bytes(arch_.arith));
  return done + kLoadLatency;
}

void Controller::run() {
  for (;;) {
    sc_core::wait(csr_.start_event());
    begin_run();
    bool aborted = false;
    try {
      execute();
    } catch (const MemoryError& e) {  // the run stops where the memory refused a transfer
      refusal_ = e.what();
      csr_.set_refused();
    } catch (const Aborted&) {
      aborted = true;
    }
    if (aborted) {  // SOFT_RESET: quiet once the transfers requested are complete
      wait_until(dma_.quiet());
      gate_.abort();
      csr_.finish_soft_reset();
    }
  }
}

// A run starts from zero: the activity (the arrays keep their names and the units their
// references to them), the DMA's counters, the refusal.
void Controller::begin_run() {
  std::vector<ArrayActivity> arrays = std::move(activity_.arrays);
  activity_ = Activity{};
  activity_.arrays = std::move(arrays);
  for (ArrayActivity& a : activity_.arrays) a = ArrayActivity{a.name};
  dma_.begin_run();
  refusal_.clear();
}

// Sleeps until cycle c; a SOFT_RESET meanwhile ends the run.
void Controller::sleep_until(int64_t c) {
  const int64_t n = now_cycle();
  if (c > n) sc_core::wait(sc_cycles(c - n), csr_.soft_reset_event());
  if (csr_.soft_reset_pending()) throw Aborted{};
}

bool Controller::execute() {
  // The activity's cycles count from START (0 when the host starts at once; a virtual
  // platform's CPU may start later).
  const int64_t started = now_cycle();
  csr_.set_busy();
  try {
    passes_ = programmed_passes(csr_, arch_);
  } catch (const ProgramError& e) {
    refusal_ = e.what();
    csr_.set_refused();
    return false;
  }
  layout_ = WeightLayout(passes_, arch_);
  banks_.assign(passes_.size(), std::vector<WeightBank>(3));
  bias_.assign(passes_.size(), {});
  on_chip_ = bank_use(passes_, arch_).on_chip();
  activity_.weights_on_chip = on_chip_;
  if (on_chip_) load_weights_on_chip();
  activity_.weights_loaded = now_cycle() - started;
  int64_t end = now_cycle();
  const int sequences = int(csr_.reg(kCsrSequences)), batch = int(csr_.reg(kCsrBatch));
  for (sequence_ = 0; sequence_ < sequences; sequence_ += batch) {
    for (size_t k = 0; k < passes_.size(); ++k) {
      pass_ = k;
      // The layer fence: a layer's inputs are the previous layer's outputs in DRAM.
      if (k > 0 && passes_[k].layer > passes_[k - 1].layer)
        sleep_until(std::max(end, last_write_done_));
      end = run_pass(k);
      activity_.pass_end.push_back(end - started);
    }
    // A batch's sequences are done together.
    activity_.sequence_done.insert(activity_.sequence_done.end(), size_t(batch),
                                   std::max(end, last_write_done_) - started);
  }
  sleep_until(std::max(end, last_write_done_));
  activity_.cycles = now_cycle() - started;
  activity_.dma.read_bytes = dma_.read_bytes();
  activity_.dma.write_bytes = dma_.write_bytes();
  activity_.dma.bursts = dma_.bursts();
  for (const CsrRegInfo& r : counter_registers())
    csr_.set_counter(r.offset, uint64_t(counter_value(activity_, r.offset)));
  if (trace_) trace_->done(now_cycle());
  csr_.set_done();
  return true;
}

// The pass's DRAM addresses for each sequence s of the batch: one row per step at row_stride;
// sequence s's inputs follow sequence s-1's; layer l's output sequences of all N sequences are
// one region, sequence s's at (l N + s) times one output sequence's bytes; a direction's state
// sits at its offset within a step's output row.
void Controller::place_pass(PassRun& r) const {
  const PassGeometry& g = *r.g;
  const uint64_t ab = uint64_t(act_bytes(arch_.arith)), steps = uint64_t(r.seq_len);
  r.in_row = uint64_t(g.input_size) * ab;
  r.in_stride = row_stride(r.in_row, arch_);
  r.out_row = uint64_t(csr_.reg(kCsrDirections)) * uint64_t(g.state) * ab;
  r.out_stride = row_stride(r.out_row, arch_);
  const uint64_t seq_out = steps * r.out_stride;
  const uint64_t n = csr_.reg(kCsrSequences);
  r.in_base.clear();
  r.out_base.clear();
  for (uint64_t s = uint64_t(sequence_); s < uint64_t(sequence_ + r.batch); ++s) {
    r.in_base.push_back(g.layer == 0 ? csr_.reg64(kCsrInputBase) + s * steps * r.in_stride
                                     : csr_.reg64(kCsrOutputBase) +
                                           (uint64_t(g.layer - 1) * n + s) * seq_out);
    r.out_base.push_back(csr_.reg64(kCsrOutputBase) + (uint64_t(g.layer) * n + s) * seq_out +
                         uint64_t(g.direction) * uint64_t(g.state) * ab);
  }
}

// The pass's arrays and buffers, and the requests at its start: streamed weights of each array's
// first phase (the W_x phase brings the bias the gate unit needs), then every step's input.
Controller::PassRun Controller::begin_pass(size_t k) {
  PassRun r(passes_[k], arch_, int(csr_.reg(kCsrSeqLen)), int(csr_.reg(kCsrBatch)));
  r.k = k;
  r.start = now_cycle();
  if (trace_) trace_->sample(TraceCounter::kPass, r.start, int64_t(k));
  std::vector<std::vector<PhaseRef>> order = phase_order(&x_array_ == &h_array_, r.proj, r.steps);
  for (size_t i = 0; i < order.size(); ++i) {
    ArrayRun a{
        i == 0 ? &x_array_ : &h_array_, &activity_.arrays[i], std::move(order[i]), {}, 0, r.start};
    a.weights_ready.assign(a.seq.size(), kUnknownCycle);
    if (!on_chip_) a.weights_ready[0] = request_weights(k, a.seq[0].matrix);
    r.arrays.push_back(std::move(a));
  }
  place_pass(r);
  r.x_in.assign(size_t(r.steps), std::vector<uint8_t>(r.in_row));
  for (int v = 0; v < r.steps; ++v)
    r.xready[size_t(v)] =
        dma_.read(r.in_base[r.member(v)] + uint64_t(r.time_index(v)) * r.in_stride,
                  r.x_in[size_t(v)].data(), r.in_row, "input");
  state_bufs_.resize(size_t(r.batch));
  hidden_bufs_.resize(size_t(r.batch));
  std::vector<VectorBuffer*> gate_out;
  for (size_t b = 0; b < size_t(r.batch); ++b) {
    state_bufs_[b].reset(size_t(r.g->wh.padded_cols()));
    if (r.proj) hidden_bufs_[b].reset(size_t(r.g->wr.padded_cols()));
    gate_out.push_back(r.proj ? &hidden_bufs_[b] : &state_bufs_[b]);
  }
  x_buf_.reset(size_t(r.g->wx.padded_cols()));
  gate_.begin_pass(int(k), bias_[k], std::move(gate_out));
  return r;
}

int64_t Controller::hdone(const PassRun& r, int t) const {
  if (t < 0) return r.start;
  if (r.proj) return r.hdone_r[size_t(t)];
  return gate_.udone(t);
}

// Output writes due by `now`, in step order, before any phase can overwrite the state.
void Controller::write_outputs(PassRun& r, int64_t now) {
  const int ab = act_bytes(arch_.arith);
  while (r.written < r.steps && hdone(r, r.written) != kUnknownCycle &&
         hdone(r, r.written) <= now) {
    const size_t b = r.member(r.written);
    const std::vector<int64_t>& state = state_bufs_[b].values;
    std::vector<uint8_t> bytes;
    put_values(bytes, std::vector<int64_t>(state.begin(), state.begin() + r.g->state), ab);
    last_write_done_ = dma_.write(r.out_base[b] + uint64_t(r.time_index(r.written)) * r.out_stride,
                                  bytes.data(), bytes.size(), "output");
    ++r.written;
  }
}

// The next phase's dependencies ("Phases and arrays", with batch steps: "Batches"): X_t reads
// x_t once the transposer has written it into the operand buffer, which waits for x_t's slot
// (X_{t-S} finished issuing, S = x_slots), and its results wait for hdone_{t-S}; H_t for the
// recurrence, hdone_{t-B}; R_t for udone_t.
PhaseDependencies Controller::dependencies(PassRun& r, const ArrayRun& a) {
  const PhaseRef ph = a.seq[a.next];
  const int t = ph.step, slots = x_slots(arch_);
  const int64_t weights = on_chip_ ? kNoDependency : a.weights_ready[a.next];
  if (ph.matrix != Matrix::kWx)
    return phase_dependencies(ph.matrix, kNoDependency, weights,
                              ph.matrix == Matrix::kWh ? hdone(r, t - r.batch) : gate_.udone(t));
  const int64_t slot_free = t >= slots ? r.x_finish[size_t(t - slots)] : r.start;
  return phase_dependencies(ph.matrix,
                            r.transposer.written(size_t(t), r.xready[size_t(t)], slot_free),
                            weights, hdone(r, t - slots));
}

// Starts array a's next phase now: requests the weights of the phase after it (streamed), runs
// it on its bank and operand, and hands its results to the gate unit or the projection stage.
void Controller::start_phase(PassRun& r, ArrayRun& a) {
  const PhaseRef ph = a.seq[a.next];
  step_ = ph.step;
  if (!on_chip_ && a.next + 1 < a.seq.size())
    a.weights_ready[a.next + 1] =
        fetches_weights(a.seq[a.next + 1], arch_.mac_array.x_block, r.batch)
            ? request_weights(r.k, a.seq[a.next + 1].matrix)
            : kNoDependency;
  Mac2Gate msg;
  msg.pass = int(r.k);
  msg.step = ph.step;
  msg.matrix = ph.matrix;
  const size_t t = size_t(ph.step);
  if (ph.matrix == Matrix::kWx) {
    const std::vector<int64_t> v =
        get_values(r.x_in[t].data(), size_t(r.g->input_size), act_bytes(arch_.arith));
    std::copy(v.begin(), v.end(), x_buf_.values.begin());
    a.free = r.x_finish[t] = a.array->run_phase(banks_[r.k][0], x_buf_, msg);
    gate_.push(std::move(msg));
  } else if (ph.matrix == Matrix::kWh) {
    a.free = a.array->run_phase(banks_[r.k][1], state_bufs_[r.member(ph.step)], msg);
    gate_.push(std::move(msg));
  } else {
    a.free = a.array->run_phase(banks_[r.k][2], hidden_bufs_[r.member(ph.step)], msg);
    r.hdone_r[t] = gate_.project(msg, state_bufs_[r.member(ph.step)]);
  }
  ++a.next;
}

// Runs pass k: each array starts its next phase at the first cycle its dependencies allow; in
// between, the controller sleeps until the earliest known start or until the gate unit completes
// a step. Returns the pass's end, hdone of its last step.
int64_t Controller::run_pass(size_t k) {
  PassRun r = begin_pass(k);
  for (;;) {
    const int64_t now = now_cycle();
    write_outputs(r, now);
    if (r.written == r.steps) break;
    int64_t wake = std::numeric_limits<int64_t>::max();
    bool started = false;
    for (ArrayRun& a : r.arrays) {
      if (a.next == a.seq.size()) continue;
      const PhaseDependencies deps = dependencies(r, a);
      if (!deps.known()) continue;
      const int64_t s = deps.start(a.free);
      if (s > now) {
        wake = std::min(wake, s);
        continue;
      }
      count_stall(*a.activity, deps, a.free, s);
      start_phase(r, a);
      started = true;
    }
    if (started) continue;
    if (hdone(r, r.written) != kUnknownCycle) wake = std::min(wake, hdone(r, r.written));
    if (wake == std::numeric_limits<int64_t>::max())
      sc_core::wait(gate_.known() | csr_.soft_reset_event());
    else
      sc_core::wait(sc_cycles(wake - now), gate_.known() | csr_.soft_reset_event());
    if (csr_.soft_reset_pending()) throw Aborted{};
  }
  const int64_t end = hdone(r, r.steps - 1);
  if (trace_)
    trace_->interval(track_, "pass " + std::to_string(k), r.start, end,
                     {{"layer", r.g->layer}, {"direction", r.g->direction}});
  return end;
}

}  // namespace sparrow
