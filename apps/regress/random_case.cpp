#include "regress/random_case.h"

#include <algorithm>
#include <random>

#include "compress/bank_use.h"
#include "compress/compressor.h"
#include "energy/rtl_parameters.h"
#include "workload/lstm_weights.h"

namespace sparrow {

std::vector<std::string> RandomCase::run_args() const {
  std::vector<std::string> a = {"--arch", arch_file, "--workload", workload_file};
  for (const auto& [k, v] : arch) a.insert(a.end(), {"--set", "arch." + k + "=" + v});
  for (const auto& [k, v] : workload) a.insert(a.end(), {"--set", "workload." + k + "=" + v});
  return a;
}

std::string RandomCase::summary() const {
  std::string s = arch_file.substr(arch_file.find_last_of('/') + 1);
  for (const auto& kv : arch) s += " " + kv.first + "=" + kv.second;
  for (const auto& kv : workload) s += " " + kv.first + "=" + kv.second;
  return s;
}

namespace {

std::string num(double v) {
  return std::to_string(v);
}

// The RTL's stream: the hardware knobs of one of eight parameter sets (brds-balanced's, arrays of
// their own sizes, among them; brds with one-byte beats in 32-byte bursts, unsegmented; brds with
// banks of 1 kbit a PE in the contract, which streams all but the smallest cases' weights, built
// with Stream and banks of 64 words, which hold one pass of any case and the run of any case the
// contract keeps on chip), run-time knobs drawn within the pinned capacity (at most 8 steps, 64
// inputs, 32 hidden units, 4 passes, batches of 3), a quarter of the cases sessions of two or
// three sequences, a quarter batches of two or three sequences (one batch, or two).
// The sets of binarized, brds-pwl16 and the streamed brds are built with projection (Proj) and
// draw it in half their cases (bidirectional: a state of whole bus words, 32 cells projected to
// 16; at the reference capacity multiples of 16). Two sets block their input phases (x_block, a
// knob of the build: its X rings and W_x result buffers hold x_block + 1 steps): the streamed
// brds's by 3 (a W_x fetch per three X phases), brds-balanced's by 2 (three slots). At the
// reference capacity (CaseScope::kRtlReference) the same sets draw within sentiment-h128's and
// ocr-bilstm's sizes (input and hidden 1..128, 1..64 steps and a quarter of the cases 65..400), the
// streamed brds with banks of 8 kbit a PE (its larger runs stream; built with banks of 256 words,
// which hold such a pass), and a case whose weights the contract would not keep on chip (or,
// streamed, one of whose passes the banks would not hold) has its input and hidden sizes halved
// until they fit.
RandomCase draw_rtl_case(RandomCase c, std::mt19937_64& rng, const std::string& source_dir,
                         bool reference) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto one_of = [&](std::initializer_list<std::string> v) {
    return *(v.begin() + pick(0, int(v.size()) - 1));
  };
  // Configs that share a parameter set come in one group.
  const std::vector<std::vector<std::string>> sets = {
      {"brds", "brds-s90", "brds-wh-sparse", "baseline-single-ratio"},
      {"binarized"},
      {"brds-pwl16"},
      {"brds-balanced"},
      {"finnl-w4a4"},
      {"brds-b1-unsegmented"},
      {"brds-streamed"},
      {"baseline-unstructured"}};
  const auto& group = sets[size_t(pick(0, int(sets.size()) - 1))];
  std::string name = group[size_t(pick(0, int(group.size()) - 1))];
  if (name == "brds-b1-unsegmented") {
    name = "brds";
    c.arch.emplace_back("memory.bytes_per_cycle", "1");
    c.arch.emplace_back("compression.segment_balanced", "false");
    c.arch.emplace_back("memory.burst_bytes", "32");  // most transfers several bursts
  }
  const bool streamed = name == "brds-streamed";
  const bool proj_build = streamed || name == "binarized" || name == "brds-pwl16";
  if (streamed) {
    name = "brds";
    const std::string kbit = reference ? "8" : "1";
    c.arch.emplace_back("weight_bank.wx_kbit_per_pe", kbit);
    c.arch.emplace_back("weight_bank.wh_kbit_per_pe", kbit);
    c.arch.emplace_back("mac_array.x_block", "3");
  }
  if (name == "brds-balanced") c.arch.emplace_back("mac_array.x_block", "2");
  c.arch_file = source_dir + "/configs/arch/" + name + ".yaml";
  const int lat = 1 + kAxiResponseStages;  // the RTL's shortest
  c.arch.emplace_back("memory.latency_cycles", one_of({std::to_string(lat), std::to_string(lat + 1),
                                                       std::to_string(pick(lat + 2, 150))}));
  auto sparsity = [&] { return one_of({"0", "0.99", num(pick(0, 95) / 100.0)}); };
  if (name == "baseline-single-ratio" || name == "baseline-unstructured") {
    c.arch.emplace_back("compression.sparsity", one_of({"0", "0.5", num(pick(0, 99) / 100.0)}));
  } else if (name != "binarized") {
    c.arch.emplace_back("compression.sx", sparsity());
    c.arch.emplace_back("compression.sh", sparsity());
  }
  c.workload_file = source_dir + "/configs/workloads/sentiment-h128.yaml";
  const int max_in = reference ? 128 : 64, max_h = reference ? 128 : 32;
  int input = pick(1, max_in);
  // Bidirectional: a state of whole bus words (multiples of 16 units: 16 bytes at 8 bits, 32 at
  // 16), as the RTL's AXI4 writes of the reverse direction need.
  const bool bidirectional = pick(1, 10) <= 3;
  int hidden = bidirectional ? 16 * pick(1, max_h / 16) : pick(1, max_h);
  int proj = 0;
  if (proj_build && hidden >= 2 && pick(1, 2) == 1 && (!bidirectional || hidden >= 32))
    proj = bidirectional ? (reference ? 16 * pick(1, hidden / 16 - 1) : 16) : pick(1, hidden - 1);
  const int layers = pick(1, 3) == 3 ? 2 : 1;
  const int steps = !reference ? pick(1, 8) : pick(1, 4) == 1 ? pick(65, 400) : pick(1, 64);
  const std::string weights = "{source: random, seed: " + std::to_string(pick(0, 1000000)) +
                              ", init_range: " + one_of({"0.1", "0.3", "0.5", "1.0", "3.0"}) + "}";
  const std::string inputs = "{source: random, seed: " + std::to_string(pick(0, 1000000)) +
                             ", amplitude: " + one_of({"0.25", "1.0", "2.0", "8.0"}) + "}";
  int sequences = pick(1, 4) == 1 ? pick(2, 3) : 1;  // a session
  // Batches of 2 or 3 sequences: one batch, or two.
  int batch = 1;
  if (pick(1, 4) == 1) {
    batch = pick(2, 3);
    sequences = batch * (sequences > 1 ? 2 : 1);
  }
  auto emit = [&] {
    Overrides& w = c.workload;
    w.clear();
    w.emplace_back("name", "rtl-random-" + std::to_string(c.seed) + "-" + std::to_string(c.index));
    w.emplace_back("input_size", std::to_string(input));
    w.emplace_back("hidden_size", std::to_string(hidden));
    if (proj > 0) w.emplace_back("proj_size", std::to_string(proj));
    w.emplace_back("layers", std::to_string(layers));
    w.emplace_back("bidirectional", bidirectional ? "true" : "false");
    w.emplace_back("seq_len", std::to_string(steps));
    w.emplace_back("weights", weights);
    w.emplace_back("inputs", inputs);
    if (batch > 1) w.emplace_back("batch", std::to_string(batch));
    if (sequences > 1) w.emplace_back("sequences", std::to_string(sequences));
  };
  emit();
  std::vector<std::pair<std::string, int64_t>> floors = {{"MaxT", reference ? 400 : 8},
                                                         {"MaxIn", max_in},
                                                         {"MaxH", max_h},
                                                         {"MaxPasses", 4},
                                                         {"MaxBatch", 3},
                                                         {"IdxMax", 6},
                                                         {"Items", 4}};
  // The streamed build's banks hold one pass of any case: 64 words at the small capacity, 256
  // (8 kbit of the contract's bits, padded to whole RAM words of the pinned index fields) at the
  // reference one.
  if (streamed) {
    for (const char* words : {"XWords", "HWords", "RWords"})
      floors.emplace_back(words, reference ? 256 : 64);
    floors.emplace_back("Stream", 1);
  }
  if (proj_build) floors.emplace_back("Proj", 1);
  c.rtl_params.clear();
  for (const auto& [name, value] : floors)
    c.rtl_params.push_back(name + "=" + std::to_string(value));
  // The small capacity always fits the configs' banks and the RTL's; the reference capacity may
  // not: the contract's banks (on chip, or a pass when streamed), and the RTL's banks, whose words
  // have the pinned index fields.
  while (reference && (input > 1 || hidden > (bidirectional ? 16 : 1))) {
    const ArchConfig a = c.load_arch();
    const WorkloadConfig w = c.load_workload();
    const CompressedModel m = compress_model(make_lstm_weights(w), a);
    const BankUse u = bank_use(m.dirs, a);
    if ((streamed ? u.holds_a_pass() : u.on_chip()) &&
        !rtl_bank_shortfall(m, a, rtl_parameters(m, a, w, {floors.begin(), floors.end()})))
      break;
    input = std::max(1, input / 2);
    hidden = bidirectional ? std::max(16, hidden / 32 * 16) : std::max(1, hidden / 2);
    if (proj >= hidden) proj = bidirectional ? (hidden >= 32 ? 16 : 0) : hidden - 1;
    emit();
  }
  return c;
}

}  // namespace

