// The random design points of the differential regression (apps/regress/random_case.h).
#include <gtest/gtest.h>

#include <set>

#include "regress/random_case.h"
#include "regress/regress.h"

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
