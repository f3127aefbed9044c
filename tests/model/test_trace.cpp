// The traces of a SystemC run: the recorded intervals follow the schedule of docs/timing.md,
// tracing changes no cycle or counter, and the JSON and VCD files are well formed. One
// elaboration per test process (gtest_discover_tests runs each case in its own process).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <systemc>

#include "accelerator/accelerator.h"
#include "common/file_util.h"
#include "engines/systemc_engine.h"
#include "test_util.h"
#include "timing/schedule.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

using Intervals = std::vector<TraceRecorder::Interval>;

struct Traced {
  CompressedModel m;
  SystemcRun sc;
  TraceRecorder trace;
};

// Runs w on a with a recorder; the run must equal the timing contract.
Traced run_traced(const ArchConfig& a, const WorkloadConfig& w) {
  Traced r;
  r.m = compress_model(make_lstm_weights(w), a);
  r.sc = run_systemc(r.m, a, w, quantize_inputs(make_input_sequence(w), a.arith.act),
                     int64_t{1} << 40, &r.trace);
  EXPECT_TRUE(r.sc.activity == evaluate_timing(r.m, a, w)) << "tracing changed the run";
  return r;
}

int64_t arg(const TraceRecorder::Interval& i, const std::string& key) {
  for (const auto& [k, v] : i.args)
    if (k == key) return v;
  ADD_FAILURE() << i.name << " has no argument " << key;
  return -1;
}

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// C(q): the words of row q's PE up to and including row q.
std::vector<int64_t> words_through(const EncodedMatrix& e) {
  std::vector<int64_t> pe(size_t(e.pes), 0), c(size_t(e.rows));
  for (int q = 0; q < e.rows; ++q) c[size_t(q)] = pe[size_t(q % e.pes)] += e.row_words[size_t(q)];
  return c;
}

// f - s of a phase: the largest PE's words.
int64_t span(const EncodedMatrix& e) {
  std::vector<int64_t> pe(size_t(e.pes), 0);
  for (int q = 0; q < e.rows; ++q) pe[size_t(q % e.pes)] += e.row_words[size_t(q)];
  return *std::max_element(pe.begin(), pe.end());
}

// Busy cycles and stall cycles of an array's phases, the pass starting at `pass_start`.
void expect_busy_and_stalls(const Intervals& phases, const std::vector<int64_t>& pass_start,
                            int per_pass, const ArrayActivity& act) {
  int64_t busy = 0, stall = 0;
  for (size_t i = 0; i < phases.size(); ++i) {
    const int64_t prev =
        i % size_t(per_pass) ? phases[i - 1].end : pass_start[i / size_t(per_pass)];
    EXPECT_GE(phases[i].start, prev) << phases[i].name;
    busy += phases[i].end - phases[i].start;
    stall += phases[i].start - prev;
  }
  EXPECT_EQ(busy, act.busy) << act.name;
  EXPECT_EQ(stall, act.stall_memory + act.stall_recurrence + act.stall_gate) << act.name;
}

