#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

#include "compress/compressor.h"
#include "test_util.h"
#include "timing/timing_model.h"
#include "workload/lstm_weights.h"

namespace sparrow {
namespace {

using Keys = std::vector<std::pair<std::string, std::string>>;

ArchConfig arch_with_keys(const Keys& keys, const std::string& name = "brds") {
  YAML::Node y = test::arch_yaml(name);
  for (const auto& [path, value] : keys) y = test::with(y, path, value);
  return parse_arch_config(y, name + ".yaml");
}

// The hand-computed cases: 2 lanes (A = 3 + 1 = 4), 8-bit activations (ab = 1, so rho = 1),
// 8-bit W_x and 6-bit W_h values, 16-bit biases (the X read carries 4H x 2 bytes); every lane
// segment of 2 columns (1 index bit) unless stated. Weight regions start at multiples of B; a
// phase starts no earlier than 2 cycles after its weights' read completes (on chip: the pass).
Keys tiny_keys(int pes, int gate_lanes, int depth, int latency, int bytes_per_cycle, int burst) {
  return {{"mac_array.pes", std::to_string(pes)},
          {"mac_array.lanes", "2"},
          {"gate_unit.lanes", std::to_string(gate_lanes)},
          {"gate_unit.pipeline_depth", std::to_string(depth)},
          {"memory.latency_cycles", std::to_string(latency)},
          {"memory.bytes_per_cycle", std::to_string(bytes_per_cycle)},
          {"memory.burst_bytes", std::to_string(burst)},
          {"compression.sx", "0"},
          {"compression.sh", "0"}};
}

Keys plus(Keys keys, const Keys& more) {
  keys.insert(keys.end(), more.begin(), more.end());
  return keys;
}

void expect_rows(const EncodedMatrix& e, int words, int word_bits) {
  for (int32_t n : e.row_words) ASSERT_EQ(n, words);
  ASSERT_EQ(e.word_bits(), word_bits);
}

void expect_array(const ArrayActivity& got, const ArrayActivity& want) {
  SCOPED_TRACE("array " + want.name);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.busy, want.busy);
  EXPECT_EQ(got.stall_memory, want.stall_memory);
  EXPECT_EQ(got.stall_recurrence, want.stall_recurrence);
  EXPECT_EQ(got.stall_gate, want.stall_gate);
  EXPECT_EQ(got.mac_slots, want.mac_slots);
  EXPECT_EQ(got.words, want.words);
  EXPECT_EQ(got.bank_bits_read, want.bank_bits_read);
  EXPECT_EQ(got.buffer_reads, want.buffer_reads);
}

// words x lanes (2) is both the MAC slots and the buffer reads.
ArrayActivity array(const std::string& name, int64_t busy, int64_t memory, int64_t recurrence,
                    int64_t gate, int64_t words, int64_t bits) {
  return {name, busy, memory, recurrence, gate, 2 * words, words, bits, 2 * words};
}

void expect_activity(const Activity& got, const Activity& want) {
  EXPECT_EQ(got.cycles, want.cycles);
  EXPECT_EQ(got.weights_on_chip, want.weights_on_chip);
  EXPECT_EQ(got.weights_loaded, want.weights_loaded);
  EXPECT_EQ(got.pass_end, want.pass_end);
  EXPECT_EQ(got.sequence_done, want.sequence_done);
  ASSERT_EQ(got.arrays.size(), want.arrays.size());
  for (size_t i = 0; i < want.arrays.size(); ++i) expect_array(got.arrays[i], want.arrays[i]);
  EXPECT_EQ(got.gate.units, want.gate.units);
  EXPECT_EQ(got.gate.lut_sigmoid, 3 * want.gate.units);
  EXPECT_EQ(got.gate.lut_tanh, 2 * want.gate.units);
  EXPECT_EQ(got.gate.cell_reads, want.gate.units);
  EXPECT_EQ(got.gate.cell_writes, want.gate.units);
  EXPECT_EQ(got.dma.read_bytes, want.dma.read_bytes);
  EXPECT_EQ(got.dma.write_bytes, want.dma.write_bytes);
  EXPECT_EQ(got.dma.bursts, want.dma.bursts);
  EXPECT_EQ(got, want);
}

// One sequence: it is done when the run is; `loaded` is S, the first pass's start.
Activity want(int64_t cycles, bool on_chip, int64_t loaded, std::vector<int64_t> pass_end,
              std::vector<ArrayActivity> arrays, int64_t units, int64_t read, int64_t written,
              int64_t bursts) {
  Activity a;
  a.cycles = cycles;
  a.weights_on_chip = on_chip;
  a.weights_loaded = loaded;
  a.pass_end = std::move(pass_end);
  a.sequence_done = {cycles};
  a.arrays = std::move(arrays);
  a.gate.units = units;
  a.gate.lut_sigmoid = 3 * units;
  a.gate.lut_tanh = 2 * units;
  a.gate.cell_reads = a.gate.cell_writes = units;
  a.dma.read_bytes = read;
  a.dma.write_bytes = written;
  a.dma.bursts = bursts;
  return a;
}

// 1 layer, input 4, H = 2, T = 2, P = 4, G = 1, D = 2, latency 10, 4 B/cycle, 8-byte bursts.
// W_x: 8 rows of 2 words (18 bits); PE p holds rows p and p + 4, so C(q) = 2 (q < 4), 4 (q >= 4):
// unit words X = [2, 4], span 4, 16 words, ceil(72 / 8) = 9 bytes a PE.
// W_h (2 columns, one per segment): 8 rows of 1 word (14 bits): unit words H = [1, 2], span 2,
// 8 words, ceil(28 / 8) = 4 bytes a PE. Bias 16 bytes. Inputs 4 bytes (1 cycle; the transposer
// takes rho I = 4 cycles), outputs 2 bytes (1 cycle).
// Weight area: W_x images at 0, 12, 24, 36 (9 bytes each), bias at 48..64, W_h images at 64, 68,
// 72, 76: W = 80; the X phase reads 0..64 (64 bytes), the H phase 64..80 (16 bytes).
const Keys kSeparate = tiny_keys(4, 1, 2, 10, 4, 8);

TEST(TimingByHand, SeparateArraysWeightsOnChip) {
  const WorkloadConfig w = test::small_workload(4, 2, 1, false, 0, 2);
  const ArchConfig arch = arch_with_keys(kSeparate);
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.dirs[0].wx, 2, 18);
  expect_rows(m.dirs[0].wh, 1, 14);
  // W = 80 bytes at 0: 20 cycles, done at 30; S = 32. x_0 read 32..33, ready 43; x_1 33..34,
  //   ready 44.
  // tau_0 = xready_0 + 1 = 44, xt_0 = 48 (the transposer is the bound).
  // X_0: s = max(f 32, xt_0 48, hdone_-2 32) = 48 (16 memory), f 52; ready X = 48 + [2, 4] + 3
  //   = [53, 55]. H_0: s = 32, f 34; ready H = 32 + [1, 2] + 3 = [36, 37].
  //   e = [53, max(55, 53, 53 + 1) = 55]; hdone_0 = 55 + 2 + 1 = 58; written 58..59, ack 69.
  // tau_1 = max(xready_1 + 1 = 45, tau_0 + 4 = 48) = 48 (the previous x), xt_1 = 52.
  // X_1: s = max(f 52, xt_1 52, hdone_-1 32) = 52, f 56; ready X = [57, 59].
  // H_1: s = max(f 34, hdone_0 58) = 58 (24 recurrence), f 60; ready H = [62, 63].
  //   e = [62, max(63, 62, 63) = 63]; hdone_1 = 66 = pass end; written 66..67, ack 77 = done.
  // Bursts: ceil(80 / 8) = 10, inputs 2, outputs 2.
  expect_activity(evaluate_timing(m, arch, w), want(77, true, 32, {66},
                                                    {array("wx", 8, 16, 0, 0, 32, 32 * 18),
                                                     array("wh", 4, 0, 24, 0, 16, 16 * 14)},
                                                    4, 80 + 8, 4, 14));
}

