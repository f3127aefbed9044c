#include "workload/lstm_weights.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "common/error.h"
#include "io/npy.h"

namespace sparrow {
namespace {

std::string shape_text(const std::vector<size_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

LstmWeights empty_lstm_weights(const WorkloadConfig& w) {
  LstmWeights lw;
  lw.input_size = w.input_size;
  lw.hidden_size = w.hidden_size;
  lw.proj_size = w.proj_size;
  lw.layers = w.layers;
  lw.bidirectional = w.bidirectional;
  lw.dirs.resize(static_cast<size_t>(w.layers * w.directions()));
  return lw;
}

std::string lstm_param_name(const std::string& kind, int layer, int dir) {
  return kind + "_l" + std::to_string(layer) + (dir ? "_reverse" : "");
}

Eigen::MatrixXd npz_matrix(const std::map<std::string, NpyArray>& arrays, const std::string& file,
                           const std::string& name, size_t rows, size_t cols) {
  auto it = arrays.find(name);
  std::vector<size_t> want = cols ? std::vector<size_t>{rows, cols} : std::vector<size_t>{rows};
  if (it == arrays.end())
    throw_input_error(file, name, "no such array", "an array of shape " + shape_text(want));
  const NpyArray& a = it->second;
  if (a.kind != 'f')
    throw_input_error(file, name, "an array of integer or bool dtype", "float32 or float64");
  if (a.shape != want)
    throw_input_error(file, name, "shape " + shape_text(a.shape), "shape " + shape_text(want));
  const std::vector<double> v = a.to_double();
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]))
      throw_input_error(file,
                        name + "[" + std::to_string(i / (cols ? cols : 1)) +
                            (cols ? ", " + std::to_string(i % cols) : "") + "]",
                        std::to_string(v[i]), "finite values");
  Eigen::MatrixXd m(rows, cols ? cols : 1);
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < (cols ? cols : 1); ++c) m(r, c) = v[r * (cols ? cols : 1) + c];
  return m;
}

LstmWeights random_lstm_weights(const WorkloadConfig& w) {
  LstmWeights lw = empty_lstm_weights(w);
  std::mt19937_64 rng(w.weights.seed);
  const double a =
      w.weights.init_range > 0 ? w.weights.init_range : 1.0 / std::sqrt(double(w.hidden_size));
  std::uniform_real_distribution<double> u(-a, a);
  auto fill = [&](Eigen::MatrixXd& m, Eigen::Index rows, Eigen::Index cols) {
    m.resize(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r)
      for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = u(rng);
  };
  const int g = 4 * w.hidden_size;
  for (int l = 0; l < w.layers; ++l) {
    for (int d = 0; d < w.directions(); ++d) {
      LstmDirectionWeights& dw = lw.dirs[static_cast<size_t>(l * w.directions() + d)];
      Eigen::MatrixXd b_ih, b_hh;
      fill(dw.w_ih, g, w.layer_input_size(l));
      fill(dw.w_hh, g, w.state_size());
      fill(b_ih, g, 1);
      fill(b_hh, g, 1);
      dw.b_ih = b_ih.col(0);
      dw.b_hh = b_hh.col(0);
      if (w.proj_size > 0) fill(dw.w_hr, w.proj_size, w.hidden_size);
    }
  }
  return lw;
}

LstmWeights load_lstm_weights_npz(const std::string& path, const WorkloadConfig& w) {
  NpzWant want;
  size_t largest = 0;
  const size_t g4 = static_cast<size_t>(4 * w.hidden_size);
  for (int l = 0; l < w.layers; ++l)
    for (int d = 0; d < w.directions(); ++d) {
      for (const char* kind : {"weight_ih", "weight_hh", "bias_ih", "bias_hh"})
        want.keys.insert(lstm_param_name(kind, l, d));
      if (w.proj_size > 0) want.keys.insert(lstm_param_name("weight_hr", l, d));
      largest = std::max({largest, g4 * size_t(w.layer_input_size(l)), g4 * size_t(w.state_size()),
                          size_t(w.proj_size) * size_t(w.hidden_size)});
    }
  want.max_member_bytes = npy_bytes_bound(largest);
  const std::map<std::string, NpyArray> arrays = read_npz(path, &want);
  LstmWeights lw = empty_lstm_weights(w);
  const size_t g = static_cast<size_t>(4 * w.hidden_size);
  for (int l = 0; l < w.layers; ++l) {
    for (int d = 0; d < w.directions(); ++d) {
      LstmDirectionWeights& dw = lw.dirs[static_cast<size_t>(l * w.directions() + d)];
      dw.w_ih = npz_matrix(arrays, path, lstm_param_name("weight_ih", l, d), g,
                           static_cast<size_t>(w.layer_input_size(l)));
      dw.w_hh = npz_matrix(arrays, path, lstm_param_name("weight_hh", l, d), g,
                           static_cast<size_t>(w.state_size()));
      dw.b_ih = npz_matrix(arrays, path, lstm_param_name("bias_ih", l, d), g, 0).col(0);
      dw.b_hh = npz_matrix(arrays, path, lstm_param_name("bias_hh", l, d), g, 0).col(0);
      if (w.proj_size > 0)
        dw.w_hr = npz_matrix(arrays, path, lstm_param_name("weight_hr", l, d),
                             static_cast<size_t>(w.proj_size), static_cast<size_t>(w.hidden_size));
    }
  }
  return lw;
}

LstmWeights make_lstm_weights(const WorkloadConfig& w) {
  require_memory_for(w);
  return w.weights.kind == WeightSource::Kind::kNpz ? load_lstm_weights_npz(w.weights.path, w)
                                                    : random_lstm_weights(w);
}

Eigen::MatrixXd make_input_sequence(const WorkloadConfig& w) {
  const Eigen::Index t = Eigen::Index(w.sequences) * w.seq_len, n = w.input_size;
  Eigen::MatrixXd x(t, n);
  if (w.inputs.kind == InputSource::Kind::kRandom) {
    std::mt19937_64 rng(w.inputs.seed);
    std::uniform_real_distribution<double> u(-w.inputs.amplitude, w.inputs.amplitude);
    for (Eigen::Index i = 0; i < t; ++i)
      for (Eigen::Index j = 0; j < n; ++j) x(i, j) = u(rng);
    return x;
  }
  const std::string& path = w.inputs.path;
  const NpyArray a = read_npy(path, npy_bytes_bound(size_t(t) * size_t(n)));
  const std::vector<size_t> session{size_t(w.sequences), size_t(w.seq_len), size_t(n)};
  std::vector<std::vector<size_t>> allowed{session};
  std::string allowed_text = shape_text(session) + " (sequences, seq_len, input_size)";
  if (w.sequences == 1) {
    allowed.push_back({size_t(t), size_t(n)});
    allowed.push_back({size_t(t), 1, size_t(n)});
    allowed_text += ", " + shape_text(allowed[1]) + " or " + shape_text(allowed[2]) +
                    " (seq_len, [1,] input_size)";
  }
  if (a.kind != 'f')
    throw_input_error(path, "dtype", "an integer or bool dtype", "float32 or float64");
  if (std::find(allowed.begin(), allowed.end(), a.shape) == allowed.end())
    throw_input_error(path, "shape", shape_text(a.shape), allowed_text);
  const std::vector<double> v = a.to_double();
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i]))
      throw_input_error(path, "element " + std::to_string(i), std::to_string(v[i]),
                        "finite values");
    x(Eigen::Index(i) / n, Eigen::Index(i) % n) = v[i];
  }
  return x;
}

}  // namespace sparrow
