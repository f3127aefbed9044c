// The typed run report (lib/report/): serialized once, read back into the same struct, and
// summarized from it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

#include "common/error.h"
#include "compress/compressor.h"
#include "energy/resources.h"
#include "report/run_report.h"
#include "test_util.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

// A report with every optional section filled, as `sparrow run --engine rtl` on a session with
// a synthesis record, the float references and a model cache would write it.
RunReport full_report(const ArchConfig& a, const WorkloadConfig& w, const std::string& table) {
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  const Activity act = evaluate_timing(m, a, w);
  ResourceReport synthesized = estimate_resources(a, w, m);
  synthesized.source = "synthesis";
  synthesized.file = "configs/synthesis/x.json";
  synthesized.tool = "Yosys 0.23";
  synthesized.capacity_workload = "w.yaml";
  synthesized.total.lutram_luts = 123;
  synthesized.analytic = std::make_shared<const ResourceReport>(estimate_resources(a, w, m));
  RunReport r =
      design_report(act, a, w, m, load_energy_table(test::source_path(table)), synthesized);
  r.engine = "rtl";
  r.performance->contract_cycles = act.cycles;
  r.ops.mac_slots = 4096;
  r.rtl = RtlReport{"key", true, 0.0, 1.5, {{"cycles", {act.cycles, act.cycles}}}};
  r.outputs_match_golden = true;
  r.accuracy["fixed_vs_float_pruned"] = {0.25, 0.125, std::numeric_limits<double>::infinity()};
  r.accuracy["float_pruned_vs_float_dense"] = {0.5, 0.25, 12.5};
  r.model_cache = ModelCacheUse{"encoded", "hit"};
  r.wall_seconds = {{"compress", 0.5}, {"rtl", 2.0}};
  r.outputs = OutputFiles{"out/run", {"outputs.npy", "outputs_raw.npy"}, {200, 128}, "Q8.6"};
  return r;
}

// What is written is read back into the same report: serializing it again gives the same JSON,
// for a single inference, a bidirectional session with projection and a resource table.
TEST(RunReport, ReadsBackWhatItWrites) {
  const std::pair<ArchConfig, WorkloadConfig> cases[] = {
      {test::arch("brds"), test::small_workload(40, 24)},
      {test::arch("brds-pwl16"), test::small_workload(32, 24, 2, true, 16, 3)},
      {test::arch("baseline-unstructured"), test::small_workload(24, 16)}};
  for (const auto& [a, w] : cases) {
    for (const char* table :
         {"configs/energy/asic-45nm-horowitz.yaml", "configs/energy/fpga-by-resource.yaml"}) {
      const RunReport r = full_report(a, w, table);
      const nlohmann::json j = to_json(r);
      const RunReport back = run_report_from_json(j, "R");
      EXPECT_EQ(to_json(back), j) << a.name << " " << table;
      EXPECT_EQ(back.performance->cycles, r.performance->cycles);
      EXPECT_EQ(back.performance->session.sequences, w.sequences);
      EXPECT_EQ(back.performance->session.steady.has_value(), w.sequences > 1);
      EXPECT_EQ(back.resources.analytic->total.lut, r.resources.analytic->total.lut);
      EXPECT_TRUE(std::isinf(back.accuracy.at("fixed_vs_float_pruned").sqnr_db));
      EXPECT_EQ(back.compression.matrices.size(), r.compression.matrices.size());
      EXPECT_EQ(j["energy"]["table"]["kind"],
                std::string(table).find("resource") != std::string::npos ? "resources" : "actions");
    }
  }
}

// Sections a run leaves out stay out: a golden run has no performance, energy or checks.
TEST(RunReport, AbsentSectionsStayAbsent) {
  const ArchConfig a = test::arch("brds");
  const WorkloadConfig w = test::small_workload(40, 24);
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  RunReport r = design_report(std::nullopt, a, w, m, {}, estimate_resources(a, w, m));
  r.engine = "golden";
  const nlohmann::json j = to_json(r);
  for (const char* absent : {"performance", "energy", "rtl", "outputs_match_golden", "accuracy",
                             "model_cache", "wall_seconds", "outputs"})
    EXPECT_FALSE(j.contains(absent)) << absent;
  EXPECT_FALSE(j["ops"].contains("mac_slots"));
  EXPECT_FALSE(j["resources"].contains("file"));
  const RunReport back = run_report_from_json(j, "R");
  EXPECT_FALSE(back.performance);
  EXPECT_FALSE(back.energy);
  EXPECT_EQ(to_json(back), j);
}