TEST(TimingByHand, ABatchOfTwoFillsTheRecurrence) {
  // The design of SeparateArraysWeightsOnChip, T = 1, one batch of 2 sequences: batch steps
  // v = 0, 1, and H_1 (sequence 1's first step) does not wait for hdone_0.
  WorkloadConfig w = test::small_workload(4, 2, 1, false, 0, 1);
  w.sequences = w.batch = 2;
  const ArchConfig arch = arch_with_keys(kSeparate);
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  // S = 32 as there; x of v = 0 ready 43, of v = 1 44; xt_0 = 48, xt_1 = 52.
  // X_0: s = 48 (16 memory), f 52, ready X = [53, 55]. H_0: s = 32, f 34, ready H = [36, 37].
  //   e = [53, 55]; hdone_0 = 58, written 58..59.
  // H_1: s = max(f 34, hdone_{1-2}: the pass start) = 34 (no stall), f 36; ready H = [38, 39].
  // X_1: s = max(f 52, xt_1 52) = 52, f 56; ready X = [57, 59]. The gate unit goes on from
  //   step 0's e = 55, a step's first unit a cycle after the previous step's last:
  //   e = [max(57, 55 + 1) = 57, max(59, 57, 58) = 59]; hdone_1 = 62 =
  //   pass end, written 62..63, ack 73 = done, both sequences' c_k.
  Activity a = want(73, true, 32, {62},
                    {array("wx", 8, 16, 0, 0, 32, 32 * 18), array("wh", 4, 0, 0, 0, 16, 16 * 14)},
                    4, 80 + 8, 4, 14);
  a.sequence_done = {73, 73};
  expect_activity(evaluate_timing(m, arch, w), a);
}

TEST(TimingByHand, SeparateArraysStreamedWeights) {
  const WorkloadConfig w = test::small_workload(4, 2, 1, false, 0, 2);
  const ArchConfig arch = arch_with_keys(plus(kSeparate, {{"weight_bank.wx_kbit_per_pe", "0"}}));
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.dirs[0].wx, 2, 18);
  expect_rows(m.dirs[0].wh, 1, 14);
  // S = 0. At 0, in order: W_x and bias for X_0 (64 B, with the padding) 0..16, done 26, in the
  //   banks at 28; W_h for H_0 (16 B) 16..20, done 30, in at 32; x_0 20..21, ready 31; x_1
  //   21..22, ready 32.
  // H_0: s = max(weights 32, S 0) = 32 (32 memory), f 34; requests W_h for H_1 at 32: 32..36,
  //   done 46, in at 48.
  // tau_0 = 32, xt_0 = 36. X_0: s = max(xt_0 36, weights 28) = 36 (36 memory), f 40; requests W_x
  //   for X_1 at 36: 36..52, done 62, in at 64.
  // Step 0: ready X = 36 + [5, 7], ready H = 32 + [4, 5]; e = [41, 43]; hdone_0 = 46, written
  //   46..47 (ack 57).
  // H_1: s = max(f 34, weights 48, hdone_0 46) = 48 (14 memory), f 50; ready H = [52, 53].
  // tau_1 = max(33, 36) = 36, xt_1 = 40. X_1: s = max(f 40, xt_1 40, weights 64) = 64 (24
  //   memory), f 68; ready X = [69, 71]. e = [69, 71]; hdone_1 = 74 = pass end; written 74..75,
  //   ack 85 = done.
  // Reads: 2 x (64 + 16) + 8 = 168 bytes; bursts 2 x (8 + 2) + 2 + 2 = 24.
  expect_activity(evaluate_timing(m, arch, w), want(85, false, 0, {74},
                                                    {array("wx", 8, 60, 0, 0, 32, 32 * 18),
                                                     array("wh", 4, 46, 0, 0, 16, 16 * 14)},
                                                    4, 168, 4, 24));
}

TEST(TimingByHand, TiedDependenciesStallOnMemoryFirst) {
  // kSeparate with s_x = 0.5, T = 3. W_x (k = 1): 8 rows of 1 word (18 bits): unit words [1, 2],
  // span 2, 5 bytes a PE; W_h 4 bytes a PE; bias 16 bytes. Regions: W_x at 0, 8, 16, 24, bias
  // 32..48, W_h at 48, 52, 56, 60: W = 64 bytes.
  const WorkloadConfig w = test::small_workload(4, 2, 1, false, 0, 3);
  const ArchConfig arch = arch_with_keys(plus(kSeparate, {{"compression.sx", "0.5"}}));
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.dirs[0].wx, 1, 18);
  expect_rows(m.dirs[0].wh, 1, 14);
  // W: 0..16, done 26; S = 28. x_t read 28+t..29+t, ready 39, 40, 41.
  // tau_0 = 40, xt_0 = 44. X_0: s = 44 (16 memory), f 46; ready X = [48, 49]. H_0: s = 28, f 30;
  //   ready H = [32, 33]. e = [48, 49]; hdone_0 = 49 + 2 + 1 = 52; written 52..53, ack 63.
  // tau_1 = max(41, 44) = 44, xt_1 = 48. X_1: s = 48 (2 memory), f 50.
  // H_1: s = 52 (22 recurrence), f 54; ready H = [56, 57]; hdone_1 = 60; written 60..61, ack 71.
  // tau_2 = max(42, 48, f_X0 46) = 48, xt_2 = 52. X_2: s = max(f 50, xt_2 52, hdone_0 52) = 52:
  //   memory and gate tie, the 2 cycles are memory. f 54.
  // H_2: s = 60 (6 recurrence); ready H = [64, 65]; hdone_2 = 68; written 68..69, ack 79 = done.
  // Bursts: ceil(64 / 8) = 8, inputs 3, outputs 3.
  expect_activity(evaluate_timing(m, arch, w), want(79, true, 28, {68},
                                                    {array("wx", 6, 20, 0, 0, 24, 24 * 18),
                                                     array("wh", 6, 0, 28, 0, 24, 24 * 14)},
                                                    6, 64 + 12, 6, 14));
}

