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

struct FixedRun {
  RawMatrix outputs;      // seq_len x output size, raw of arith.act
  int64_t mac_slots = 0;  // weight slots multiplied (padding slots included)
};

// The input sequence quantized to arith.act (round half away from zero, saturate).
RawMatrix quantize_inputs(const Eigen::MatrixXd& x, const FixedFormat& act);

FixedRun run_lstm_fixed(const CompressedModel& m, const ArchConfig& arch, const RawMatrix& x);

}  // namespace sparrow
