#include "controller/controller.h"

#include <algorithm>
#include <limits>

#include "compress/bank_use.h"
#include "sim/cycles.h"

namespace sparrow {

Controller::Controller(sc_core::sc_module_name name, const ArchConfig& arch,
                       const std::vector<PassGeometry>& passes, Csr& csr, Dma& dma,
                       MacArray& x_array, MacArray& h_array, GateUnit& gate, Activity& activity)
    : sc_module(name),
      arch_(arch),
      passes_(passes),
      csr_(csr),
      dma_(dma),
      x_array_(x_array),
      h_array_(h_array),
      gate_(gate),
      act_(activity),
      layout_(passes, arch),
      banks_(passes.size(), std::vector<WeightBank>(3)),
      bias_(passes.size()) {
  SC_HAS_PROCESS(Controller);
  SC_THREAD(run);
  set_stack_size(kThreadStackBytes);
}

std::string Controller::state() const {
  return "controller in pass " + std::to_string(pass_) + " step " + std::to_string(step_) +
         " of sequence " + std::to_string(sequence_) + ", gate unit has completed " +
         std::to_string(gate_.udone.size()) + " steps of it";
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
  wait_until(done + kLoadLatency);
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
  sc_core::wait(csr_.start_event);
  csr_.set_busy();
  on_chip_ = bank_use(passes_, arch_).on_chip();
  act_.weights_on_chip = on_chip_;
  if (on_chip_) load_weights_on_chip();
  act_.weights_loaded = now_cycle();
  int64_t end = now_cycle();
  const int sequences = int(csr_.reg(kCsrSequences));
  for (sequence_ = 0; sequence_ < sequences; ++sequence_) {
    for (size_t k = 0; k < passes_.size(); ++k) {
      pass_ = k;
      // The layer fence: a layer's inputs are the previous layer's outputs in DRAM.
      if (k > 0 && passes_[k].layer > passes_[k - 1].layer)
        wait_until(std::max(end, last_write_done_));
      end = run_pass(k);
      act_.pass_end.push_back(end);
    }
    act_.sequence_done.push_back(std::max(end, last_write_done_));
  }
  wait_until(std::max(end, last_write_done_));
  act_.cycles = now_cycle();
  act_.dram_read_bytes = dma_.read_bytes();
  act_.dram_write_bytes = dma_.write_bytes();
  act_.dma_bursts = dma_.bursts();
  int64_t slots = 0;
  for (const auto& a : act_.arrays) slots += a.mac_slots;
  csr_.set_counter(kCsrCycles, uint64_t(act_.cycles));
  csr_.set_counter(kCsrMacSlots, uint64_t(slots));
  csr_.set_counter(kCsrDramReadBytes, uint64_t(act_.dram_read_bytes));
  csr_.set_counter(kCsrDramWriteBytes, uint64_t(act_.dram_write_bytes));
  csr_.set_counter(kCsrLutLookups, uint64_t(act_.lut_sigmoid + act_.lut_tanh));
  if (trace_) trace_->done(act_.cycles);
  csr_.set_done();
}

int64_t Controller::run_pass(size_t k) {
  const PassGeometry& g = passes_[k];
  const int steps = int(csr_.reg(kCsrSeqLen));
  const int dirs = int(csr_.reg(kCsrDirections));
  const int ab = act_bytes(arch_.arith);
  const bool proj = g.wr.rows > 0;
  const int64_t start = now_cycle();
  if (trace_) trace_->sample(TraceCounter::kPass, start, int64_t(k));

  // The arrays' phase sequences.
  const bool shared = &x_array_ == &h_array_;
  std::vector<std::vector<PhaseRef>> order = phase_order(shared, proj, steps);
  std::vector<ArrayRun> arrays;
  for (size_t i = 0; i < order.size(); ++i) {
    ArrayRun a{i == 0 ? &x_array_ : &h_array_, &act_.arrays[i], std::move(order[i]), {}, 0, start};
    a.weights_ready.assign(a.seq.size(), kUnknownCycle);
    arrays.push_back(std::move(a));
  }

  // Requests at the pass start: streamed weights of each array's first phase (the W_x phase
  // brings the bias the gate unit needs), then the inputs.
  if (!on_chip_)
    for (ArrayRun& a : arrays) a.weights_ready[0] = request_weights(k, a.seq[0].matrix);
  // Sequence s's inputs follow sequence s-1's; layer l's output sequences of all N sequences
  // are one region, sequence s's at (l N + s) times one output sequence's bytes.
  const uint64_t in_row = uint64_t(g.input_size) * uint64_t(ab);
  const uint64_t out_row = uint64_t(dirs) * uint64_t(g.state) * uint64_t(ab);
  const uint64_t seq_out = uint64_t(steps) * out_row;
  const uint64_t n = csr_.reg(kCsrSequences), s = uint64_t(sequence_);
  const uint64_t in_base =
      g.layer == 0 ? csr_.reg64(kCsrInputBase) + s * uint64_t(steps) * in_row
                   : csr_.reg64(kCsrOutputBase) + (uint64_t(g.layer - 1) * n + s) * seq_out;
  const uint64_t out_base = csr_.reg64(kCsrOutputBase) + (uint64_t(g.layer) * n + s) * seq_out +
                            uint64_t(g.direction) * uint64_t(g.state) * uint64_t(ab);
  std::vector<std::vector<uint8_t>> x_in(static_cast<size_t>(steps), std::vector<uint8_t>(in_row));
  std::vector<int64_t> xready(static_cast<size_t>(steps));
  auto time_index = [&](int t) { return g.direction ? steps - 1 - t : t; };
  for (int t = 0; t < steps; ++t)
    xready[size_t(t)] = dma_.read(in_base + uint64_t(time_index(t)) * in_row,
                                  x_in[size_t(t)].data(), in_row, "input");

  // X_t reads x_t once the transposer has written it into the operand buffer, which waits for
  // x_t's slot: X_{t-S} finished issuing (S = x_slots); X_t's results wait for hdone_{t-S}.
  const int slots = x_slots(arch_);
  InputTransposer transposer(arch_, g.input_size, steps);
  std::vector<int64_t> x_finish(static_cast<size_t>(steps));

  state_buf_.reset(size_t(g.wh.padded_cols()));
  if (proj) hidden_buf_.reset(size_t(g.wr.padded_cols()));
  x_buf_.reset(size_t(g.wx.padded_cols()));
  gate_.begin_pass(int(k), bias_[k], proj ? &hidden_buf_ : &state_buf_);

  std::vector<int64_t> hdone_r(static_cast<size_t>(steps), kUnknownCycle);  // with projection
  auto hdone = [&](int t) -> int64_t {
    if (t < 0) return start;
    if (proj) return hdone_r[size_t(t)];
    return size_t(t) < gate_.udone.size() ? gate_.udone[size_t(t)] : kUnknownCycle;
  };
  auto udone = [&](int t) -> int64_t {
    return size_t(t) < gate_.udone.size() ? gate_.udone[size_t(t)] : kUnknownCycle;
  };
  int written = 0;
  const int ss = g.state;

  for (;;) {
    const int64_t now = now_cycle();
    // Output writes due now, in step order, before any phase can overwrite the state.
    while (written < steps && hdone(written) != kUnknownCycle && hdone(written) <= now) {
      std::vector<uint8_t> bytes;
      put_values(bytes,
                 std::vector<int64_t>(state_buf_.values.begin(), state_buf_.values.begin() + ss),
                 ab);
      last_write_done_ = dma_.write(out_base + uint64_t(time_index(written)) * out_row,
                                    bytes.data(), bytes.size(), "output");
      ++written;
    }
    if (written == steps) break;
    int64_t wake = std::numeric_limits<int64_t>::max();
    bool started = false;
    for (ArrayRun& a : arrays) {
      if (a.next == a.seq.size()) continue;
      const PhaseRef ph = a.seq[a.next];
      const int t = ph.step;
      const int64_t weights = on_chip_ ? kNoDependency : a.weights_ready[a.next];
      PhaseDependencies deps;
      if (ph.matrix == Matrix::kWx) {
        const int64_t slot_free = t >= slots ? x_finish[size_t(t - slots)] : start;
        deps = phase_dependencies(ph.matrix,
                                  transposer.written(size_t(t), xready[size_t(t)], slot_free),
                                  weights, hdone(t - slots));
      } else {
        deps = phase_dependencies(ph.matrix, kNoDependency, weights,
                                  ph.matrix == Matrix::kWh ? hdone(t - 1) : udone(t));
      }
      if (!deps.known()) continue;
      const int64_t s = deps.start(a.free);
      if (s > now) {
        wake = std::min(wake, s);
        continue;
      }
      count_stall(*a.act, deps, a.free, s);
      step_ = t;
      if (!on_chip_ && a.next + 1 < a.seq.size())
        a.weights_ready[a.next + 1] = fetches_weights(a.seq[a.next + 1], arch_.mac_array.x_block)
                                          ? request_weights(k, a.seq[a.next + 1].matrix)
                                          : kNoDependency;
      Mac2Gate msg;
      msg.pass = int(k);
      msg.step = t;
      msg.matrix = ph.matrix;
      if (ph.matrix == Matrix::kWx) {
        const std::vector<int64_t> v = get_values(x_in[size_t(t)].data(), size_t(g.input_size), ab);
        std::copy(v.begin(), v.end(), x_buf_.values.begin());
        a.free = x_finish[size_t(t)] = a.array->run_phase(banks_[k][0], x_buf_, msg);
        gate_.push(std::move(msg));
      } else if (ph.matrix == Matrix::kWh) {
        a.free = a.array->run_phase(banks_[k][1], state_buf_, msg);
        gate_.push(std::move(msg));
      } else {
        a.free = a.array->run_phase(banks_[k][2], hidden_buf_, msg);
        hdone_r[size_t(t)] = gate_.project(msg, state_buf_);
      }
      ++a.next;
      started = true;
    }
    if (started) continue;
    if (hdone(written) != kUnknownCycle) wake = std::min(wake, hdone(written));
    if (wake == std::numeric_limits<int64_t>::max())
      sc_core::wait(gate_.known);
    else
      sc_core::wait(cycles(wake - now), gate_.known);
  }
  const int64_t end = hdone(steps - 1);
  if (trace_)
    trace_->interval(track_, "pass " + std::to_string(k), start, end,
                     {{"layer", g.layer}, {"direction", g.direction}});
  return end;
}

}  // namespace sparrow