TEST(TimingByHand, SharedArrayWeightsOnChip) {
  // 1 layer, input 4, H = 3, T = 2, one shared array of P = 16 PEs (one row each, so C(q) is the
  // row's words), G = 2, D = 1, latency 5, 8 B/cycle, 16-byte bursts, s_h = 0.5.
  // W_x: 12 rows of 2 words (18 bits): unit words [2, 2, 2], span 2, 24 words, ceil(36 / 8) = 5
  //   bytes on each of PEs 0..11 (PEs 12..15 have no rows: no space). W_h (3 columns: segments of
  //   2, k = 1): 12 rows of 1 word (14 bits): unit words [1, 1, 1], span 1, 12 words, 2 bytes a
  //   PE. Bias 24 bytes. Regions at multiples of 8: W_x at 0, 8, .., 88 (ends 93), bias 96..120,
  //   W_h at 120, 128, .., 208 (ends 210): W = 210 bytes.
  const WorkloadConfig w = test::small_workload(4, 3, 1, false, 0, 2);
  const ArchConfig arch = arch_with_keys(plus(
      tiny_keys(16, 2, 1, 5, 8, 16), {{"mac_array.shared", "true"}, {"compression.sh", "0.5"}}));
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.dirs[0].wx, 2, 18);
  expect_rows(m.dirs[0].wh, 1, 14);
  // W: 0..27, done 32; S = 34. x_0 34..35, ready 40; x_1 35..36, ready 41.
  // tau_0 = 41, xt_0 = 45. X_0: s = 45 (11 memory), f 47. H_0: s = 47, f 48.
  //   ready_u = max(45 + 2, 47 + 1) + 3 = 51 for all u; e = [51, 51, 51 + 1] (G = 2);
  //   hdone_0 = 52 + 1 + 1 = 54, written 54..55, ack 60.
  // tau_1 = max(42, 41 + 4) = 45, xt_1 = 49. X_1: s = max(f 48, xt_1 49, hdone_-1 34) = 49 (1
  //   memory), f 51.
  // H_1: s = max(f 51, hdone_0 54) = 54 (3 recurrence), f 55.
  //   ready_u = max(49 + 2, 54 + 1) + 3 = 58; e = [58, 58, 59]; hdone_1 = 61; written 61..62,
  //   ack 67 = done.
  // Bursts: ceil(210 / 16) = 14, inputs 2, outputs 2.
  expect_activity(evaluate_timing(m, arch, w),
                  want(67, true, 34, {61}, {array("shared", 6, 12, 3, 0, 72, 48 * 18 + 24 * 14)}, 6,
                       210 + 8, 6, 18));
}

TEST(TimingByHand, ProjectionSeparateArrays) {
  // kSeparate with H = 2, proj_size 1, T = 3. W_x as in SeparateArraysWeightsOnChip (9 bytes a
  // PE). W_h (1 column, padded to 2): 8 rows of 1 word (14 bits), unit words [1, 2], 4 bytes a PE.
  // W_r: 1 row of 1 word on PE 0: span 1, 2 bytes. Bias 16 bytes. Regions: W_x and bias as in
  // SeparateArraysWeightsOnChip (0..64), W_h 64..80, W_r 80..82: W = 82 bytes. Outputs 1 byte.
  const WorkloadConfig w = test::small_workload(4, 2, 1, false, 1, 3);
  const ArchConfig arch = arch_with_keys(kSeparate);
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.dirs[0].wx, 2, 18);
  expect_rows(m.dirs[0].wh, 1, 14);
  expect_rows(m.dirs[0].wr, 1, 14);
  ASSERT_EQ(m.dirs[0].wr.rows, 1);
  // W: 0..21, done 31; S = 33. x_t read 33+t..34+t, ready 44, 45, 46.
  // tau_0 = 45, xt_0 = 49. X_0: s = 49 (16 memory), f 53; ready X = [54, 56]. H_0: s = 33, f 35;
  //   ready H = [37, 38]. e = [54, 56]; udone_0 = 59.
  // R_0: s = 59 (24 recurrence), f 60; hdone_0 = 59 + 1 + 3 + 2 = 65; written 65..66, ack 76.
  // tau_1 = max(46, 49) = 49, xt_1 = 53. X_1: s = 53, f 57; ready X = [58, 60].
  // H_1: s = max(f 60, hdone_0 65) = 65 (5), f 67; ready H = [69, 70]; e = [69, 70];
  //   udone_1 = 73. R_1: s = 73 (6 recurrence), f 74; hdone_1 = 79; written 79..80, ack 90.
  // tau_2 = max(47, 53, f_X0 53) = 53, xt_2 = 57. X_2: s = max(f 57, xt_2 57, hdone_0 65) = 65
  //   (8 gate), f 69; ready X = [70, 72].
  // H_2: s = max(f 74, hdone_1 79) = 79 (5), f 81; ready H = [83, 84]; e = [83, 84];
  //   udone_2 = 87. R_2: s = 87 (6), f 88; hdone_2 = 93 = pass end; written 93..94, ack 104.
  // Bursts: ceil(82 / 8) = 11, inputs 3, outputs 3.
  expect_activity(evaluate_timing(m, arch, w), want(104, true, 33, {93},
                                                    {array("wx", 12, 16, 0, 8, 48, 48 * 18),
                                                     array("wh", 9, 0, 46, 0, 27, 27 * 14)},
                                                    6, 82 + 12, 3, 17));
}

TEST(TimingByHand, BidirectionalTwoLayersStreamed) {
  // 2 layers, bidirectional, input 6, H = 1, T = 1, P = 4, G = 1, D = 1, latency 3, 2 B/cycle,
  // 4-byte bursts, weights streamed. One row per PE, so unit words = span = the row's words.
  // Layer 0 W_x (segments of 3, 2 index bits): 4 rows of 3 words (20 bits): 8 bytes a PE; with
  // the bias (8 bytes) the X phase reads 40 bytes. Layer 1 W_x (input 2): 4 rows of 1 word (18
  // bits): 3 bytes a PE, at offsets 0, 4, 8, 12 of the pass's X regions, bias 16..24: the X phase
  // reads 24 bytes. W_h: 4 rows of 1 word (14 bits): 2 bytes a PE, 8 bytes. Inputs 6 / 2 bytes
  // (the transposer takes 6 / 2 cycles), outputs 1 byte. Weights are in the banks 2 cycles after
  // their read completes.
  const WorkloadConfig w = test::small_workload(6, 1, 2, true, 0, 1);
  const ArchConfig arch =
      arch_with_keys(plus(tiny_keys(4, 1, 1, 3, 2, 4), {{"weight_bank.wh_kbit_per_pe", "0"}}));
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.at(0, 1).wx, 3, 20);
  expect_rows(m.at(1, 0).wx, 1, 18);
  expect_rows(m.at(1, 1).wh, 1, 14);
  // Pass 0 (S 0): W_x + bias 0..20 done 23 (in 25), W_h 20..24 done 27 (in 29), x 24..27 done 30.
  //   tau = 31, xt = 37. X: s = 37 (37 memory), ready 37 + 3 + 3 = 43. H: s = 29 (29 memory),
  //   ready 33. hdone = 43 + 1 + 1 = 45; written 45..46, ack 49.
  // Pass 1 (S 45): W_x 45..65 done 68 (in 70), W_h 65..69 done 72 (in 74), x 69..72 done 75.
  //   xt = 76 + 6 = 82. X: s = 82 (37), ready 88. H: s = 74 (29). hdone 90; written 90..91, ack 94.
  // Pass 2 (layer 1: the fence waits for pass 1's write, S 94): W_x 94..106 done 109 (in 111),
  //   W_h 106..110 done 113 (in 115), x 110..111 done 114. xt = 115 + 2 = 117. X: s = 117 (23),
  //   ready 117 + 1 + 3 = 121. H: s = 115 (21), ready 119. hdone 123; written 123..124, ack 127.
  // Pass 3 (S 123): W_x 123..135 done 138 (in 140), W_h 135..139 done 142 (in 144), x 139..140
  //   done 143. xt = 144 + 2 = 146. X: s = 146 (23), ready 150. H: s = 144 (21). hdone 152;
  //   written 152..153, ack 156 = done.
  // Reads 2 x (40 + 8 + 6) + 2 x (24 + 8 + 2) = 176; bursts 2 x (10 + 2 + 2) + 2 x (6 + 2 + 1) + 4.
  expect_activity(evaluate_timing(m, arch, w),
                  want(156, false, 0, {45, 90, 123, 152},
                       {array("wx", 8, 120, 0, 0, 32, 24 * 20 + 8 * 18),
                        array("wh", 4, 100, 0, 0, 16, 16 * 14)},
                       4, 176, 4, 50));
}

