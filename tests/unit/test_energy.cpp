#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "common/error.h"
#include "compress/bank_use.h"
#include "energy/energy_model.h"
#include "energy/resources.h"
#include "energy/synthesis.h"
#include "report/run_report.h"
#include "test_util.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

EnergyTable horowitz() {
  return load_energy_table(test::source_path("configs/energy/asic-45nm-horowitz.yaml"));
}

TEST(EnergyTable, ShippedTableCarriesItsSources) {
  const EnergyTable t = horowitz();
  EXPECT_EQ(t.technology, "45 nm CMOS, 0.9 V");
  EXPECT_DOUBLE_EQ(t.mult_8x8.pj, 0.2);
  EXPECT_DOUBLE_EQ(t.dram.pj, 1950);
  EXPECT_NE(t.mult_32x32.source.find("Horowitz ISSCC 2014"), std::string::npos);
}

TEST(EnergyTable, ScalingRulesPassThroughTheTablePoints) {
  const EnergyTable t = horowitz();
  EXPECT_NEAR(t.mult_pj(8, 8), 0.2, 1e-12);
  EXPECT_NEAR(t.mult_pj(32, 32), 3.1, 1e-12);
  // Power law in the operand-width product between the two points: 16x16 is 4x the 8x8 area.
  EXPECT_NEAR(t.mult_pj(16, 16), 0.2 * std::pow(4.0, std::log(15.5) / std::log(16.0)), 1e-12);
  EXPECT_NEAR(t.mult_pj(16, 16), 0.2 * std::sqrt(15.5), 1e-12);  // = 0.7874
  EXPECT_NEAR(t.add_pj(8), 0.03, 1e-12);
  EXPECT_NEAR(t.add_pj(32), 0.1, 1e-12);
  EXPECT_NEAR(t.add_pj(20), 0.065, 1e-12);
  EXPECT_NEAR(t.sram_bit_pj(8.0 * 8192), 10.0 / 64, 1e-12);
  EXPECT_NEAR(t.sram_bit_pj(8.0 * 32768), 20.0 / 64, 1e-12);
  EXPECT_NEAR(t.sram_bit_pj(8.0 * 1048576), 100.0 / 64, 1e-12);
  // Between 32 KB and 1 MB the 64-bit read grows as size^(log 5 / log 32).
  EXPECT_NEAR(t.sram_bit_pj(8.0 * 131072),
              20.0 * std::pow(4.0, std::log(5.0) / std::log(32.0)) / 64, 1e-12);
  // Below 8 KB the 8-to-32 KB slope (sqrt) continues: 2 KB is half of 8 KB's energy.
  EXPECT_NEAR(t.sram_bit_pj(8.0 * 2048), 5.0 / 64, 1e-12);
}

