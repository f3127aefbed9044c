// The bit-exact fixed-point sparse LSTM: it executes the encoded weight banks with the arithmetic
// contract (docs/arithmetic.md). Its outputs define the numbers the SystemC model and the RTL
// must reproduce bit for bit.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

#include "arith/gate_arith.h"
#include "compress/compressor.h"

namespace sparrow {

using RawMatrix = Eigen::Matrix<int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// How often each stage of the datapath was at its limits: accumulator sums that wrapped, and
// values at their format's minimum or maximum (saturated, or exactly there).
struct RailCounts {
  int64_t acc_wraps = 0;   // MAC array sums outside acc_bits (wrapped)
  int64_t preact = 0;      // z at the limits of arith.preact
  int64_t cell = 0;        // c_t at the limits of arith.cell
  int64_t hidden = 0;      // h_t at the limits of arith.act
  int64_t projection = 0;  // r_t at the limits of arith.act (LSTMP)
};

struct FixedRun {
  RawMatrix outputs;      // (sequences x) seq_len x output size, raw of arith.act
  int64_t mac_slots = 0;  // weight slots multiplied (padding slots included)
  RailCounts rails;
};

// The input sequence quantized to arith.act (round half away from zero, saturate).
RawMatrix quantize_inputs(const Eigen::MatrixXd& x, const FixedFormat& act);

// x: seq_len x input_size, raw of arith.act; a session of `sequences` sequences stacks them in
// x's rows (each from zero state) and their outputs likewise (run_lstm_float).
FixedRun run_lstm_fixed(const CompressedModel& m, const ArchConfig& arch, const RawMatrix& x,
                        int sequences = 1);

// The bit-for-bit check of an engine's outputs against the golden model's: the same shape and
// the same values (outputs of another shape are never equal, whatever part of them agrees).
bool bit_exact(const RawMatrix& a, const RawMatrix& b);

}  // namespace sparrow