TEST(TimingByHand, TransposerTakesOneXAfterAnother) {
  // kSeparate with 8 B/cycle, input 8, s_x = 0.75, T = 2: the transposer (rho I = 8 cycles an x)
  // bounds X_0 by xready_0 + 1 + I and X_1 by the x before it. W_x (segments of 4, 2 index bits,
  // k = 1): 8 rows of 1 word (20 bits): unit words [1, 2], span 2, 5 bytes a PE. W_h 4 bytes a PE,
  // bias 16 bytes. Regions: W_x at 0, 8, 16, 24, bias 32..48, W_h at 48, 56, 64, 72: W = 76.
  const WorkloadConfig w = test::small_workload(8, 2, 1, false, 0, 2);
  const ArchConfig arch = arch_with_keys(
      plus(kSeparate, {{"memory.bytes_per_cycle", "8"}, {"compression.sx", "0.75"}}));
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.dirs[0].wx, 1, 20);
  expect_rows(m.dirs[0].wh, 1, 14);
  // W: 0..10, done 20; S = 22. x_0 22..23, ready 33; x_1 23..24, ready 34.
  // tau_0 = 34, xt_0 = 42. X_0: s = 42 (20 memory), f 44; ready X = [46, 47]. H_0: s = 22, f 24.
  //   e = [46, 47]; hdone_0 = 50; written 50..51, ack 61.
  // tau_1 = max(xready_1 + 1 = 35, tau_0 + 8 = 42) = 42, xt_1 = 50. X_1: s = max(f 44, xt_1 50)
  //   = 50 (6 memory), f 52; ready X = [54, 55].
  // H_1: s = 50 (26 recurrence), f 52; ready H = [54, 55]. e = [54, 55]; hdone_1 = 58 = pass end;
  //   written 58..59, ack 69 = done.
  // Bursts: ceil(76 / 8) = 10, inputs 2, outputs 2.
  expect_activity(evaluate_timing(m, arch, w), want(69, true, 22, {58},
                                                    {array("wx", 4, 26, 0, 0, 16, 16 * 20),
                                                     array("wh", 4, 0, 26, 0, 16, 16 * 14)},
                                                    4, 76 + 16, 4, 14));
}

TEST(TimingByHand, TransposerAtTwoCyclesPerValue) {
  // 16-bit activations (ab = 2) on 1-byte beats: rho = 2. P = 4, G = 1, D = 1, latency 2, input
  // 4, H = 1, T = 2. W_x: 4 rows of 2 words (18 bits), one a PE: span 2, 5 bytes a PE; W_h: 4 rows
  // of 1 word (14 bits): span 1, 2 bytes a PE; bias 8 bytes. With B = 1 no padding: W = 36.
  // Inputs 8 bytes (8 cycles); the transposer takes rho I = 8 cycles; outputs 2 bytes.
  const WorkloadConfig w = test::small_workload(4, 1, 1, false, 0, 2);
  const ArchConfig arch =
      arch_with_keys(plus(tiny_keys(4, 1, 1, 2, 1, 8), {{"arith.act", "{bits: 16, frac: 6}"}}));
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.dirs[0].wx, 2, 18);
  expect_rows(m.dirs[0].wh, 1, 14);
  // W: 0..36, done 38; S = 40. x_0 40..48, ready 50; x_1 48..56, ready 58.
  // tau_0 = 51, xt_0 = 51 + 2 x 4 = 59. X_0: s = 59 (19 memory), f 61; ready X = 59 + 2 + 3 = 64.
  //   H_0: s = 40, f 41. e = 64; hdone_0 = 66; written 66..68, ack 70.
  // tau_1 = max(59, 51 + 8) = 59, xt_1 = 67. X_1: s = 67 (6 memory), f 69; ready X = 72.
  // H_1: s = 66 (25 recurrence), f 67; ready H = 70. e = 72; hdone_1 = 74 = pass end; written
  //   74..76, ack 78 = done.
  // Bursts: ceil(36 / 8) = 5, inputs 2, outputs 2.
  expect_activity(evaluate_timing(m, arch, w),
                  want(78, true, 40, {74},
                       {array("wx", 4, 25, 0, 0, 16, 16 * 18), array("wh", 2, 0, 25, 0, 8, 8 * 14)},
                       2, 36 + 16, 4, 9));
}

TEST(TimingByHand, TransposerWaitsForTheSlotOfXtMinus2) {
  // x_t takes the operand slot of x_{t-2}: once, the transposer waits for X_{t-2} to finish
  // issuing (tau_3 = f_X1), and the delay shows at X_6. P = 2, G = 1, D = 1, latency 0, 8 B/cycle,
  // streamed weights, s_x = s_h = 0.5, input 10, H = 1, T = 9: rho I = 10.
  // W_x (segments of 5, 3 index bits, k = 3): 4 rows of 3 words (22 bits), rows q and q + 2 on PE
  // q: unit words 6, span 6, 17 bytes a PE. W_h (1 column): 4 rows of 1 word (14 bits): unit words
  // 2, span 2, 4 bytes a PE. Bias 8 bytes. Regions: W_x at 0, 24, bias 48..56, W_h at 56, 64: the
  // X phase reads 56 bytes (7 cycles), the H phase 12 (2 cycles). Inputs 10 bytes (2 cycles).
  // ready X = s + 6 + 3, ready H = s + 2 + 3; X is the later in every step, so hdone_t = ready
  // X_t + 2.
  const WorkloadConfig w = test::small_workload(10, 1, 1, false, 0, 9);
  const ArchConfig arch = arch_with_keys(plus(
      tiny_keys(2, 1, 1, 0, 8, 8),
      {{"compression.sx", "0.5"}, {"compression.sh", "0.5"}, {"weight_bank.wx_kbit_per_pe", "0"}}));
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  expect_rows(m.dirs[0].wx, 3, 22);
  expect_rows(m.dirs[0].wh, 1, 14);
  // At 0: W_x 0..7 (in the banks at 9), W_h 7..9 (in 11), x_t 9+2t..11+2t, ready 11 + 2t.
  // tau_0 = 12, xt_0 = 22. H_0: s = 11 (11 memory), f 13; W_h for H_1 27..29 (in 31).
  // X_0: s = 22 (22 memory), f 28; W_x for X_1 29..36 (in 38). hdone_0 = 31 + 2 = 33.
  // tau_1 = 22, xt_1 = 32. H_1: s = hdone_0 33 (20 recurrence), f 35; W_h 36..38 (in 40).
  //   X_1: s = 38 (10 memory), f 44; W_x 38..45 (in 47). hdone_1 = 47 + 2 = 49.
  // tau_2 = max(16, 32, f_X0 28) = 32, xt_2 = 42. X_2: s = max(f 44, xt 42, in 47) = 47 (3),
  //   f 53; W_x 47..54 (in 56). H_2: s = hdone_1 49 (14 recurrence), f 51; W_h 54..56 (in 58).
  //   hdone_2 = 56 + 2 = 58.
  // tau_3 = max(18, 32 + 10, f_X1 44) = 44 (the slot), xt_3 = 54. X_3: s = in 56 (3), f 62;
  //   W_x 56..63 (in 65). H_3: s = max(in 58, hdone_2 58) = 58 (7 memory), f 60; W_h 63..65
  //   (in 67). hdone_3 = 65 + 2 = 67.
  // tau_4 = max(20, 54, f_X2 53) = 54, xt_4 = 64. X_4: s = in 65 (3), f 71; W_x 65..72 (in 74).
  //   H_4: s = 67 (7 memory), f 69; W_h 72..74 (in 76). hdone_4 = 74 + 2 = 76.
  // tau_5 = max(22, 64, f_X3 62) = 64, xt_5 = 74. X_5: s = 74 (3), f 80; W_x 74..81 (in 83).
  //   H_5: s = 76 (7 memory), f 78; W_h 81..83 (in 85). hdone_5 = 83 + 2 = 85.
  // tau_6 = max(24, 74, f_X4 71) = 74, xt_6 = 84. X_6: s = max(f 80, xt 84, in 83, hdone_4 76)
  //   = 84 (4 memory; 83 without the wait for the slot), f 90; W_x 84..91 (in 93).
  //   H_6: s = 85 (7 memory), f 87; W_h 91..93 (in 95). hdone_6 = 93 + 2 = 95.
  // tau_7 = 84, xt_7 = 94. X_7: s = 94 (4), f 100; W_x 94..101 (in 103). H_7: s = 95 (8 memory),
  //   f 97; W_h 101..103 (in 105). hdone_7 = 103 + 2 = 105.
  // tau_8 = 94, xt_8 = 104. X_8: s = 104 (4), f 110. H_8: s = 105 (8 memory), f 107.
  //   hdone_8 = 113 + 2 = 115 = pass end; written 115..116, ack 116 = done.
  // Stalls: X memory 22 + 10 + 4 x 3 + 3 x 4 = 56; H memory 11 + 4 x 7 + 2 x 8 = 55, recurrence
  // 20 + 14 = 34. Reads 9 x (56 + 12 + 10) = 702; bursts 9 x (7 + 2 + 2) + 9 outputs = 108.
  expect_activity(evaluate_timing(m, arch, w), want(116, false, 0, {115},
                                                    {array("wx", 54, 56, 0, 0, 108, 108 * 22),
                                                     array("wh", 18, 55, 34, 0, 36, 36 * 14)},
                                                    9, 702, 9, 108));
}