RandomCase random_case(const std::string& source_dir, uint64_t seed, int64_t index,
                       CaseScope scope) {
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(index), uint32_t(index >> 32)};
  std::mt19937_64 rng(seq);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  RandomCase c;
  c.seed = seed;
  c.index = index;
  if (scope != CaseScope::kAll)
    return draw_rtl_case(c, rng, source_dir, scope == CaseScope::kRtlReference);
  const char* archs[] = {"brds",
                         "brds-pwl16",
                         "finnl-w4a4",
                         "binarized",
                         "baseline-single-ratio",
                         "baseline-unstructured"};
  const std::string name = archs[pick(0, 5)];
  c.arch_file = source_dir + "/configs/arch/" + name + ".yaml";
  Overrides& a = c.arch;
  a.emplace_back("mac_array.pes", std::to_string(pick(1, 24)));
  a.emplace_back("mac_array.lanes", std::to_string(1 << pick(0, 4)));
  const bool shared = pick(0, 1);
  a.emplace_back("mac_array.shared", shared ? "true" : "false");
  // X phases blocked per W_x fetch (separate arrays only).
  const std::string x_block = !shared && pick(0, 3) == 0 ? std::to_string(pick(2, 5)) : "1";
  a.emplace_back("mac_array.x_block", x_block);
  if (pick(0, 3) == 0) {  // separate arrays, each of its own size
    auto size = [&] {
      return "{pes: " + std::to_string(pick(1, 24)) +
             ", lanes: " + std::to_string(1 << pick(0, 4)) + "}";
    };
    const std::string wx = size();
    a.emplace_back("mac_array", "{wx: " + wx + ", wh: " + size() + ", x_block: " + x_block + "}");
  }
  a.emplace_back("gate_unit.lanes", std::to_string(pick(1, 8)));
  a.emplace_back("gate_unit.pipeline_depth", std::to_string(pick(1, 12)));
  const int bpc = 1 << pick(0, 5);
  a.emplace_back("memory.latency_cycles", std::to_string(pick(0, 200)));
  a.emplace_back("memory.bytes_per_cycle", std::to_string(bpc));
  a.emplace_back("memory.burst_bytes", std::to_string(bpc * pick(1, 8)));
  if (pick(0, 2) == 0) a.emplace_back("weight_bank.wx_kbit_per_pe", "0");  // streamed weights
  if (name == "brds" || name == "brds-pwl16") {
    a.emplace_back("compression.sx", num(pick(0, 95) / 100.0));
    a.emplace_back("compression.sh", num(pick(0, 95) / 100.0));
    const std::string wb = std::to_string(pick(2, 12));
    a.emplace_back("arith.wh", "{bits: " + wb + ", frac: " + wb + "}");
  }
  c.workload_file = source_dir + "/configs/workloads/sentiment-h128.yaml";
  Overrides& w = c.workload;
  const int hidden = pick(1, 24);
  w.emplace_back("name", "random-" + std::to_string(seed) + "-" + std::to_string(index));
  w.emplace_back("input_size", std::to_string(pick(1, 40)));
  w.emplace_back("hidden_size", std::to_string(hidden));
  w.emplace_back("layers", std::to_string(pick(1, 2)));
  w.emplace_back("bidirectional", pick(0, 1) ? "true" : "false");
  w.emplace_back("seq_len", std::to_string(pick(1, 9)));
  int sequences = pick(0, 3) == 0 ? pick(2, 3) : 1;  // a session
  if (pick(0, 2) == 0 && hidden > 1)
    w.emplace_back("proj_size", std::to_string(pick(1, hidden - 1)));
  const uint64_t data_seed = (seed * 1000003u + uint64_t(index)) & (INT64_MAX >> 1);
  w.emplace_back("weights",
                 "{source: random, seed: " + std::to_string(data_seed) + ", init_range: 0.5}");
  w.emplace_back("inputs", "{source: random, seed: " + std::to_string(data_seed + 1) + "}");
  // Batches of 2 or 3 sequences: one batch, or two.
  const int batch = pick(0, 3) == 0 ? pick(2, 3) : 1;
  if (batch > 1) {
    sequences = batch * (sequences > 1 ? 2 : 1);
    w.emplace_back("batch", std::to_string(batch));
  }
  if (sequences > 1) w.emplace_back("sequences", std::to_string(sequences));
  return c;
}

}  // namespace sparrow
