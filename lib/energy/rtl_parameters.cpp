#include "energy/rtl_parameters.h"

#include <algorithm>
#include <stdexcept>

#include "compress/bank_use.h"
#include "compress/weight_layout.h"
#include "timing/schedule.h"

namespace sparrow {
namespace {

// The RTL's bank depth in on-chip words (Lanes slots of the value and the bank's index field)
// within `bits`: the largest power of two, or, where more fit, the largest multiple of 1024 words
// per sub-RAM (block RAMs hold 1024 words of 36 bits, 2048 of 18, ...), so that the banks use the
// block RAMs the capacity declares (docs/synthesis.md, "The budgets"); deeper, to the workload's
// `need` rounded up to the sub-RAMs, where that is more and still within `bits`, so that the RTL
// holds whatever the contract's bank of `bits` holds.
int64_t bank_words(int64_t bits, int lanes, int value_bits, int64_t idx, int64_t subs,
                   int64_t need) {
  const int64_t fit = std::max<int64_t>(0, bits) / (int64_t(lanes) * (value_bits + idx));
  int64_t words = std::max<int64_t>(2, subs);
  while (words * 2 <= fit) words *= 2;
  const int64_t step = 1024 * subs;
  words = std::max(words, fit / step * step);
  const int64_t needed = (need + subs - 1) / subs * subs;
  return needed > words && needed <= fit ? needed : words;
}

}  // namespace

// The pair's operands x1 + x2 2^K and w2 + w1 2^K, K = act + weight bits + 1, are each one bit
// wider than K plus its value.
bool dsp_pairs(const ArithConfig& a) {
  if (a.wx.bits == 1 || a.wh.bits == 1) return false;
  const int w = std::max(a.wx.bits, a.wh.bits), k = a.act.bits + w + 1;
  const int x_port = a.act.bits + k + 1, w_port = w + k + 1;
  return std::max(x_port, w_port) <= 25 && std::min(x_port, w_port) <= 18;
}

int64_t lane_multipliers(bool dsp_pairs, int64_t lanes) {
  return dsp_pairs && lanes >= 2 ? (lanes + 1) / 2 : lanes;
}

int64_t largest_bank_words(const CompressedModel& m, int pes, Matrix mat, bool streamed) {
  std::vector<int64_t> words(size_t(pes), 0);
  int64_t one_pass = 0;
  for (const CompressedDirection& d : m.dirs) {
    const EncodedMatrix& e = mat == Matrix::kWx ? d.wx : (mat == Matrix::kWh ? d.wh : d.wr);
    if (e.rows == 0) continue;  // no projection
    for (int p = 0; p < pes; ++p) {
      const int64_t pass = e.banks[size_t(p)].words;
      words[size_t(p)] += pass;
      one_pass = std::max(one_pass, pass);
    }
  }
  return streamed ? one_pass : *std::max_element(words.begin(), words.end());
}

int64_t rtl_param(const RtlParams& params, const std::string& name) {
  for (const auto& [n, v] : params)
    if (n == name) return v;
  throw std::logic_error("no RTL parameter " + name);
}

int64_t bank_subs(int64_t items) {
  int64_t subs = 1;
  while (subs < (items + 1) / 2) subs *= 2;
  return subs;
}

std::optional<RtlBankShortfall> rtl_bank_shortfall(const CompressedModel& m, const ArchConfig& arch,
                                                   const RtlParams& p) {
  const bool streamed = !bank_use(m.dirs, arch).on_chip();
  const std::pair<Matrix, const char*> banks[] = {
      {Matrix::kWx, "XWords"}, {Matrix::kWh, "HWords"}, {Matrix::kWr, "RWords"}};
  for (const auto& [mat, words] : banks) {
    const int64_t have = rtl_param(p, words);
    const int64_t need =
        largest_bank_words(m, arch.mac_array.of(mat == Matrix::kWx).pes, mat, streamed);
    if (need > have) return RtlBankShortfall{mat, need, have};
  }
  return std::nullopt;
}

RtlParams rtl_parameters(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                         const std::map<std::string, int64_t>& floors) {
  const ArithConfig& a = arch.arith;
  const MacArrayConfig& arrays = arch.mac_array;
  const int beat_bits = 8 * arch.memory.bytes_per_cycle;
  int x_idx = 0, h_idx = 0, r_idx = 0, max_in = 0;
  int64_t items = (beat_bits + 32 * bias_bytes(a) - 1) / (32 * bias_bytes(a));
  for (const CompressedDirection& d : m.dirs) {
    x_idx = std::max(x_idx, d.wx.index_bits);
    h_idx = std::max(h_idx, d.wh.index_bits);
    if (d.wr.rows > 0) r_idx = std::max(r_idx, d.wr.index_bits);
    for (const EncodedMatrix* e : {&d.wx, &d.wh, &d.wr}) {
      if (e->rows == 0) continue;  // no projection
      items = std::max<int64_t>(items, (beat_bits + e->word_bits() - 1) / e->word_bits());
    }
  }
  for (int l = 0; l < w.layers; ++l) max_in = std::max(max_in, w.layer_input_size(l));
  auto floor_of = [&](const std::string& name, int64_t v) {
    auto it = floors.find(name);
    return it == floors.end() ? v : std::max(v, it->second);
  };
  const bool proj = floor_of("Proj", w.proj_size > 0 ? 1 : 0) != 0;
  const bool streamed = !bank_use(m.dirs, arch).on_chip();
  const bool stream = floor_of("Stream", streamed ? 1 : 0) != 0;
  // Each bank's words hold the widest index of its matrix in the build (an IdxMax floor raises
  // all three, so that workloads of one capacity share the build); no W_r bank without Proj.
  auto idx_of = [&](const char* name, int64_t v) { return floor_of("IdxMax", floor_of(name, v)); };
  const int64_t xi = idx_of("XIdx", x_idx), hi = idx_of("HIdx", h_idx);
  const int64_t ri = proj ? std::max<int64_t>(1, idx_of("RIdx", r_idx)) : 0;
  items = floor_of("Items", items);
  const int64_t subs = bank_subs(items);
  // The banks are as deep as the capacity allows (bank_words). With projection the W_h
  // capacity is split: four fifths for the W_h bank (an LSTMP's W_h has 4 H x P weights, its W_r
  // P x H), the rest for the W_r bank.
  const int lanes = arrays.wh.lanes;
  const int64_t h_bits = int64_t{arch.weight_bank.wh_kbit_per_pe} * 1024;
  auto need = [&](Matrix mat) {
    return largest_bank_words(m, mat == Matrix::kWx ? arrays.wx.pes : arrays.wh.pes, mat, streamed);
  };
  const int64_t h_words =
      bank_words(proj ? h_bits * 4 / 5 : h_bits, lanes, a.wh.bits, hi, subs, need(Matrix::kWh));
  const int64_t r_words = proj ? bank_words(h_bits - h_words * lanes * (a.wh.bits + hi), lanes,
                                            a.wh.bits, ri, subs, need(Matrix::kWr))
                               : 0;
  const ActivationKind kind = a.activation;
  // Each array's size: the W_x array's (or the shared array's) and the W_h array's.
  RtlParams p = {{"XPes", arrays.wx.pes},
                 {"XLanes", arrays.wx.lanes},
                 {"HPes", arrays.wh.pes},
                 {"HLanes", arrays.wh.lanes}};
  const RtlParams rest = {
      {"Shared", arrays.shared ? 1 : 0},
      // The W_x side's step slots: x_block + 1 (blocked input phases, docs/timing.md).
      {"XSlots", x_slots(arch)},
      {"GateLanes", arch.gate_unit.lanes},
      {"GateDepth", arch.gate_unit.pipeline_depth},
      {"BeatBytes", arch.memory.bytes_per_cycle},
      {"BurstBytes", arch.memory.burst_bytes},
      {"SegBalanced", arch.compression.segment_balanced ? 1 : 0},
      {"VarRows", arch.compression.pattern == PruningPattern::kUnstructured ? 1 : 0},
      {"AccBits", a.acc_bits},
      {"Pwl", kind == ActivationKind::kPwl ? 1 : 0},
      {"SigRangeLog2", a.sigmoid.range_log2},
      {"SigEntriesLog2", a.sigmoid.entries_log2},
      {"TanhRangeLog2", a.tanh.range_log2},
      {"TanhEntriesLog2", a.tanh.entries_log2},
      {"XWords",
       floor_of("XWords", bank_words(int64_t{arch.weight_bank.wx_kbit_per_pe} * 1024,
                                     arrays.wx.lanes, a.wx.bits, xi, subs, need(Matrix::kWx)))},
      {"HWords", floor_of("HWords", h_words)},
      {"RWords", proj ? floor_of("RWords", r_words) : 0},
      {"MaxT", floor_of("MaxT", w.seq_len)},
      {"MaxIn", floor_of("MaxIn", max_in)},
      {"MaxH", floor_of("MaxH", w.hidden_size)},
      {"MaxPasses", floor_of("MaxPasses", int64_t(m.dirs.size()))},
      {"XIdx", xi},
      {"HIdx", hi},
      {"RIdx", ri},
      {"Items", items},
      // A build that streams weights where they do not fit the banks (docs/timing.md,
      // "Weights"); 1 as a floor gives a build that can run both.
      {"Stream", stream ? 1 : 0},
      // A build that runs projection (LSTMP: R phases, the U rings); 1 as a floor, both.
      {"Proj", proj ? 1 : 0},
      // The largest batch it runs (docs/timing.md, "Batches").
      {"MaxBatch", floor_of("MaxBatch", w.batch)},
      {"DspPairs", floor_of("DspPairs", dsp_pairs(a) ? 1 : 0)},
  };
  p.insert(p.end(), rest.begin(), rest.end());
  for (const auto& [name, f] :
       {std::pair{"Act", a.act}, std::pair{"Wx", a.wx}, std::pair{"Wh", a.wh},
        std::pair{"Scale", a.scale}, std::pair{"Bias", a.bias}, std::pair{"Pre", a.preact},
        std::pair{"Gate", a.gate}, std::pair{"Cell", a.cell}, std::pair{"Slope", a.pwl_slope}}) {
    p.emplace_back(std::string(name) + "Bits", f.bits);
    p.emplace_back(std::string(name) + "Frac", f.frac);
  }
  return p;
}

}  // namespace sparrow