// ---- Properties on the shipped architectures.

struct Case {
  ArchConfig arch;
  WorkloadConfig w;
  CompressedModel m;
  Activity a;
};

Case run_case(const ArchConfig& arch, const WorkloadConfig& w) {
  Case c{arch, w, compress_model(random_lstm_weights(w), arch), {}};
  c.a = evaluate_timing(c.m, c.arch, c.w);
  return c;
}

// A batch of `b` sequences (one batch: the cycle-stepped reading below runs one).
WorkloadConfig batched(WorkloadConfig w, int b) {
  w.sequences = w.batch = b;
  return w;
}

std::vector<WorkloadConfig> workloads() {
  return {test::small_workload(20, 12, 1, false, 0, 5),
          test::small_workload(9, 16, 2, true, 0, 4),
          test::small_workload(13, 10, 2, false, 6, 6),
          test::small_workload(7, 8, 1, true, 3, 3),
          batched(test::small_workload(20, 12, 1, false, 0, 5), 3),
          batched(test::small_workload(9, 16, 2, true, 0, 2), 2),
          batched(test::small_workload(13, 10, 2, false, 6, 3), 4)};
}

std::vector<ArchConfig> archs() {
  std::vector<ArchConfig> out;
  for (const char* name : {"brds", "brds-pwl16", "finnl-w4a4", "binarized", "baseline-single-ratio",
                           "baseline-unstructured"}) {
    out.push_back(test::arch(name));
    out.push_back(test::arch_with("weight_bank.wh_kbit_per_pe", "0", name));
  }
  // Arrays of their own sizes (fewer lanes on W_x: another A and other lane segments).
  ArchConfig sized =
      test::arch_with("mac_array", "{wx: {pes: 3, lanes: 2}, wh: {pes: 8, lanes: 4}}");
  out.push_back(sized);
  sized.weight_bank.wh_kbit_per_pe = 0;
  out.push_back(sized);
  // X phases blocked per W_x fetch: 3 steps (a partial last block at T = 5), on chip and streamed.
  ArchConfig blocked = test::arch_with("mac_array.x_block", "3");
  out.push_back(blocked);
  blocked.weight_bank.wx_kbit_per_pe = 0;
  out.push_back(blocked);
  return out;
}

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// PE p's bank image in bytes (docs/format.md, "Bank images"): a row-length entry (rows that
// differ) and a row-scale entry (binarized) per row, each in whole bytes, then the words.
int64_t image_bytes(const EncodedMatrix& e, int p, int scale_bits) {
  int64_t rows = 0, words = 0, longest = 0, entry = 0;
  for (int q = p; q < e.rows; q += e.pes, ++rows) words += e.row_words[size_t(q)];
  for (int32_t n : e.row_words) longest = std::max<int64_t>(longest, n);
  if (e.words_per_row < 0) {
    int bits = 1;
    while ((int64_t{1} << bits) < longest + 1) ++bits;
    entry += ceil_div(bits, 8);
  }
  if (e.binarized) entry += ceil_div(scale_bits, 8);
  return rows * entry + ceil_div(words * e.word_bits(), 8);
}

// The weight area (docs/timing.md, "Weights"): pass by pass the W_x images, the bias, the W_h
// and the W_r images, every region of nonzero size at the next multiple of B. `phase` holds the
// bytes of each phase's weight read (X, H, R: first region to end of last), `total` W.
struct RefLayout {
  std::vector<std::array<int64_t, 3>> phase;
  int64_t total = 0;
};

RefLayout ref_layout(const CompressedModel& m, const ArchConfig& arch) {
  const int64_t B = arch.memory.bytes_per_cycle, sb = arch.arith.scale.bits;
  RefLayout r;
  for (const CompressedDirection& d : m.dirs) {
    std::array<int64_t, 3> phase = {0, 0, 0};
    const std::array<const EncodedMatrix*, 3> mats = {&d.wx, &d.wh, &d.wr};
    for (size_t k = 0; k < 3; ++k) {
      std::vector<int64_t> regions;
      for (int p = 0; p < mats[k]->pes && mats[k]->rows > 0; ++p)
        regions.push_back(image_bytes(*mats[k], p, int(sb)));
      if (k == 0) regions.push_back(int64_t(d.bias.size()) * ceil_div(arch.arith.bias.bits, 8));
      int64_t first = -1;
      for (int64_t n : regions) {
        if (n == 0) continue;
        const int64_t at = ceil_div(r.total, B) * B;
        if (first < 0) first = at;
        r.total = at + n;
      }
      if (first >= 0) phase[k] = r.total - first;
    }
    r.phase.push_back(phase);
  }
  return r;
}

int64_t row_words(const EncodedMatrix& e) {
  int64_t n = 0;
  for (int32_t r : e.row_words) n += r;
  return n;
}