TEST(Trace, SeparateArraysWeightsOnChipFollowTheSchedule) {
  const ArchConfig a = test::arch("brds");
  const WorkloadConfig w = test::small_workload(12, 16, 1, false, 0, 6);
  const Traced r = run_traced(a, w);
  const Activity& act = r.sc.activity;
  ASSERT_TRUE(act.weights_on_chip);
  EXPECT_EQ(r.trace.tracks(), (std::vector<std::string>{"controller", "dma.read", "dma.write",
                                                        "wx_array", "wh_array", "gate_unit"}));
  const size_t T = size_t(w.seq_len);
  const Intervals x = r.trace.on("wx_array"), h = r.trace.on("wh_array"),
                  gate = r.trace.on("gate_unit"), rd = r.trace.on("dma.read"),
                  wr = r.trace.on("dma.write"), ctrl = r.trace.on("controller");
  ASSERT_EQ(x.size(), T);
  ASSERT_EQ(h.size(), T);
  ASSERT_EQ(gate.size(), T);
  ASSERT_EQ(rd.size(), 1 + T);  // the weights, then one input per step
  ASSERT_EQ(wr.size(), T);
  ASSERT_EQ(ctrl.size(), 1u);

  // The weights: W bytes read from cycle 0; the pass starts when they are in the banks.
  const int64_t bpc = a.memory.bytes_per_cycle, lat = a.memory.latency_cycles;
  const int64_t weights = int64_t(WeightLayout(r.m.dirs, a).total_bytes);
  const int64_t start = ceil_div(weights, bpc) + lat + kLoadLatency;
  EXPECT_EQ(rd[0].name, "weights " + std::to_string(weights) + " B");
  EXPECT_EQ(rd[0].start, 0);
  EXPECT_EQ(rd[0].end, ceil_div(weights, bpc));
  EXPECT_EQ(arg(rd[0], "done"), start - kLoadLatency);
  EXPECT_EQ(ctrl[0].start, start);
  EXPECT_EQ(ctrl[0].end, act.pass_end.at(0));
  EXPECT_EQ(h[0].start, start);

  const EncodedMatrix &wx = r.m.at(0, 0).wx, &wh = r.m.at(0, 0).wh;
  const std::vector<int64_t> cx = words_through(wx), ch = words_through(wh);
  const int64_t mac_lat = mac_latency(a.mac_array.wh.lanes);
  const int64_t in_bytes = int64_t(w.input_size) * act_bytes(a.arith);
  const int64_t out_bytes = int64_t(w.state_size()) * act_bytes(a.arith);
  const int64_t fill = ceil_div(act_bytes(a.arith), bpc) * w.input_size;  // rho I
  auto hdone = [&](size_t t, int back) {
    return t < size_t(back) ? start : gate[t - size_t(back)].end;
  };
  int64_t tau = 0;  // the transposer's start on x_t
  for (size_t t = 0; t < T; ++t) {
    SCOPED_TRACE("step " + std::to_string(t));
    const int64_t xready = arg(rd[1 + t], "done");
    EXPECT_EQ(rd[1 + t].start, std::max(start, rd[t].end));
    EXPECT_EQ(xready, rd[1 + t].start + ceil_div(in_bytes, bpc) + lat);
    tau = std::max({xready + 1, t ? tau + fill : 0, t >= 2 ? x[t - 2].end : 0});
    EXPECT_EQ(x[t].name, "X t=" + std::to_string(t) + " pass 0");
    EXPECT_EQ(h[t].name, "H t=" + std::to_string(t) + " pass 0");
    EXPECT_EQ(x[t].start, std::max({t ? x[t - 1].end : start, tau + fill, hdone(t, 2)}));
    EXPECT_EQ(h[t].start, std::max(t ? h[t - 1].end : start, hdone(t, 1)));
    EXPECT_EQ(x[t].end - x[t].start, span(wx));
    EXPECT_EQ(h[t].end - h[t].start, span(wh));
    // The gate unit's first admission: unit 0's four rows are ready.
    int64_t ready0 = 0;
    for (size_t q = 0; q < 4; ++q)
      ready0 = std::max({ready0, x[t].start + cx[q], h[t].start + ch[q]});
    EXPECT_EQ(gate[t].start, ready0 + mac_lat - 1);
    EXPECT_GT(gate[t].end, gate[t].start);
    // Each step's output is written when its state is complete.
    EXPECT_EQ(wr[t].start, std::max(gate[t].end, t ? wr[t - 1].end : 0));
    EXPECT_EQ(wr[t].end - wr[t].start, ceil_div(out_bytes, bpc));
  }
  EXPECT_EQ(gate.back().end, act.pass_end.back());
  EXPECT_EQ(act.cycles, std::max(act.pass_end.back(), arg(wr.back(), "done")));
  expect_busy_and_stalls(x, {start}, int(T), act.arrays[0]);
  expect_busy_and_stalls(h, {start}, int(T), act.arrays[1]);
}