// The error a table gives as mine.yaml ("no error" if none).
std::string error_of(const YAML::Node& n) {
  try {
    parse_energy_table(n, "mine.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(EnergyTable, Errors) {
  YAML::Node y = YAML::LoadFile(test::source_path("configs/energy/asic-45nm-horowitz.yaml"));
  EXPECT_NE(error_of(test::with(y, "entries.add_8.source", "~"))
                .find("mine.yaml: entries.add_8.source: got nothing"),
            std::string::npos);
  EXPECT_NE(error_of(test::with(y, "entries.dram.pj", "-1")).find("entries.dram.pj: got '-1'"),
            std::string::npos);
  EXPECT_NE(error_of(test::with(y, "entries.sram_8kib.pj", "0")).find("entries.sram_8kib.pj"),
            std::string::npos);
  EXPECT_NE(error_of(test::with(y, "entries.fp16_mult", "{pj: 1, source: x}")).find("unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(test::with(y, "static_power_mw", "5")).find("static_power_mw: got '5'"),
            std::string::npos);
}

// The report's total is the sum of count x energy-per-count over its terms, and its counts are
// the run's counters.
TEST(EnergyReport, RecomputesByHandFromCountersAndTable) {
  for (const char* name : {"brds", "brds-pwl16", "binarized"}) {
    const ArchConfig a = test::arch(name);
    const WorkloadConfig w = test::small_workload(40, 24, 2, true, 0, 6);
    const CompressedModel m = compress_model(random_lstm_weights(w), a);
    const Activity act = evaluate_timing(m, a, w);
    const EnergyTable t = horowitz();
    const EnergyReport r = energy_report(t, act, a, w, m);
    double total = 0;
    for (const UnitEnergy& u : r.units) {
      double unit = 0;
      for (const EnergyTerm& term : u.terms) unit += term.count * term.pj_each;
      EXPECT_NEAR(unit, u.energy_pj, 1e-6 * (1 + unit)) << u.unit;
      total += unit;
    }
    EXPECT_NEAR(total * 1e-6, r.per_inference_uj, 1e-9 * (1 + total));
    const double seconds = double(act.cycles) / (a.clock_mhz * 1e6);
    EXPECT_NEAR(r.power_mw, total * 1e-9 / seconds, 1e-9 * total);
    // Counts are the counters: MAC slots, DRAM bytes, table lookups.
    const EnergyTerm& mx = r.units[0].terms[0];
    const EnergyTerm& mh = r.units[1].terms[0];
    int64_t slots = 0;
    for (const auto& arr : act.arrays) slots += arr.mac_slots;
    EXPECT_DOUBLE_EQ(mx.count + mh.count, double(slots));
    const EnergyTerm& dram = r.units[5].terms[0];
    EXPECT_EQ(r.units[5].unit, "dram");
    EXPECT_DOUBLE_EQ(dram.count, double(act.dma.read_bytes + act.dma.write_bytes));
    EXPECT_DOUBLE_EQ(dram.pj_each, 1950.0 / 8);
    // A MAC slot of an 8-bit x 8-bit multiply with a 32-bit accumulator is 0.2 + 0.1 pJ.
    if (std::string(name) == "brds") {
      EXPECT_NEAR(mx.pj_each, 0.3, 1e-12);
    }
    // Binarized weights have no multiply: only the 20-bit accumulator add.
    if (std::string(name) == "binarized") {
      EXPECT_NEAR(mx.pj_each, 0.065, 1e-12);
    }
  }
}

// A batch of B keeps B hidden vectors and B cell-state vectors: their bits cost as in memories
// B times as large, and a batch of 4 reads the streamed weights a quarter as often.
TEST(EnergyReport, BatchesKeepEachSequencesState) {
  ArchConfig a = test::arch("brds");
  a.weight_bank.wh_kbit_per_pe = 0;
  WorkloadConfig w = test::small_workload(40, 24, 1, false, 0, 6);
  w.sequences = 4;
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  const EnergyTable t = horowitz();
  auto term = [](const EnergyReport& r, const std::string& unit, const std::string& action) {
    for (const UnitEnergy& u : r.units)
      for (const EnergyTerm& e : u.terms)
        if (u.unit == unit && e.action == action) return e;
    ADD_FAILURE() << unit << ": " << action;
    return EnergyTerm{};
  };
  const EnergyReport one = energy_report(t, evaluate_timing(m, a, w), a, w, m);
  w.batch = 4;
  const EnergyReport four = energy_report(t, evaluate_timing(m, a, w), a, w, m);
  const EnergyTerm c1 = term(one, "gate_unit", "cell-state bit access");
  const EnergyTerm c4 = term(four, "gate_unit", "cell-state bit access");
  EXPECT_EQ(c1.count, c4.count);
  EXPECT_DOUBLE_EQ(c4.pj_each, t.sram_bit_pj(4.0 * 24 * a.arith.cell.bits));
  EXPECT_GT(c4.pj_each, c1.pj_each);
  EXPECT_GT(term(four, "vector_buffer", "h buffer bit read").pj_each,
            term(one, "vector_buffer", "h buffer bit read").pj_each);
  EXPECT_LT(4 * term(four, "weight_bank", "bank bit written (weights from DRAM)").count,
            1.01 * term(one, "weight_bank", "bank bit written (weights from DRAM)").count);
}

// A build for batches deepens the memories that hold a sequence's state (block RAM) and keeps
// the W_h results of B + 1 steps; one sequence a batch adds nothing. brds at sentiment-h128: 16
// W_h PEs, each 32 rows of results a step, one read a cycle. In batches of 2: 22.5 BRAM36 of
// state, and 96 rows of results in LUT RAM: two RAM64M columns against one, 4 LUT sites x
// ceil(32 / 3) bits each, 704 sites more. In batches of 4: 68.5 BRAM36 of state, and 160 rows of
// results, deeper than LUT RAM keeps them: a RAMB18E1 (512 x 36) a PE, 8 BRAM36, no LUT RAM.
TEST(Resources, BatchesDeepenTheStateMemories) {
  const ArchConfig a = test::arch("brds");
  WorkloadConfig w =
      load_workload_config(test::source_path("configs/workloads/sentiment-h128.yaml"));
  const CompressedModel m = compress_geometry(w, a);
  const ResourceReport one = estimate_resources(a, w, m);
  for (const UnitResources& u : one.units) EXPECT_NE(u.unit, "batch_state");
  for (const auto& [batch, bram36, lut] : {std::tuple{2, 22.5, 704}, std::tuple{4, 76.5, 0}}) {
    w.sequences = w.batch = batch;
    const ResourceReport r = estimate_resources(a, w, m);
    ASSERT_EQ(r.units.size(), one.units.size() + 1);
    const UnitResources& extra = r.units.back();
    EXPECT_EQ(extra.unit, "batch_state");
    EXPECT_DOUBLE_EQ(extra.figures.bram36, bram36) << batch;
    EXPECT_EQ(extra.figures.lut, lut) << batch;
    EXPECT_EQ(extra.figures.ff + extra.figures.dsp, 0);
    EXPECT_DOUBLE_EQ(r.total.bram36, one.total.bram36 + bram36);
    EXPECT_EQ(r.total.lut, one.total.lut + lut);
  }
}

// The gate unit's row results are block RAM once deeper than 128 rows: at ptb-medium on
// brds-s90 (16 PEs an array, 4 x 650 rows: 163 a PE, 256 rounded) the W_x results of two steps
// (512 rows) and the W_h results of one (256 rows) take a RAMB18E1 (512 x 36) a PE each, 16
// BRAM36, which arrays of 64 PEs (64 rows a PE) keep in LUT RAM; at sentiment-h128 (32 rows a
// PE) none. Only the row results of the gate unit's memories depend on the PEs.
TEST(Resources, DeepRowResultsTakeBlockRam) {
  const ArchConfig a = test::arch("brds-s90");
  auto gate_bram = [&](const char* workload) {
    const WorkloadConfig w =
        load_workload_config(test::source_path(std::string("configs/workloads/") + workload));
    RtlParams p = rtl_parameters(compress_geometry(w, a), a, w);
    const double with = estimate_resources(p).units[2].figures.bram36;
    for (auto& [name, value] : p)
      if (name == "XPes" || name == "HPes") value = 64;
    return with - estimate_resources(p).units[2].figures.bram36;
  };
  EXPECT_DOUBLE_EQ(gate_bram("ptb-medium.yaml"), 16);
  EXPECT_DOUBLE_EQ(gate_bram("sentiment-h128.yaml"), 0);
}

// Block RAMs as synth_xilinx maps them (the figures of tests/rtl/synth_memories.sh and the
// synthesis records): the cheapest shape, the 72- and 36-bit ones only for simple dual port.
TEST(Resources, BlockRamsAsYosysMapsThem) {
  EXPECT_EQ(block_rams(4096, 96, false), 11);   // brds's W_x bank: 11 RAMB36 of 4K x 9
  EXPECT_EQ(block_rams(4096, 80, false), 9);    // brds's W_h bank
  EXPECT_EQ(block_rams(2048, 64, false), 4);    // finnl-w4a4's banks: 4 RAMB36 of 2K x 18
  EXPECT_EQ(block_rams(1600, 128, true), 7.5);  // an input store: 15 RAMB18 of 2K x 9
  EXPECT_EQ(block_rams(4096, 8, true), 1);      // an output-store bank
  EXPECT_EQ(block_rams(260, 128, true), 2);     // 512 x 72 twice
  EXPECT_EQ(block_rams(64, 64, true), 0);       // 64 words and fewer: LUT RAM
}

// The estimate from the architecture and workload is the estimate of their RTL parameter set,
// and its rules give brds at a 128 x 128 workload: 256 lane multipliers and 3 per gate lane;
// banks of 512 kbit: 5461 words of 96 bits (W_x) down to 5120, a multiple of 1024, and 6553 of
// 80 bits (W_h) down to 6144.
TEST(Resources, CountTheRtlOfTheDesignPoint) {
  const WorkloadConfig w = test::small_workload(128, 128);
  const ArchConfig a = test::arch("brds");
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  const ResourceReport r = estimate_resources(a, w, m);
  EXPECT_EQ(to_json(r), to_json(estimate_resources(rtl_parameters(m, a, w))));
  EXPECT_EQ(r.source, "analytic");
  EXPECT_EQ(r.units[0].unit, "mac_array");
  EXPECT_EQ(r.units[0].figures.dsp, 2 * 16 * 8);
  EXPECT_EQ(r.units[2].figures.dsp, 4 * 3);
  EXPECT_FALSE(r.total.lutram_luts);
  ASSERT_EQ(m.dirs[0].wx.index_bits, 4);  // 16 columns per lane segment
  const RtlParams p = rtl_parameters(m, a, w);
  EXPECT_EQ(rtl_param(p, "XWords"), 5120);
  EXPECT_EQ(rtl_param(p, "HWords"), 6144);
  EXPECT_EQ(r.units[0].figures.bram36,
            16 * (block_rams(5120, 96, false) + block_rams(6144, 80, false)));
  EXPECT_EQ(r.total.dsp, 268);
  double bram36 = 0;
  for (const UnitResources& u : r.units) bram36 += u.figures.bram36;
  EXPECT_EQ(r.total.bram36, bram36);
  // Without projection there is no W_r bank.
  EXPECT_EQ(rtl_param(p, "RWords"), 0);
  EXPECT_EQ(rtl_param(p, "RIdx"), 0);
  // Binarized weights need no lane multiplier: a DSP per PE for the row's scale.
  const ArchConfig b = test::arch("binarized");
  EXPECT_EQ(
      estimate_resources(b, w, compress_model(random_lstm_weights(w), b)).units[0].figures.dsp,
      2 * 16);
}

// Two lanes share a DSP48E1 (a dot pair) where x1 + x2 2^K and w2 + w1 2^K fit its 25 x 18-bit
// ports, K = act + weight bits + 1: W4A4 (14 and 14 bits) and W4A8 (22 and 18) do, W5A8 (23 and
// 20) and brds's W8A8 do not, nor binarized weights. With pairs an array's PE takes ceil(L / 2)
// DSPs (finnl-w4a4: 8 PEs of 8 lanes an array, 4 each); an array of one lane multiplies its 4 x 4
// bits in LUTs.
TEST(Resources, DotPairsShareADsp) {
  const WorkloadConfig w = test::small_workload(32, 64);
  auto pairs = [&](const ArchConfig& a) {
    return rtl_param(rtl_parameters(compress_geometry(w, a), a, w), "DspPairs");
  };
  ArchConfig a = test::arch("finnl-w4a4");
  EXPECT_EQ(pairs(a), 1);
  EXPECT_EQ(estimate_resources(a, w, compress_geometry(w, a)).units[0].figures.dsp, 2 * 8 * 4);
  a.mac_array.wx.lanes = 1;
  EXPECT_EQ(estimate_resources(a, w, compress_geometry(w, a)).units[0].figures.dsp, 8 * 4);
  a.arith.act.bits = 8;
  EXPECT_EQ(pairs(a), 1);
  a.arith.wx.bits = 5;
  EXPECT_EQ(pairs(a), 0);
  EXPECT_EQ(pairs(test::arch("brds")), 0);
  EXPECT_EQ(pairs(test::arch("binarized")), 0);
}

// A bank is deeper than the rule's where the workload needs more words and the capacity holds
// them, so that the RTL holds what the contract's bank holds: brds with 18 kbit W_x banks at three
// layers of 128 keeps 3 x 64 words of 96 bits a PE on chip, all 18,432 bits, more than the 128
// words of the power-of-two rule; the capacity parameter stays the rule's when the need is more
// than the capacity (streamed, one pass of 64 words needs no more than the rule's 64).
TEST(Resources, BanksHoldWhatTheCapacityHolds) {
  const WorkloadConfig w = test::small_workload(128, 128, 3);
  ArchConfig a = test::arch("brds");
  a.weight_bank.wx_kbit_per_pe = 18;
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  ASSERT_TRUE(bank_use(m.dirs, a).on_chip());
  ASSERT_EQ(largest_bank_words(m, 16, Matrix::kWx, false), 192);
  EXPECT_EQ(rtl_param(rtl_parameters(m, a, w), "XWords"), 192);
  a.weight_bank.wx_kbit_per_pe = 17;
  const CompressedModel s = compress_model(random_lstm_weights(w), a);
  ASSERT_FALSE(bank_use(s.dirs, a).on_chip());
  EXPECT_EQ(largest_bank_words(s, 16, Matrix::kWx, true), 64);
  EXPECT_EQ(rtl_param(rtl_parameters(s, a, w), "XWords"), 128);
}

// With projection each W_h PE has a W_r bank of its own index width (rtl/mac_pe.sv): brds at
// 128 inputs, 256 cells projected to 128 has 4-bit W_x and W_h indices (16 columns per lane
// segment) and 5-bit W_r ones (32). The W_h bank takes four fifths of the 512 kbit: 5242 words of
// 80 bits, down to 5120; the W_r bank the rest, 524,288 - 409,600 bits: 1303 words of 88, down to
// 1024. An IdxMax floor raises all three index fields.
TEST(Resources, ProjectionHasAWrBankOfItsOwnWidth) {
  const WorkloadConfig w = test::small_workload(128, 256, 1, false, 128);
  const ArchConfig a = test::arch("brds");
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  const RtlParams p = rtl_parameters(m, a, w);
  EXPECT_EQ(rtl_param(p, "Proj"), 1);
  EXPECT_EQ(rtl_param(p, "XIdx"), 4);
  EXPECT_EQ(rtl_param(p, "HIdx"), 4);
  EXPECT_EQ(rtl_param(p, "RIdx"), 5);
  EXPECT_EQ(rtl_param(p, "XWords"), 5120);
  EXPECT_EQ(rtl_param(p, "HWords"), 5120);
  EXPECT_EQ(rtl_param(p, "RWords"), 1024);
  const ResourceReport r = estimate_resources(rtl_parameters(m, a, w));
  EXPECT_EQ(r.units[0].figures.bram36,
            16 * (block_rams(5120, 96, false) + block_rams(5120, 80, false) +
                  block_rams(1024, 88, false)));
  const RtlParams f = rtl_parameters(m, a, w, {{"IdxMax", 6}, {"RWords", 2048}});
  EXPECT_EQ(rtl_param(f, "XIdx"), 6);
  EXPECT_EQ(rtl_param(f, "HIdx"), 6);
  EXPECT_EQ(rtl_param(f, "RIdx"), 6);
  EXPECT_EQ(rtl_param(f, "RWords"), 2048);
}

// Calls visit(file name, record, its RTL parameters) for each committed synthesis record whose
// synth_xilinx run is ok; returns how many.
int for_each_synthesis_record(
    const std::function<void(const std::string&, const nlohmann::json&, const RtlParams&)>& visit) {
  int records = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(test::source_path("configs/synthesis"))) {
    if (e.path().extension() != ".json") continue;
    std::ifstream f(e.path());
    const nlohmann::json rec = nlohmann::json::parse(f);
    if (rec["xilinx"].value("status", "") != "ok") continue;
    RtlParams params;
    for (const auto& [name, v] : rec["parameters"].items())
      params.emplace_back(name, v.get<int64_t>());
    visit(e.path().filename().string(), rec, params);
    ++records;
  }
  return records;
}

// The control units' estimate (CSR block, DMA, controller) against what synthesis gives them on
// every record: within 20 % in LUT and FF, the band the totals are held to. Their LUTs spread
// more than +-10 % between records of one RTL: the controller alone is 937 to 1,945 LUT, 1,054
// and 1,685 on finnl-w4a4 in two runs of the same RTL and parameters, and the three units' sum
// on brds went from 4,266 to 3,433 LUT in a run that changed none of them (docs/synthesis.md,
// the run-to-run spread).
TEST(Resources, ControlUnitsAsSynthesized) {
  const int records = for_each_synthesis_record(
      [](const std::string& file, const nlohmann::json& rec, const RtlParams& params) {
        const nlohmann::json& units = rec["xilinx"]["by_unit"];
        const ResourceReport est = estimate_resources(params);
        const UnitResources* control = nullptr;
        for (const UnitResources& u : est.units)
          if (u.unit == "control") control = &u;
        ASSERT_NE(control, nullptr);
        for (const auto& [key, value] :
             {std::pair{"lut", control->figures.lut}, std::pair{"ff", control->figures.ff}}) {
          const double synth = units["csr"][key].get<double>() + units["dma"][key].get<double>() +
                               units["controller"][key].get<double>();
          EXPECT_NEAR(double(value) / synth, 1.0, 0.20)
              << file << " " << key << ": synthesized " << synth;
        }
      });
  EXPECT_GE(records, 9);
}

// Arrays of their own sizes: each array's DSPs are those of an array of its size in a design of
// two equal arrays (half of that design's), and the parameters name both sizes.
TEST(Resources, EachArrayAtItsOwnSize) {
  const WorkloadConfig w = test::small_workload(128, 128);
  auto mac_unit = [&](const std::string& arrays) {
    const ArchConfig a = test::arch_with("mac_array", arrays);
    const CompressedModel m = compress_model(random_lstm_weights(w), a);
    return std::pair{estimate_resources(a, w, m).units[0].figures, rtl_parameters(m, a, w)};
  };
  const Resources x = mac_unit("{pes: 8, lanes: 4}").first;
  const Resources h = mac_unit("{pes: 16, lanes: 8}").first;
  const auto [both, p] = mac_unit("{wx: {pes: 8, lanes: 4}, wh: {pes: 16, lanes: 8}}");
  EXPECT_EQ(rtl_param(p, "XPes"), 8);
  EXPECT_EQ(rtl_param(p, "XLanes"), 4);
  EXPECT_EQ(rtl_param(p, "HPes"), 16);
  EXPECT_EQ(rtl_param(p, "HLanes"), 8);
  EXPECT_THROW(rtl_param(p, "Pes"), std::logic_error);
  EXPECT_EQ(both.dsp, x.dsp / 2 + h.dsp / 2);
  EXPECT_EQ(both.dsp, 8 * 4 + 16 * 8);
}

// The estimate holds within +-20 % of synth_xilinx's LUT, FF, DSP and BRAM36 for every committed
// synthesis record (docs/energy.md, "Resources").
TEST(Resources, WithinTwentyPercentOfEverySynthesisRecord) {
  const int records = for_each_synthesis_record(
      [](const std::string& file, const nlohmann::json& rec, const RtlParams& params) {
        const nlohmann::json& x = rec["xilinx"];
        const Resources est = estimate_resources(params).total;
        const std::pair<const char*, double> figures[] = {{"lut", double(est.lut)},
                                                          {"ff", double(est.ff)},
                                                          {"dsp", double(est.dsp)},
                                                          {"bram36", est.bram36}};
        for (const auto& [key, value] : figures) {
          const double synth = x[key].get<double>();
          EXPECT_NEAR(value / synth, 1.0, 0.2)
              << file << " " << key << ": estimate " << value << ", synth_xilinx " << synth;
        }
      });
  EXPECT_GE(records, 9);
}

// A resource table: each unit's fabric is its CLB equivalents every cycle, DSP operations are
// the MAC slots with multi-bit weights and the gate multiplies, memory bits go to block RAM in
// 36-bit accesses; the total is the sum of the terms.
TEST(EnergyReport, ResourceTableRecomputesByHandFromResourcesAndCounters) {
  const EnergyTable t =
      load_energy_table(test::source_path("configs/energy/fpga-by-resource.yaml"));
  ASSERT_EQ(t.kind, EnergyTableKind::kResources);
  EXPECT_DOUBLE_EQ(t.clb.pj, 5.9);
  EXPECT_NE(t.bram36.source.find("DS512"), std::string::npos);
  // The DSP figure is derived as its source says: an 18 x 25 multiply and a 48-bit add of
  // fpga-derived.yaml by the width rules.
  const EnergyTable derived =
      load_energy_table(test::source_path("configs/energy/fpga-derived.yaml"));
  EXPECT_NEAR(t.dsp.pj, derived.mult_pj(18, 25) + derived.add_pj(48), 0.05);
  const ArchConfig a = test::arch("brds");
  const WorkloadConfig w = test::small_workload(40, 24, 2, true, 0, 6);
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  const Activity act = evaluate_timing(m, a, w);
  ResourceReport res;
  res.source = "synthesis";
  res.units = {{"mac_array", {10, 0, 800, 400, 80}, ""}, {"csr", {0, 0, 8, 64, std::nullopt}, ""}};
  const EnergyReport r = energy_report(t, act, a, w, m, &res);
  EXPECT_EQ(r.table_kind, "resources");
  EXPECT_EQ(r.resources_source, "synthesis");
  double total = 0;
  std::map<std::string, UnitEnergy> units;
  for (const UnitEnergy& u : r.units) {
    double unit = 0;
    for (const EnergyTerm& term : u.terms) unit += term.count * term.pj_each;
    EXPECT_NEAR(unit, u.energy_pj, 1e-6 * (1 + unit)) << u.unit;
    total += unit;
    units[u.unit] = u;
  }
  EXPECT_NEAR(total * 1e-6, r.per_inference_uj, 1e-9 * (1 + total));
  // mac_array: (800 + 80) / 8 = 110 CLBs every cycle, then one DSP operation per MAC slot.
  const EnergyTerm& fabric = units["mac_array"].terms[0];
  EXPECT_DOUBLE_EQ(fabric.count, 110.0 * double(act.cycles));
  EXPECT_DOUBLE_EQ(fabric.pj_each, 5.9);
  int64_t slots = 0;
  for (const auto& arr : act.arrays) slots += arr.mac_slots;
  const EnergyTerm& dsp = units["mac_array"].terms[1];
  EXPECT_DOUBLE_EQ(dsp.count, double(slots));
  EXPECT_DOUBLE_EQ(dsp.pj_each, 21.3);
  // csr: its 64 flip-flops are 8 CLBs.
  EXPECT_DOUBLE_EQ(units["csr"].terms[0].count, 8.0 * double(act.cycles));
  // Gate unit: three multiplies per unit and step (LUT activations).
  EXPECT_DOUBLE_EQ(units["gate_unit"].terms[0].count, 3.0 * double(act.gate.units));
  EXPECT_DOUBLE_EQ(units["weight_bank"].terms[0].pj_each, 70);
  // Without resources, the analytic estimate is used.
  const EnergyReport e = energy_report(t, act, a, w, m);
  EXPECT_EQ(e.resources_source, "analytic");
  EXPECT_GT(e.per_inference_uj, 0);
}

// With dot pairs a DSP multiply serves two MAC slots: finnl-w4a4's 8 lanes issue 4 a word, and an
// array of 3 lanes 2 (a lone lane's own).
TEST(EnergyReport, DotPairsCountOneDspOperationPerTwoSlots) {
  const EnergyTable t =
      load_energy_table(test::source_path("configs/energy/fpga-by-resource.yaml"));
  const WorkloadConfig w = test::small_workload(40, 24, 2, true, 0, 6);
  for (const int lanes : {8, 3}) {
    ArchConfig a = test::arch("finnl-w4a4");
    a.mac_array.wx.lanes = a.mac_array.wh.lanes = lanes;
    const CompressedModel m = compress_model(random_lstm_weights(w), a);
    const Activity act = evaluate_timing(m, a, w);
    int64_t slots = 0;
    for (const auto& arr : act.arrays) slots += arr.mac_slots;
    const EnergyReport r = energy_report(t, act, a, w, m);
    const UnitEnergy& mac = r.units[0];
    ASSERT_EQ(mac.unit, "mac_array");
    EXPECT_DOUBLE_EQ(mac.terms[1].count, double(slots) * ((lanes + 1) / 2) / lanes) << lanes;
  }
}

TEST(EnergyTable, ResourceTableErrors) {
  YAML::Node y = YAML::LoadFile(test::source_path("configs/energy/fpga-by-resource.yaml"));
  EXPECT_NE(error_of(test::with(y, "kind", "watts")).find("mine.yaml: kind: got 'watts'"),
            std::string::npos);
  // A resource table has no per-action entries, and needs its own.
  EXPECT_NE(error_of(test::with(y, "entries.mult_8x8", "{pj: 1, source: x}")).find("unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(test::with(y, "entries.dsp.pj", "-3")).find("entries.dsp.pj: got '-3'"),
            std::string::npos);
}

// A record of scripts/synth_rtl.py in a folder.
void write_record(const std::filesystem::path& dir, const std::string& name,
                  const nlohmann::json& j) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / (name + ".json")) << j.dump(2);
}

TEST(Synthesis, ResourcesOfTheRecordWithTheSameParameters) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "sparrow_synthesis_test";
  std::filesystem::remove_all(dir);
  const nlohmann::json xilinx = {
      {"status", "ok"},
      {"lut", 1000},
      {"lutram_luts", 40},
      {"ff", 300},
      {"dsp", 12},
      {"bram36", 1.5},
      {"cells", 2000},
      {"by_unit",
       {{"mac_array",
         {{"lut", 900}, {"lutram_luts", 40}, {"ff", 200}, {"dsp", 12}, {"bram36", 1.5}}}}}};
  write_record(dir, "a",
               {{"arch", "a"}, {"parameters", {{"Pes", 4}, {"Lanes", 2}}}, {"xilinx", xilinx}});
  write_record(dir, "b",
               {{"arch", "b"},
                {"parameters", {{"Pes", 8}, {"Lanes", 2}}},
                {"xilinx", {{"status", "timeout"}}}});
  const std::optional<ResourceReport> r =
      synthesized_resources(dir.string(), {{"Pes", 4}, {"Lanes", 2}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->source, "synthesis");
  EXPECT_EQ(r->total.lut, 1000);
  EXPECT_EQ(r->total.bram36, 1.5);
  EXPECT_EQ(r->units[0].unit, "mac_array");
  EXPECT_EQ(r->units[0].figures.dsp, 12);
  EXPECT_EQ(r->units[0].figures.lutram_luts, 40);
  // Configs of one netlist have a record each: the run's own comes first.
  write_record(dir, "z",
               {{"arch", "z"}, {"parameters", {{"Pes", 4}, {"Lanes", 2}}}, {"xilinx", xilinx}});
  EXPECT_NE(
      synthesized_resources(dir.string(), {{"Pes", 4}, {"Lanes", 2}}, "z")->file.find("z.json"),
      std::string::npos);
  EXPECT_NE(
      synthesized_resources(dir.string(), {{"Pes", 4}, {"Lanes", 2}}, "q")->file.find("a.json"),
      std::string::npos);
  std::filesystem::remove(dir / "z.json");
  // Other parameters, a subset of them, or a run that did not finish: no figures.
  EXPECT_FALSE(synthesized_resources(dir.string(), {{"Pes", 2}, {"Lanes", 2}}));
  EXPECT_FALSE(synthesized_resources(dir.string(), {{"Pes", 4}}));
  EXPECT_FALSE(synthesized_resources(dir.string(), {{"Pes", 8}, {"Lanes", 2}}));
  EXPECT_FALSE(synthesized_resources("", {{"Pes", 4}, {"Lanes", 2}}));
  // A record that is not one: one error line naming the file and the field.
  std::ofstream(dir / "c.json") << "{\"parameters\": {\"Pes\": 4, \"Lanes\": 2}, \"xilinx\": "
                                   "{\"status\": \"ok\", \"lut\": -1}}";
  std::filesystem::remove(dir / "a.json");
  try {
    synthesized_resources(dir.string(), {{"Pes", 4}, {"Lanes", 2}});
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("c.json: xilinx.dsp: got missing"), std::string::npos)
        << e.what();
  }
  std::filesystem::remove(dir / "c.json");
  std::ofstream(dir / "d.json") << "not json";
  try {
    synthesized_resources(dir.string(), {{"Pes", 4}, {"Lanes", 2}});
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("d.json"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

// Every field synthesized_resources reads, given a JSON value of another type: one InputError
// naming the field, never a JSON library exception.
TEST(Synthesis, AFieldOfAnotherTypeIsOneInputErrorNamingIt) {
  const nlohmann::json good = {
      {"parameters", {{"Pes", 4}}},
      {"tool", "yosys"},
      {"workload", "w"},
      {"xilinx",
       {{"status", "ok"},
        {"lut", 1},
        {"lutram_luts", 0},
        {"ff", 1},
        {"dsp", 1},
        {"bram36", 1},
        {"by_unit",
         {{"u", {{"lut", 1}, {"lutram_luts", 0}, {"ff", 1}, {"dsp", 1}, {"bram36", 1}}}}}}}};
  EXPECT_NO_THROW(parse_synthesis_record(good.dump(), "r.json"));
  const std::vector<std::pair<nlohmann::json::json_pointer, std::string>> fields = {
      {"/parameters"_json_pointer, "parameters"},
      {"/tool"_json_pointer, "tool"},
      {"/workload"_json_pointer, "workload"},
      {"/xilinx"_json_pointer, "xilinx"},
      {"/xilinx/status"_json_pointer, "xilinx.status"},
      {"/xilinx/lut"_json_pointer, "xilinx.lut"},
      {"/xilinx/by_unit"_json_pointer, "xilinx.by_unit"},
      {"/xilinx/by_unit/u"_json_pointer, "xilinx.by_unit.u"},
      {"/xilinx/by_unit/u/ff"_json_pointer, "xilinx.by_unit.u.ff"}};
  for (const auto& [pointer, key] : fields)
    for (const nlohmann::json& wrong :
         {nlohmann::json(), nlohmann::json(true), nlohmann::json::array({1}), nlohmann::json("x"),
          nlohmann::json(-1)}) {
      nlohmann::json r = good;
      r[pointer] = wrong;
      if (key == "tool" || key == "workload" || key == "xilinx.status")
        if (wrong.is_string()) continue;
      try {
        parse_synthesis_record(r.dump(), "r.json");
        ADD_FAILURE() << key << " = " << wrong.dump() << " accepted";
      } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("r.json: " + key + ": got", 0), 0u) << e.what();
      }
    }
  EXPECT_THROW(synthesized_resources("/nonexistent/synthesis", {{"Pes", 4}}), InputError);
}

}  // namespace
}  // namespace sparrow