TEST(TimingProperties, CountersEqualClosedForms) {
  for (const ArchConfig& arch : archs()) {
    for (const WorkloadConfig& w : workloads()) {
      const Case c = run_case(arch, w);
      SCOPED_TRACE(arch.name + (c.a.weights_on_chip ? " on chip" : " streamed") + ", H " +
                   std::to_string(w.hidden_size) + " proj " + std::to_string(w.proj_size) +
                   " batch " + std::to_string(w.batch));
      // V: a pass's batch steps; streamed weights are read T times (W_x once a block).
      const int64_t passes = w.layers * w.directions(), T = w.seq_len, V = w.batch * T;
      const int64_t ab = ceil_div(arch.arith.act.bits, 8);
      const int64_t lanes = arch.mac_array.wx.lanes, hlanes = arch.mac_array.wh.lanes;
      EXPECT_EQ(c.a.gate.units, passes * V * w.hidden_size);
      EXPECT_EQ(c.a.gate.lut_sigmoid, 3 * c.a.gate.units);
      EXPECT_EQ(c.a.gate.lut_tanh, 2 * c.a.gate.units);
      EXPECT_EQ(c.a.gate.cell_reads, c.a.gate.units);
      EXPECT_EQ(c.a.gate.cell_writes, c.a.gate.units);
      ASSERT_EQ(c.a.pass_end.size(), size_t(passes));
      EXPECT_TRUE(std::is_sorted(c.a.pass_end.begin(), c.a.pass_end.end()));
      const int64_t out_bytes = int64_t{w.state_size()} * ab;
      EXPECT_GE(c.a.cycles, c.a.pass_end.back() + ceil_div(out_bytes, arch.memory.bytes_per_cycle) +
                                arch.memory.latency_cycles);

      const RefLayout layout = ref_layout(c.m, arch);
      int64_t x_words = 0, x_bits = 0, h_words = 0, h_bits = 0, weight_bytes = 0, input_bytes = 0;
      int64_t weight_bursts = 0, input_bursts = 0;
      const int64_t burst = arch.memory.burst_bytes;
      for (int l = 0; l < w.layers; ++l) {
        for (int d = 0; d < w.directions(); ++d) {
          const CompressedDirection& cd = c.m.at(l, d);
          x_words += V * row_words(cd.wx);
          x_bits += V * row_words(cd.wx) * cd.wx.word_bits();
          h_words += V * (row_words(cd.wh) + row_words(cd.wr));
          h_bits +=
              V * (row_words(cd.wh) * cd.wh.word_bits() + row_words(cd.wr) * cd.wr.word_bits());
          // Streamed: W_x once per block of x_block steps, W_h and W_r every step, each read
          // once for the batch.
          const std::array<int64_t, 3>& ph = layout.phase[size_t(l * w.directions() + d)];
          const int64_t blocks = ceil_div(T, arch.mac_array.x_block);
          for (size_t k = 0; k < 3; ++k) {
            weight_bytes += (k == 0 ? blocks : T) * ph[k];
            weight_bursts += (k == 0 ? blocks : T) * ceil_div(ph[k], burst);
          }
          input_bytes += V * w.layer_input_size(l) * ab;
          input_bursts += V * ceil_div(w.layer_input_size(l) * ab, burst);
        }
      }
      if (c.a.weights_on_chip) {
        EXPECT_EQ(c.a.dma.read_bytes, layout.total + input_bytes);
        EXPECT_EQ(c.a.dma.bursts, ceil_div(layout.total, burst) + input_bursts +
                                      passes * V * ceil_div(out_bytes, burst));
      } else {
        EXPECT_EQ(c.a.dma.read_bytes, weight_bytes + input_bytes);
        EXPECT_EQ(c.a.dma.bursts,
                  weight_bursts + input_bursts + passes * V * ceil_div(out_bytes, burst));
      }
      EXPECT_EQ(c.a.dma.write_bytes, passes * V * out_bytes);

      std::vector<ArrayActivity> want;
      if (arch.mac_array.shared)
        want = {{"shared", 0, 0, 0, 0, (x_words + h_words) * lanes, x_words + h_words,
                 x_bits + h_bits, (x_words + h_words) * lanes}};
      else
        want = {{"wx", 0, 0, 0, 0, x_words * lanes, x_words, x_bits, x_words * lanes},
                {"wh", 0, 0, 0, 0, h_words * hlanes, h_words, h_bits, h_words * hlanes}};
      ASSERT_EQ(c.a.arrays.size(), want.size());
      for (size_t i = 0; i < want.size(); ++i) {
        const ArrayActivity& got = c.a.arrays[i];
        EXPECT_EQ(got.name, want[i].name);
        EXPECT_EQ(got.mac_slots, want[i].mac_slots);
        EXPECT_EQ(got.words, want[i].words);
        EXPECT_EQ(got.bank_bits_read, want[i].bank_bits_read);
        EXPECT_EQ(got.buffer_reads, want[i].buffer_reads);
        EXPECT_GT(got.busy, 0);
        EXPECT_LE(got.busy + got.stall_memory + got.stall_recurrence + got.stall_gate, c.a.cycles);
      }
    }
  }
}

// ---- A second reading of the contract: cycle by cycle, each cycle's read requests served in the
// contract's order at the end of the cycle, the input transposer starting an x_t in the first cycle
// it may. Slow, so only for small runs.

struct RefMatrix {
  std::vector<int64_t> c;  // C(q) of each hardware row
  int64_t span = 0;
  int64_t bytes = 0;
};

RefMatrix ref_matrix(const EncodedMatrix& e, int64_t bytes) {
  RefMatrix r;
  std::vector<int64_t> pe(size_t(e.pes), 0);
  for (int q = 0; q < e.rows; ++q) r.c.push_back(pe[size_t(q % e.pes)] += e.row_words[size_t(q)]);
  r.span = e.rows > 0 ? *std::max_element(pe.begin(), pe.end()) : 0;
  r.bytes = bytes;
  return r;
}

struct RefTransfer {
  int kind;  // 0 X, 1 H, 2 R weights, 3 input
  int64_t seq, bytes;
  int64_t* done;
};

