// The float reference LSTM (double precision): nn.LSTM's equations with multi-layer,
// bidirectional and projected (LSTMP) layers, checked against PyTorch fixtures in the tests.
#pragma once

#include <Eigen/Dense>

#include "workload/lstm_weights.h"

namespace sparrow {

// x: seq_len x input_size. Returns seq_len x (state size * directions): the last layer's outputs,
// forward and reverse concatenated as nn.LSTM does. A session of `sequences` sequences stacks
// them in x's rows (each seq_len rows, each from zero state) and their outputs likewise.
Eigen::MatrixXd run_lstm_float(const LstmWeights& weights, const Eigen::MatrixXd& x,
                               int sequences = 1);

}  // namespace sparrow