TEST(Trace, SharedArrayStreamedProjectedBidirectionalFollowTheSchedule) {
  YAML::Node y = test::with(test::arch_yaml("brds"), "mac_array.shared", "true");
  y = test::with(y, "weight_bank.wx_kbit_per_pe", "0");
  const ArchConfig a = parse_arch_config(y, "brds-shared-streamed.yaml");
  const WorkloadConfig w = test::small_workload(10, 12, 1, true, 6, 4);
  const Traced r = run_traced(a, w);
  const Activity& act = r.sc.activity;
  ASSERT_FALSE(act.weights_on_chip);
  EXPECT_EQ(r.trace.tracks(), (std::vector<std::string>{"controller", "dma.read", "dma.write",
                                                        "shared_array", "gate_unit"}));
  const int T = w.seq_len, passes = 2, per_pass = 3 * T;
  const Intervals arr = r.trace.on("shared_array"), gate = r.trace.on("gate_unit"),
                  ctrl = r.trace.on("controller");
  ASSERT_EQ(arr.size(), size_t(passes * per_pass));
  ASSERT_EQ(gate.size(), size_t(passes * T));
  ASSERT_EQ(ctrl.size(), size_t(passes));
  Intervals weight_reads, input_reads;
  for (const auto& i : r.trace.on("dma.read"))
    (i.name.rfind("weights", 0) == 0 ? weight_reads : input_reads).push_back(i);
  ASSERT_EQ(weight_reads.size(), arr.size());  // streamed: every phase reads its weights
  EXPECT_EQ(input_reads.size(), size_t(passes * T));

  const std::vector<int64_t> pass_start = {0, act.pass_end[0]};
  const int64_t mac_lat = mac_latency(a.mac_array.wh.lanes);
  for (int k = 0; k < passes; ++k) {
    SCOPED_TRACE("pass " + std::to_string(k));
    EXPECT_EQ(ctrl[size_t(k)].start, pass_start[size_t(k)]);
    EXPECT_EQ(ctrl[size_t(k)].end, act.pass_end[size_t(k)]);
    // The shared array's order: X_0, H_0, X_1, R_0, H_1, ..., H_{T-1}, R_{T-1}.
    std::vector<std::string> order;
    for (int t = 0; t < T; ++t) {
      order.push_back("X t=" + std::to_string(t));
      if (t > 0) order.push_back("R t=" + std::to_string(t - 1));
      order.push_back("H t=" + std::to_string(t));
    }
    order.push_back("R t=" + std::to_string(T - 1));
    const CompressedDirection& d = r.m.at(0, k);
    const std::map<char, const EncodedMatrix*> matrix = {{'X', &d.wx}, {'H', &d.wh}, {'R', &d.wr}};
    const std::map<char, std::string> what = {
        {'X', "weights W_x"}, {'H', "weights W_h"}, {'R', "weights W_r"}};
    for (int j = 0; j < per_pass; ++j) {
      const size_t i = size_t(k * per_pass + j);
      const char m = arr[i].name[0];
      EXPECT_EQ(arr[i].name, order[size_t(j)] + " pass " + std::to_string(k));
      EXPECT_EQ(arr[i].end - arr[i].start, span(*matrix.at(m))) << arr[i].name;
      // Its weights: requested when the previous phase started, in the banks before it starts.
      EXPECT_EQ(weight_reads[i].name.rfind(what.at(m), 0), 0u) << weight_reads[i].name;
      EXPECT_GE(weight_reads[i].start, j ? arr[i - 1].start : pass_start[size_t(k)]);
      EXPECT_GE(arr[i].start, arg(weight_reads[i], "done") + kLoadLatency) << arr[i].name;
      if (m == 'R') {
        const int t = std::stoi(arr[i].name.substr(4));
        EXPECT_GE(arr[i].start, gate[size_t(k * T + t)].end) << arr[i].name;  // udone_t
      }
    }
    // The pass ends when the last projection is written: the gate unit admits the last R
    // phase's rows in increasing q, G a cycle, each once it is ready (s + C(q) + A - 1; its
    // step's units, admitted before R started, never bind), and hdone = e_{P-1} + 2.
    const EncodedMatrix& wr = *matrix.at('R');
    const int64_t s = arr[size_t((k + 1) * per_pass - 1)].start;
    const size_t g = size_t(a.gate_unit.lanes);
    std::vector<int64_t> pe_words(size_t(wr.pes), 0), e;
    for (int q = 0; q < wr.rows; ++q) {
      const int64_t ready =
          s + (pe_words[size_t(q % wr.pes)] += wr.row_words[size_t(q)]) + mac_lat - 1;
      e.push_back(std::max(
          {ready, e.empty() ? ready : e.back(), e.size() >= g ? e[e.size() - g] + 1 : ready}));
    }
    EXPECT_EQ(act.pass_end[size_t(k)], e.back() + 2);
    EXPECT_GT(e.back(), arr[size_t((k + 1) * per_pass - 1)].end + mac_lat - 1);  // G binds
  }
  expect_busy_and_stalls(arr, pass_start, per_pass, act.arrays[0]);
}