Activity reference_timing(const CompressedModel& m, const ArchConfig& arch,
                          const WorkloadConfig& w) {
  const MemoryConfig& mem = arch.memory;
  // One batch of B sequences: a pass has T = B seq_len batch steps, t = step B + sequence.
  const int B = w.batch, T = w.seq_len * B, G = arch.gate_unit.lanes,
            D = arch.gate_unit.pipeline_depth;
  // A per array: 3 + ceil(log2 L) of its lanes.
  auto latency = [](int lanes) {
    int64_t a = 3;
    while ((1 << (a - 3)) < lanes) ++a;
    return a;
  };
  const int64_t Ax = latency(arch.mac_array.wx.lanes), Ah = latency(arch.mac_array.wh.lanes);
  const int64_t ab = ceil_div(arch.arith.act.bits, 8), out_bytes = w.state_size() * ab;
  const bool proj = w.proj_size > 0, shared = arch.mac_array.shared;
  const BankUse banks = compression_stats(m, arch).banks;
  Activity act;
  act.weights_on_chip = banks.wx_fits() && banks.wh_fits();
  act.arrays =
      shared ? std::vector<ArrayActivity>{{"shared"}} : std::vector<ArrayActivity>{{"wx"}, {"wh"}};
  std::vector<std::vector<std::pair<int, int>>> order(act.arrays.size());  // (kind, step)
  for (int t = 0; t < T; ++t) {
    if (shared) {
      order[0].push_back({0, t});
      if (proj && t > 0) order[0].push_back({2, t - 1});
      order[0].push_back({1, t});
      if (proj && t == T - 1) order[0].push_back({2, t});
    } else {
      order[0].push_back({0, t});
      order[1].push_back({1, t});
      if (proj) order[1].push_back({2, t});
    }
  }
  int64_t read_free = 0, write_free = 0, last_write = 0, start = 0, seq = 0;
  auto serve = [&](int64_t c, std::vector<RefTransfer>& reqs) {
    std::stable_sort(reqs.begin(), reqs.end(), [](const RefTransfer& a, const RefTransfer& b) {
      return std::tie(a.kind, a.seq) < std::tie(b.kind, b.seq);
    });
    for (const RefTransfer& r : reqs) {
      read_free = std::max(c, read_free) + ceil_div(r.bytes, mem.bytes_per_cycle);
      *r.done = read_free + mem.latency_cycles;
      act.dma.read_bytes += r.bytes;
      act.dma.bursts += ceil_div(r.bytes, mem.burst_bytes);
    }
    reqs.clear();
  };
  std::vector<RefTransfer> reqs;
  std::vector<std::array<RefMatrix, 3>> mats;
  const RefLayout layout = ref_layout(m, arch);
  for (size_t i = 0; i < m.dirs.size(); ++i) {
    const CompressedDirection& d = m.dirs[i];
    mats.push_back({ref_matrix(d.wx, layout.phase[i][0]), ref_matrix(d.wh, layout.phase[i][1]),
                    ref_matrix(d.wr, layout.phase[i][2])});
  }
  int64_t loaded = -1;
  if (act.weights_on_chip) {
    reqs.push_back({0, 0, layout.total, &loaded});
    serve(0, reqs);
    start = loaded + 2;  // the load unit writes a beat into the banks 2 cycles after it arrives
  }
  for (int l = 0; l < w.layers; ++l) {
    if (l > 0) start = std::max(start, last_write);  // the layer fence
    for (int dir = 0; dir < w.directions(); ++dir) {
      const std::array<RefMatrix, 3>& mt = mats[size_t(l * w.directions() + dir)];
      const int64_t H = int64_t(mt[0].c.size() / 4);
      std::vector<int64_t> xready(size_t(T), -1), xt(size_t(T), -1), sx(size_t(T), -1),
          sh(size_t(T), -1), udone(size_t(T), -1), hdone(size_t(T), -1);
      std::vector<int64_t> e;  // the gate unit's admissions in the pass
      // The transposer writes x_t into the X array's operand buffer one value per rho cycles.
      const int64_t fill = ceil_div(ab, mem.bytes_per_cycle) * w.layer_input_size(l);
      const int S = arch.mac_array.x_block + 1;
      int transposing = 0;  // the next step the transposer takes
      std::vector<size_t> next(order.size(), 0);
      std::vector<int64_t> f_prev(order.size(), start), wdone(order.size(), -2);
      auto request = [&](size_t a) {
        wdone[a] = -2;
        if (act.weights_on_chip || next[a] == order[a].size()) return;
        const auto [kind, t] = order[a][next[a]];
        // Only a batch's first phase reads its weights; an X phase inside a block of x_block
        // steps uses the W_x its block's first one read.
        const int every = kind == 0 ? B * arch.mac_array.x_block : B;
        if (mt[size_t(kind)].bytes == 0 || t % every != 0) return;
        wdone[a] = -1;
        reqs.push_back({kind, seq++, mt[size_t(kind)].bytes, &wdone[a]});
      };
      for (size_t a = 0; a < order.size(); ++a) request(a);
      for (int t = 0; t < T; ++t)
        reqs.push_back({3, t, w.layer_input_size(l) * ab, &xready[size_t(t)]});
      for (int64_t c = start;; ++c) {
        // It takes x_t once x_t is in the input store (the cycle after its read completes), it
        // has written x_{t-1}, and X_{t-S}, which read x_t's slot, has finished issuing (the
        // operand buffer holds S = x_block + 1 steps).
        const int j = transposing;
        if (j < T && xready[size_t(j)] >= 0 && xready[size_t(j)] < c &&
            (j == 0 || xt[size_t(j - 1)] <= c) &&
            (j < S || (sx[size_t(j - S)] >= 0 && sx[size_t(j - S)] + mt[0].span <= c))) {
          xt[size_t(j)] = c + fill;
          ++transposing;
        }
        for (bool changed = true; changed;) {
          changed = false;
          for (size_t a = 0; a < order.size(); ++a) {
            if (next[a] == order[a].size() || f_prev[a] > c) continue;
            const auto [kind, t] = order[a][next[a]];
            std::vector<std::pair<int64_t, int64_t*>> deps;  // (time, stall counter)
            ArrayActivity& aa = act.arrays[a];
            if (kind == 0) deps.push_back({xt[size_t(t)], &aa.stall_memory});
            // Streamed weights are in the banks 2 cycles after their read completes.
            deps.push_back({wdone[a] >= 0 ? wdone[a] + 2 : wdone[a], &aa.stall_memory});
            if (kind == 0) deps.push_back({t >= S ? hdone[size_t(t - S)] : start, &aa.stall_gate});
            if (kind == 1)  // the same sequence's previous step
              deps.push_back({t >= B ? hdone[size_t(t - B)] : start, &aa.stall_recurrence});
            if (kind == 2) deps.push_back({udone[size_t(t)], &aa.stall_recurrence});
            if (std::any_of(deps.begin(), deps.end(),
                            [c](const auto& d) { return d.first == -1 || d.first > c; }))
              continue;
            const auto cause =
                std::find_if(deps.begin(), deps.end(), [c](const auto& d) { return d.first == c; });
            if (c > f_prev[a]) *cause->second += c - f_prev[a];
            const RefMatrix& r = mt[size_t(kind)];
            aa.busy += r.span;
            f_prev[a] = c + r.span;
            ++next[a];
            request(a);
            changed = true;
            // The gate unit admits every item in order, over the pass: a step's units, then
            // with projection its W_r rows (r_q written at e_q + 1, the state complete a cycle
            // later); a step's first unit a cycle after the previous step's last item.
            auto admit = [&](int64_t ready, bool first_unit) {
              const size_t n = e.size();
              e.push_back(std::max({ready, n >= 1 ? e[n - 1] + (first_unit ? 1 : 0) : 0,
                                    n >= size_t(G) ? e[n - size_t(G)] + 1 : int64_t{0}}));
            };
            if (kind == 2) {
              for (int64_t q : r.c) admit(c + q + Ah - 1, false);
              hdone[size_t(t)] = e.back() + 2;
              continue;
            }
            (kind == 0 ? sx : sh)[size_t(t)] = c;
            if (sx[size_t(t)] < 0 || sh[size_t(t)] < 0) continue;
            for (int64_t u = 0; u < H; ++u) {
              int64_t ready = 0;
              for (int64_t q = 4 * u; q < 4 * u + 4; ++q)
                ready = std::max({ready, sx[size_t(t)] + mt[0].c[size_t(q)] + Ax - 1,
                                  sh[size_t(t)] + mt[1].c[size_t(q)] + Ah - 1});
              admit(ready, u == 0);
            }
            udone[size_t(t)] = e.back() + D + 1;
            if (!proj) hdone[size_t(t)] = udone[size_t(t)];
          }
        }
        serve(c, reqs);
        for (int t = 0; t < T; ++t) {
          if (hdone[size_t(t)] != c) continue;
          write_free = std::max(c, write_free) + ceil_div(out_bytes, mem.bytes_per_cycle);
          last_write = write_free + mem.latency_cycles;
          act.dma.write_bytes += out_bytes;
          act.dma.bursts += ceil_div(out_bytes, mem.burst_bytes);
        }
        if (c == hdone.back()) break;
      }
      start = hdone.back();
      act.pass_end.push_back(start);
    }
  }
  act.cycles = std::max(start, last_write);
  return act;
}

