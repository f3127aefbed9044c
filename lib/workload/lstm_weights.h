// Float LSTM parameters in PyTorch nn.LSTM layout (gate row blocks i, f, g, o), for every layer
// and direction: seeded random (PyTorch's default init) or imported from a .npz with nn.LSTM's
// parameter names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0, *_reverse).
#pragma once

#include <Eigen/Dense>
#include <map>
#include <string>
#include <vector>

#include "config/workload_config.h"
#include "io/npy.h"

namespace sparrow {

struct LstmDirectionWeights {
  Eigen::MatrixXd w_ih;  // 4H x layer input size
  Eigen::MatrixXd w_hh;  // 4H x state size (H, or proj_size with projection)
  Eigen::VectorXd b_ih;  // 4H
  Eigen::VectorXd b_hh;  // 4H
  Eigen::MatrixXd w_hr;  // proj_size x H; empty without projection
};

struct LstmWeights {
  int input_size = 0;
  int hidden_size = 0;
  int proj_size = 0;
  int layers = 1;
  bool bidirectional = false;
  std::vector<LstmDirectionWeights> dirs;  // index layer * directions + direction

  int directions() const { return bidirectional ? 2 : 1; }
  const LstmDirectionWeights& at(int layer, int dir) const {
    return dirs[static_cast<size_t>(layer * directions() + dir)];
  }
};

// nn.LSTM's parameter name, e.g. ("weight_ih", 1, 1) -> "weight_ih_l1_reverse".
std::string lstm_param_name(const std::string& kind, int layer, int dir);

// The float array `name` of an archive read from `file` as a rows x cols matrix (cols == 0: a
// vector of `rows`); InputError naming the file and the array if it is missing, of another shape
// or dtype, or not finite.
Eigen::MatrixXd npz_matrix(const std::map<std::string, NpyArray>& arrays, const std::string& file,
                           const std::string& name, size_t rows, size_t cols);

// Seeded, reproducible: U(-a, a) with a = init_range or 1/sqrt(hidden_size), like nn.LSTM.
LstmWeights random_lstm_weights(const WorkloadConfig& w);
// Checks names, shapes, dtypes and finiteness against the workload; InputError otherwise.
LstmWeights load_lstm_weights_npz(const std::string& path, const WorkloadConfig& w);
LstmWeights make_lstm_weights(const WorkloadConfig& w);
// The workload's shape (sizes, layers, one entry per layer and direction), no matrices.
LstmWeights empty_lstm_weights(const WorkloadConfig& w);  // from the workload's weight source

// The input sequence x_0..x_{T-1} as rows of a seq_len x input_size matrix.
Eigen::MatrixXd make_input_sequence(const WorkloadConfig& w);

}  // namespace sparrow
