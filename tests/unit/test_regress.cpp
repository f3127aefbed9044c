// The random design points of the differential regression (apps/regress/random_case.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "compress/bank_use.h"
#include "compress/compressor.h"
#include "energy/rtl_parameters.h"
#include "regress/random_case.h"
#include "regress/regress.h"
#include "workload/lstm_weights.h"

namespace sparrow {
namespace {

TEST(RandomCase, ReproducibleFromSeedAndIndex) {
  const RandomCase a = random_case(SPARROW_SOURCE_DIR, 8, 17),
                   b = random_case(SPARROW_SOURCE_DIR, 8, 17);
  EXPECT_EQ(a.arch_file, b.arch_file);
  EXPECT_EQ(a.arch, b.arch);
  EXPECT_EQ(a.workload, b.workload);
  EXPECT_NE(a.run_args(), random_case(SPARROW_SOURCE_DIR, 8, 18).run_args());
  EXPECT_NE(a.run_args(), random_case(SPARROW_SOURCE_DIR, 9, 17).run_args());
}

// Every case is a valid design point, and the cases cover every shipped architecture, projection,
// bidirectional layers and streamed weights.
TEST(RandomCase, ValidAndVaried) {
  std::set<std::string> archs;
  int projected = 0, bidirectional = 0, streamed = 0;
  for (int k = 0; k < 600; ++k) {
    const RandomCase c = random_case(SPARROW_SOURCE_DIR, 1, k);
    SCOPED_TRACE(c.summary());
    const ArchConfig a = c.load_arch();
    const WorkloadConfig w = c.load_workload();
    archs.insert(a.name);
    projected += w.proj_size > 0;
    bidirectional += w.bidirectional;
    streamed += a.weight_bank.wx_kbit_per_pe == 0;
  }
  EXPECT_EQ(archs.size(), 6u);
  EXPECT_GT(projected, 100);
  EXPECT_GT(bidirectional, 200);
  EXPECT_GT(streamed, 100);
}

// The RTL's stream stays inside what the RTL implements and the pinned capacity, and covers
// every parameter set, sessions and projection (on the builds with Proj only).
TEST(RandomCase, RtlStreamWithinTheRtl) {
  std::set<std::string> sets;
  int sessions = 0, batched = 0, stream_builds = 0, projected = 0;
  for (int k = 0; k < 400; ++k) {
    const RandomCase c = random_case(SPARROW_SOURCE_DIR, 1, k, CaseScope::kRtl);
    SCOPED_TRACE(c.summary());
    const ArchConfig a = c.load_arch();
    const WorkloadConfig w = c.load_workload();
    EXPECT_GT(a.weight_bank.wx_kbit_per_pe, 0);
    EXPECT_LE(w.seq_len, 8);
    EXPECT_LE(w.input_size, 64);
    EXPECT_LE(w.hidden_size, 32);
    EXPECT_LE(w.layers * (w.bidirectional ? 2 : 1), 4);
    const bool proj = c.rtl_params.back() == "Proj=1";
    const bool stream = c.rtl_params[c.rtl_params.size() - (proj ? 2 : 1)] == "Stream=1";
    sets.insert(a.name + (a.memory.bytes_per_cycle == 1 ? "-b1" : "") + (stream ? "-stream" : ""));
    EXPECT_EQ(c.rtl_params.size(), (stream ? 11u : 7u) + (proj ? 1u : 0u));
    EXPECT_EQ(c.rtl_params[4], "MaxBatch=3");
    EXPECT_EQ(stream, a.weight_bank.wx_kbit_per_pe == 1 && a.weight_bank.wh_kbit_per_pe == 1);
    EXPECT_EQ(proj, stream || a.name == "binarized" || a.name == "brds-pwl16");
    if (w.proj_size > 0) {
      EXPECT_TRUE(proj);
      EXPECT_LT(w.proj_size, w.hidden_size);
      if (w.bidirectional) {
        EXPECT_EQ(w.proj_size, 16);  // a state of whole bus words
      }
    }
    projected += w.proj_size > 0;
    stream_builds += stream;
    // One batch or two of 2 or 3 sequences, or a session of up to three batches of one.
    EXPECT_LE(w.batch, 3);
    EXPECT_EQ(w.sequences % w.batch, 0);
    EXPECT_LE(w.sequences / w.batch, 3);
    if (w.batch > 1) {
      EXPECT_LE(w.sequences / w.batch, 2);
    }
    sessions += w.sequences > w.batch;
    batched += w.batch > 1;
  }
  // Four configs share brds' set; brds-b1, brds-stream, brds-balanced and baseline-unstructured
  // are sets of their own.
  EXPECT_EQ(sets.size(), 11u);
  EXPECT_GT(stream_builds, 25);  // an eighth of 400
  EXPECT_GT(projected, 40);      // about half of three eighths of 400
  EXPECT_GT(sessions, 60);       // a quarter of 400
  EXPECT_LT(sessions, 140);
  EXPECT_GT(batched, 60);  // a quarter of 400
  EXPECT_LT(batched, 140);
  EXPECT_NE(random_case(SPARROW_SOURCE_DIR, 1, 0, CaseScope::kRtl).run_args(),
            random_case(SPARROW_SOURCE_DIR, 1, 0).run_args());
}

// A case's --rtl-param floors (NAME=N each) as rtl_parameters takes them.
std::map<std::string, int64_t> floors_of(const RandomCase& c) {
  std::map<std::string, int64_t> floors;
  for (const std::string& f : c.rtl_params)
    floors[f.substr(0, f.find('='))] = std::stoll(f.substr(f.find('=') + 1));
  return floors;
}

// The RTL's stream at the reference capacity: the capacity pinned at MaxT 400, MaxIn 128, MaxH
// 128; cases within it and mostly beyond the small one; every case's weights on chip, or, on the
// streamed brds (banks of 8 kbit, built with Stream), each pass within the banks, and within the
// RTL's banks of the pinned build; the same parameter sets as the small stream.
TEST(RandomCase, RtlReferenceStreamAtTheReferenceCapacity) {
  std::set<std::string> sets;
  int beyond = 0, long_runs = 0, streamed_runs = 0, wide = 0;
  for (int k = 0; k < 120; ++k) {
    const RandomCase c = random_case(SPARROW_SOURCE_DIR, 1, k, CaseScope::kRtlReference);
    SCOPED_TRACE(c.summary());
    const ArchConfig a = c.load_arch();
    const WorkloadConfig w = c.load_workload();
    ASSERT_GE(c.rtl_params.size(), 7u);
    EXPECT_EQ(std::vector<std::string>(c.rtl_params.begin(), c.rtl_params.begin() + 3),
              (std::vector<std::string>{"MaxT=400", "MaxIn=128", "MaxH=128"}));
    EXPECT_LE(w.seq_len, 400);
    EXPECT_LE(w.input_size, 128);
    EXPECT_LE(w.hidden_size, 128);
    if (w.bidirectional) {
      EXPECT_EQ(w.hidden_size % 16, 0);
      EXPECT_EQ(w.proj_size % 16, 0);
    }
    const bool stream = std::count(c.rtl_params.begin(), c.rtl_params.end(), "Stream=1") > 0;
    EXPECT_EQ(stream, a.weight_bank.wx_kbit_per_pe == 8);
    const CompressedModel m = compress_model(make_lstm_weights(w), a);
    const BankUse u = bank_use(m.dirs, a);
    if (stream) {
      EXPECT_TRUE(u.holds_a_pass());
    } else {
      EXPECT_TRUE(u.on_chip());
    }
    EXPECT_FALSE(rtl_bank_shortfall(m, a, rtl_parameters(m, a, w, floors_of(c))));
    sets.insert(a.name + (a.memory.bytes_per_cycle == 1 ? "-b1" : "") + (stream ? "-stream" : ""));
    beyond += w.input_size > 64 || w.hidden_size > 32 || w.seq_len > 8;
    wide += w.hidden_size > 64;
    long_runs += w.seq_len > 64;
    streamed_runs += !u.on_chip();
  }
  // Case 127 of seed 20261206 first drew finnl-w4a4 with input 88 and hidden 64, bidirectional,
  // two layers: on chip for the contract, but 1,728 words a PE where the RTL's W_x banks, their
  // words widened to the pinned 6-bit index fields, hold 1,024. It comes halved.
  const RandomCase shrunk =
      random_case(SPARROW_SOURCE_DIR, 20261206, 127, CaseScope::kRtlReference);
  const ArchConfig sa = shrunk.load_arch();
  const WorkloadConfig sw = shrunk.load_workload();
  EXPECT_EQ(sa.name, "finnl-w4a4");
  EXPECT_EQ(sw.input_size, 44);
  EXPECT_EQ(sw.hidden_size, 32);
  const CompressedModel sm = compress_model(make_lstm_weights(sw), sa);
  EXPECT_FALSE(rtl_bank_shortfall(sm, sa, rtl_parameters(sm, sa, sw, floors_of(shrunk))));
  EXPECT_EQ(sets.size(), 11u);
  EXPECT_GT(beyond, 100);       // nearly all of 120
  EXPECT_GT(wide, 25);          // hidden sizes past 64 in about a third
  EXPECT_GT(long_runs, 15);     // a quarter of 120 run 65..400 steps
  EXPECT_GT(streamed_runs, 3);  // the streamed brds' larger runs stream
}

// The arguments of `sparrow run` name the shipped files and every override.
TEST(RandomCase, RunArguments) {
  const RandomCase c = random_case("/src", 3, 4);
  const std::vector<std::string> args = c.run_args();
  ASSERT_GE(args.size(), 4u);
  EXPECT_EQ(args[0], "--arch");
  EXPECT_EQ(args[1].rfind("/src/configs/arch/", 0), 0u);
  EXPECT_EQ(args[3], "/src/configs/workloads/sentiment-h128.yaml");
  EXPECT_EQ(args.size(), 4 + 2 * (c.arch.size() + c.workload.size()));
  EXPECT_EQ(regress_engines(), (std::vector<std::string>{"systemc", "rtl"}));
}

}  // namespace
}  // namespace sparrow