TEST(TimingProperties, EqualsCycleSteppedReading) {
  std::vector<ArchConfig> variants;  // narrow channels queue the reads; some dependencies tie
  for (const ArchConfig& base : archs()) {
    for (int latency : {0, 3, 13}) {
      for (int gate_lanes : {1, 4}) {
        for (int bytes_per_cycle : {2, 16}) {
          ArchConfig arch = base;
          arch.memory.latency_cycles = latency;
          arch.gate_unit.lanes = gate_lanes;
          arch.memory.bytes_per_cycle = bytes_per_cycle;
          arch.memory.burst_bytes = 64;
          variants.push_back(arch);
        }
      }
    }
  }
  for (const ArchConfig& arch : variants) {
    for (const WorkloadConfig& w : workloads()) {
      const Case c = run_case(arch, w);
      const Activity ref = reference_timing(c.m, arch, w);
      SCOPED_TRACE(arch.name + (c.a.weights_on_chip ? " on chip" : " streamed") + ", B " +
                   std::to_string(arch.memory.bytes_per_cycle) + ", H " +
                   std::to_string(w.hidden_size) + " proj " + std::to_string(w.proj_size) +
                   " batch " + std::to_string(w.batch));
      EXPECT_EQ(c.a.cycles, ref.cycles);
      EXPECT_EQ(c.a.weights_on_chip, ref.weights_on_chip);
      EXPECT_EQ(c.a.pass_end, ref.pass_end);
      EXPECT_EQ(c.a.dma.read_bytes, ref.dma.read_bytes);
      EXPECT_EQ(c.a.dma.write_bytes, ref.dma.write_bytes);
      EXPECT_EQ(c.a.dma.bursts, ref.dma.bursts);
      ASSERT_EQ(c.a.arrays.size(), ref.arrays.size());
      for (size_t i = 0; i < ref.arrays.size(); ++i) {
        EXPECT_EQ(c.a.arrays[i].name, ref.arrays[i].name);
        EXPECT_EQ(c.a.arrays[i].busy, ref.arrays[i].busy);
        EXPECT_EQ(c.a.arrays[i].stall_memory, ref.arrays[i].stall_memory);
        EXPECT_EQ(c.a.arrays[i].stall_recurrence, ref.arrays[i].stall_recurrence);
        EXPECT_EQ(c.a.arrays[i].stall_gate, ref.arrays[i].stall_gate);
      }
    }
  }
}

TEST(TimingProperties, OnChipMatchesCompressionStats) {
  for (const ArchConfig& arch :
       {test::arch("brds"), test::arch_with("weight_bank.wx_kbit_per_pe", "0"),
        test::arch_with("weight_bank.wh_kbit_per_pe", "1"), test::arch("brds-pwl16"),
        test::arch("binarized"), test::arch("baseline-unstructured")}) {
    for (const WorkloadConfig& w :
         {test::small_workload(64, 64, 2, true, 32, 2), test::small_workload(20, 12)}) {
      const Case c = run_case(arch, w);
      const BankUse banks = compression_stats(c.m, arch).banks;
      EXPECT_EQ(c.a.weights_on_chip, banks.wx_fits() && banks.wh_fits())
          << arch.name << " H " << w.hidden_size;
    }
  }
}

TEST(TimingProperties, CyclesGrowWithMemoryLatency) {
  const WorkloadConfig w = test::small_workload(20, 12, 2, false, 0, 4);
  for (const char* name : {"brds", "brds-pwl16"}) {
    for (const char* capacity : {"512", "0"}) {
      int64_t previous = -1;
      for (const char* latency : {"0", "1", "10", "100", "1000"}) {
        const ArchConfig arch = arch_with_keys(
            {{"memory.latency_cycles", latency}, {"weight_bank.wx_kbit_per_pe", capacity}}, name);
        const int64_t cycles = run_case(arch, w).a.cycles;
        EXPECT_GT(cycles, previous) << name << " capacity " << capacity << " latency " << latency;
        previous = cycles;
      }
    }
  }
}

TEST(TimingProperties, StreamedWeightsAreSlower) {
  const WorkloadConfig w = test::small_workload(32, 24, 1, false, 0, 6);
  for (const char* name : {"brds", "brds-pwl16", "finnl-w4a4", "binarized"}) {
    const Case on_chip = run_case(test::arch(name), w);
    const Case streamed = run_case(test::arch_with("weight_bank.wx_kbit_per_pe", "0", name), w);
    ASSERT_TRUE(on_chip.a.weights_on_chip) << name;
    ASSERT_FALSE(streamed.a.weights_on_chip) << name;
    EXPECT_GT(streamed.a.cycles, on_chip.a.cycles) << name;
    EXPECT_GT(streamed.a.dma.read_bytes, on_chip.a.dma.read_bytes) << name;
    EXPECT_GT(streamed.a.arrays[0].stall_memory, on_chip.a.arrays[0].stall_memory) << name;
  }
}

// A session of one-layer sequences: each sequence's pass starts when the previous one ends and
// finds both channels as the first did (no weight read left, the inputs its own), so the passes
// repeat the first sequence's back to back; the weights are read once on chip and every phase
// again when streamed.
TEST(TimingProperties, ASessionRepeatsTheFirstSequence) {
  WorkloadConfig w = test::small_workload(32, 24, 1, false, 0, 6);
  for (const char* capacity : {"512", "0"}) {
    for (const char* name : {"brds", "baseline-single-ratio", "binarized"}) {
      const ArchConfig arch = arch_with_keys({{"weight_bank.wx_kbit_per_pe", capacity}}, name);
      w.sequences = 1;
      const Case one = run_case(arch, w);
      w.sequences = 4;
      const Case four = run_case(arch, w);
      const int64_t load = one.a.weights_loaded, pass = one.a.pass_end[0] - load;
      EXPECT_EQ(four.a.weights_loaded, load) << name << " " << capacity;
      ASSERT_EQ(four.a.pass_end.size(), 4u);
      ASSERT_EQ(four.a.sequence_done.size(), 4u);
      for (int64_t k = 0; k < 4; ++k) {
        EXPECT_EQ(four.a.pass_end[size_t(k)], load + (k + 1) * pass) << name << " " << k;
        // c_k - pass end: the last output write's tail, the same for every sequence.
        EXPECT_EQ(four.a.sequence_done[size_t(k)] - four.a.pass_end[size_t(k)],
                  one.a.cycles - one.a.pass_end[0])
            << name << " " << k;
      }
      EXPECT_EQ(four.a.cycles, four.a.sequence_done.back());
      EXPECT_EQ(four.a.arrays[0].mac_slots, 4 * one.a.arrays[0].mac_slots);
      EXPECT_EQ(four.a.dma.write_bytes, 4 * one.a.dma.write_bytes);
      const int64_t read = one.a.dma.read_bytes;
      if (std::string(capacity) == "512") {
        // The weights once, the inputs four times.
        const int64_t inputs = int64_t{w.seq_len} * w.input_size * ((arch.arith.act.bits + 7) / 8);
        EXPECT_EQ(four.a.dma.read_bytes, read + 3 * inputs) << name;
      } else {
        EXPECT_EQ(four.a.dma.read_bytes, 4 * read) << name;
      }
    }
  }
}

TEST(TimingProperties, PtbMediumOnBrdsIsFast) {
  const ArchConfig arch = test::arch("brds");
  const WorkloadConfig w =
      load_workload_config(test::source_path("configs/workloads/ptb-medium.yaml"));
  const CompressedModel m = compress_model(random_lstm_weights(w), arch);
  const Activity first = evaluate_timing(m, arch, w);
  double best_ms = 1e9;
  for (int i = 0; i < 20; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const Activity a = evaluate_timing(m, arch, w);
    const auto t1 = std::chrono::steady_clock::now();
    best_ms = std::min(best_ms, std::chrono::duration<double, std::milli>(t1 - t0).count());
    ASSERT_EQ(a, first);  // deterministic
  }
  RecordProperty("best_ms", std::to_string(best_ms));
  std::printf("ptb-medium on brds: %.3f ms (best of 20), %lld cycles\n", best_ms,
              static_cast<long long>(first.cycles));
  EXPECT_LT(best_ms, 10.0);
}

}  // namespace
}  // namespace sparrow