TEST(Trace, JsonAndVcdFiles) {
  const ArchConfig a = test::arch("brds");
  const WorkloadConfig w = test::small_workload(8, 12, 2, false, 0, 4);
  const Traced r = run_traced(a, w);
  const Activity& act = r.sc.activity;
  const std::string dir = std::string(SPARROW_TEST_TMP) + "/trace";
  std::filesystem::create_directories(dir);
  r.trace.write_perfetto_json(dir + "/trace.json");
  r.trace.write_vcd(dir + "/trace.vcd");
  int64_t mac_slots = 0;
  for (const ArrayActivity& arr : act.arrays) mac_slots += arr.mac_slots;

  const nlohmann::json j = nlohmann::json::parse(read_file_bytes(dir + "/trace.json"));
  EXPECT_EQ(j.at("displayTimeUnit").get<std::string>(), "ns");
  EXPECT_EQ(j.at("otherData").at("cycles").get<int64_t>(), act.cycles);
  std::map<int, std::string> thread;
  std::map<std::string, int> slices;
  std::map<std::string, int64_t> counter;  // the last value
  int64_t done = -1;
  auto cycle = [](const nlohmann::json& ts) { return std::llround(ts.get<double>() * 1000); };
  for (const auto& e : j.at("traceEvents")) {
    const std::string ph = e.at("ph").get<std::string>();
    if (ph == "M" && e.at("name").get<std::string>() == "thread_name")
      thread[e.at("tid").get<int>()] = e.at("args").at("name").get<std::string>();
    else if (ph == "X")
      ++slices[thread.at(e.at("tid").get<int>())];
    else if (ph == "C")
      counter[e.at("name").get<std::string>()] = e.at("args").at("value").get<int64_t>();
    else if (ph == "i")
      done = cycle(e.at("ts"));
  }
  EXPECT_EQ(thread.size(), 6u);
  const std::map<std::string, int> expected = {{"controller", 2},    {"dma.read", 1 + 2 * 4},
                                               {"dma.write", 2 * 4}, {"wx_array", 2 * 4},
                                               {"wh_array", 2 * 4},  {"gate_unit", 2 * 4}};
  EXPECT_EQ(slices, expected);
  EXPECT_EQ(done, act.cycles);
  EXPECT_EQ(counter.at("pass"), 1);
  EXPECT_EQ(counter.at("step"), w.seq_len - 1);
  EXPECT_EQ(counter.at("mac_slots"), mac_slots);
  EXPECT_EQ(counter.at("dram_read_bytes"), act.dma.read_bytes);
  EXPECT_EQ(counter.at("dram_write_bytes"), act.dma.write_bytes);
  const TraceRecorder::Interval x0 = r.trace.on("wx_array").at(0);
  for (const auto& e : j.at("traceEvents"))
    if (e.at("ph").get<std::string>() == "X" && thread.at(e.at("tid").get<int>()) == "wx_array") {
      EXPECT_EQ(e.at("name").get<std::string>(), "X t=0 pass 0");
      EXPECT_EQ(cycle(e.at("ts")), x0.start);
      EXPECT_EQ(cycle(e.at("dur")), x0.end - x0.start);
      break;
    }

  std::istringstream vcd(read_file_bytes(dir + "/trace.vcd"));
  std::map<std::string, std::string> id;    // name -> identifier
  std::map<std::string, std::string> last;  // identifier -> last value
  std::string line, last_time;
  bool header = true;
  while (std::getline(vcd, line)) {
    std::istringstream ls(line);
    std::string word, kind, width, ident, name;
    if (!(ls >> word)) continue;
    if (header) {
      if (word == "$timescale") {
        EXPECT_EQ(line, "$timescale 1ns $end");
      }
      if (word == "$var" && (ls >> kind >> width >> ident >> name)) id[name] = ident;
      if (word == "$enddefinitions") header = false;
    } else if (word[0] == '#') {
      last_time = word.substr(1);
    } else if (word[0] == 'b') {
      ls >> ident;
      last[ident] = word.substr(1);
    } else if (word[0] == '0' || word[0] == '1') {
      last[word.substr(1)] = word.substr(0, 1);
    }
  }
  EXPECT_FALSE(header) << "no $enddefinitions";
  EXPECT_EQ(id.size(), 6u + 1u + 5u);  // the tracks, done, the counters
  EXPECT_EQ(last_time, std::to_string(act.cycles));
  EXPECT_EQ(last.at(id.at("done")), "1");
  for (const char* busy : {"wx_array", "wh_array", "gate_unit", "dma_read", "dma_write"})
    EXPECT_EQ(last.at(id.at(busy)), "0") << busy;
  EXPECT_EQ(std::stoll(last.at(id.at("mac_slots")), nullptr, 2), mac_slots);
  EXPECT_EQ(std::stoll(last.at(id.at("dram_read_bytes")), nullptr, 2), act.dma.read_bytes);
}

}  // namespace
}  // namespace sparrow
