#include "golden/lstm_float.h"

namespace sparrow {
namespace {

Eigen::ArrayXd sigmoid(const Eigen::ArrayXd& z) {
  return 1.0 / (1.0 + (-z).exp());
}

// One direction over the whole sequence; returns seq_len x state size.
Eigen::MatrixXd run_direction(const LstmDirectionWeights& dw, const Eigen::MatrixXd& x,
                              bool reverse) {
  const Eigen::Index t_len = x.rows(), h = dw.w_ih.rows() / 4;
  const bool proj = dw.w_hr.size() > 0;
  const Eigen::Index state = proj ? dw.w_hr.rows() : h;
  // W_x x_t for every t at once: it does not depend on the recurrence.
  const Eigen::MatrixXd zx = (dw.w_ih * x.transpose()).colwise() + (dw.b_ih + dw.b_hh);
  Eigen::VectorXd hs = Eigen::VectorXd::Zero(state), c = Eigen::VectorXd::Zero(h);
  Eigen::MatrixXd out(t_len, state);
  for (Eigen::Index k = 0; k < t_len; ++k) {
    const Eigen::Index t = reverse ? t_len - 1 - k : k;
    const Eigen::ArrayXd z = (zx.col(t) + dw.w_hh * hs).array();
    const Eigen::ArrayXd i = sigmoid(z.segment(0, h)), f = sigmoid(z.segment(h, h));
    const Eigen::ArrayXd g = z.segment(2 * h, h).tanh(), o = sigmoid(z.segment(3 * h, h));
    c = (f * c.array() + i * g).matrix();
    const Eigen::VectorXd hu = (o * c.array().tanh()).matrix();
    hs = proj ? Eigen::VectorXd(dw.w_hr * hu) : hu;
    out.row(t) = hs.transpose();
  }
  return out;
}

// One sequence from zero state.
Eigen::MatrixXd run_sequence(const LstmWeights& weights, const Eigen::MatrixXd& x) {
  Eigen::MatrixXd in = x;
  for (int l = 0; l < weights.layers; ++l) {
    Eigen::MatrixXd fwd = run_direction(weights.at(l, 0), in, false);
    if (!weights.bidirectional) {
      in = std::move(fwd);
      continue;
    }
    Eigen::MatrixXd both(in.rows(), 2 * fwd.cols());
    both << fwd, run_direction(weights.at(l, 1), in, true);
    in = std::move(both);
  }
  return in;
}

}  // namespace

Eigen::MatrixXd run_lstm_float(const LstmWeights& weights, const Eigen::MatrixXd& x,
                               int sequences) {
  if (sequences == 1) return run_sequence(weights, x);
  const Eigen::Index t = x.rows() / sequences;
  Eigen::MatrixXd out;
  for (Eigen::Index s = 0; s < sequences; ++s) {
    const Eigen::MatrixXd o = run_sequence(weights, x.middleRows(s * t, t));
    if (s == 0) out.resize(x.rows(), o.cols());
    out.middleRows(s * t, t) = o;
  }
  return out;
}

}  // namespace sparrow