// A field of another type, deep in the report, is one InputError naming the file and its path.
TEST(RunReport, AMalformedFieldIsOneErrorNamingItsPath) {
  const nlohmann::json good = to_json(full_report(test::arch("brds"), test::small_workload(40, 24),
                                                  "configs/energy/asic-45nm-horowitz.yaml"));
  auto error = [&](const char* pointer, const nlohmann::json& value) {
    nlohmann::json j = good;
    j[nlohmann::json::json_pointer(pointer)] = value;
    try {
      run_report_from_json(j, "d/report.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("/compression/matrices/0/wx/rows", "x")
                .find("d/report.json: compression.matrices.0.wx.rows: got \"x\""),
            std::string::npos)
      << error("/compression/matrices/0/wx/rows", "x");
  EXPECT_NE(error("/energy/units/1/terms/0/count", true)
                .find("energy.units.1.terms.0.count: got true; allowed: a number"),
            std::string::npos);
  EXPECT_NE(error("/rtl/counters/cycles/rtl", 1.5).find("rtl.counters.cycles.rtl: got 1.5"),
            std::string::npos);
  EXPECT_NE(error("/outputs/files/1", 7).find("outputs.files.1: got 7; allowed: a text"),
            std::string::npos);
  EXPECT_NE(error("/accuracy/fixed_vs_float_pruned/sqnr_db", "loud")
                .find("accuracy.fixed_vs_float_pruned.sqnr_db: got \"loud\""),
            std::string::npos);
  EXPECT_NE(error("/workload/hidden_size", int64_t{1} << 40)
                .find("workload.hidden_size: got 1099511627776; allowed: an integer of 32 bits"),
            std::string::npos);
  EXPECT_EQ(error("/outputs/files/1", "b.npy"), "no error");
}

// The reports `sparrow run` wrote (tests/fixtures/reports: golden, a SystemC session, a resource
// energy table, the RTL engine on rtl-small) read into the struct and write out the same JSON.
TEST(RunReport, ReadsTheReportsSparrowRunWrites) {
  int read = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(test::source_path("tests/fixtures/reports"))) {
    const RunReport r = read_run_report(e.path().string());
    std::ifstream f(e.path());
    EXPECT_EQ(to_json(r), nlohmann::json::parse(f)) << e.path();
    ++read;
  }
  EXPECT_EQ(read, 4);
}

// A report written before batches has no "batch": its batch is 1.
TEST(RunReport, AReportWithoutBatchIsOfBatchOne) {
  std::ifstream f(test::source_path("tests/fixtures/reports/systemc-session.json"));
  nlohmann::json j = nlohmann::json::parse(f);
  j["workload"]["batch"] = 4;
  j["performance"]["session"]["batch"] = 4;
  const RunReport four = run_report_from_json(j, "r.json");
  EXPECT_EQ(four.workload.batch, 4);
  EXPECT_EQ(four.performance->session.batch, 4);
  j["workload"].erase("batch");
  j["performance"]["session"].erase("batch");
  const RunReport old = run_report_from_json(j, "r.json");
  EXPECT_EQ(old.workload.batch, 1);
  EXPECT_EQ(old.performance->session.batch, 1);
}

// The steady state of a session in batches: (c_{N-1} - c_{B-1}) / (N - B), from two batches on.
TEST(RunReport, SteadyStateOfBatches) {
  const ArchConfig arch = test::arch("brds");
  Activity a;
  a.cycles = 300;
  a.arrays = {ArrayActivity{"wx"}, ArrayActivity{"wh"}};
  a.arrays[1].mac_slots = 4 * 128 * 25;  // per sequence, half the W_h array's 128 MACs x 50
  a.sequence_done = {150, 150, 250, 250};
  OpCounts ops;
  ops.dense_macs = ops.nonzero_macs = 4000;
  const SessionFigures s = performance_of(a, arch, ops, 2).session;
  EXPECT_EQ(s.batch, 2);
  EXPECT_EQ(s.first_sequence_cycles, 150);
  ASSERT_TRUE(s.steady);
  EXPECT_DOUBLE_EQ(s.steady->cycles_per_sequence, 50.0);
  EXPECT_DOUBLE_EQ(s.steady->mac_utilization.at("wh"), 0.5);
  // One batch: no steady state.
  a.sequence_done = {150, 150};
  EXPECT_FALSE(performance_of(a, arch, ops, 2).session.steady);
  // Unbatched, the same four: (250 - 150) / 3.
  a.sequence_done = {150, 150, 250, 250};
  EXPECT_DOUBLE_EQ(performance_of(a, arch, ops, 1).session.steady->cycles_per_sequence, 100.0 / 3);
}

// The summary is made from the struct: its figures are the report's.
TEST(RunReport, SummaryShowsTheReportsFigures) {
  RunReport r = full_report(test::arch("brds"), test::small_workload(40, 24),
                            "configs/energy/asic-45nm-horowitz.yaml");
  const std::string s = summarize(r);
  EXPECT_NE(s.find("sparrow rtl run: "), std::string::npos) << s;
  EXPECT_NE(s.find("  cycles       " + std::to_string(r.performance->cycles) + " ("),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("LUT + 123 LUT RAM"), std::string::npos) << s;
  EXPECT_NE(s.find("(Yosys synth_xilinx, x.json)"), std::string::npos) << s;
  EXPECT_NE(s.find("cycles equal the timing contract"), std::string::npos) << s;
  EXPECT_NE(s.find("(report.json, 2 .npy)"), std::string::npos) << s;
  r.performance->contract_cycles = r.performance->cycles + 1;
  r.outputs_match_golden = false;
  EXPECT_NE(summarize(r).find("DIFFER FROM THE GOLDEN MODEL; cycles DIFFER FROM THE TIMING "
                              "CONTRACT (" +
                              std::to_string(r.performance->cycles + 1) + ")"),
            std::string::npos);
}

// The summary says where the weights stay, and what the streamed figures assume where a bank does
// not hold one pass: 600,000 bits of W_x against a 512 kbit bank.
TEST(RunReport, SummarySaysWhetherABankHoldsAPass) {
  RunReport r = full_report(test::arch("brds"), test::small_workload(40, 24),
                            "configs/energy/asic-45nm-horowitz.yaml");
  BankUse& b = r.compression.banks;
  EXPECT_NE(summarize(r).find("; banks fit on chip\n"), std::string::npos);
  b.wx_bits_max = b.wx_capacity_bits + 1;
  EXPECT_NE(summarize(r).find("; banks do not fit on chip (streamed; a bank holds one pass)\n"),
            std::string::npos);
  b.wx_pass_bits_max = 600000;
  EXPECT_NE(summarize(r).find("; banks do not fit on chip, nor one pass (kbit of a PE's bank: "
                              "W_x 586 of 512): the streamed figures are those of banks that "
                              "hold one (docs/timing.md)\n"),
            std::string::npos)
      << summarize(r);
}

}  // namespace
}  // namespace sparrow
