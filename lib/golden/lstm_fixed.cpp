#include "golden/lstm_fixed.h"

#include <vector>

namespace sparrow {
namespace {

// One MAC array's result for every row: the accumulator register, times the row scale when
// binarized. vec holds the padded input vector (zeros beyond the real columns).
void matvec(const DecodedMatrix& d, const GateArith& ga, const std::vector<int64_t>& vec,
            std::vector<int64_t>& out, FixedRun& run) {
  out.resize(size_t(d.rows));
  for (int q = 0; q < d.rows; ++q) {
    int64_t sum = 0;
    const int64_t end = d.row_ptr[size_t(q) + 1];
    for (int64_t k = d.row_ptr[size_t(q)]; k < end; ++k)
      sum += int64_t{d.val[size_t(k)]} * vec[size_t(d.col[size_t(k)])];
    run.rails.acc_wraps += wrap(sum, ga.config().acc_bits) != sum;
    out[size_t(q)] = ga.row_result(sum, d.binarized, d.binarized ? d.row_scale[size_t(q)] : 0);
  }
  run.mac_slots += d.row_ptr.back();
}

bool at_limit(int64_t v, const FixedFormat& f) {
  return v == f.min_raw() || v == f.max_raw();
}

// One direction of one layer over the sequence; returns seq_len x state size.
RawMatrix run_direction(const CompressedDirection& cd, const GateArith& ga, const RawMatrix& x,
                        bool reverse, FixedRun& run) {
  const ArithConfig& a = ga.config();
  const DecodedMatrix wx = decode_weight_bank(cd.wx), wh = decode_weight_bank(cd.wh);
  const bool proj = cd.wr.rows > 0;
  const DecodedMatrix wr = proj ? decode_weight_bank(cd.wr) : DecodedMatrix{};
  const int hidden = cd.wx.rows / 4, state = proj ? cd.wr.rows : hidden;
  const Eigen::Index t_len = x.rows();
  std::vector<int64_t> xv(size_t(wx.padded_cols), 0), hv(size_t(wh.padded_cols), 0);
  std::vector<int64_t> uv(proj ? size_t(wr.padded_cols) : 0, 0);
  std::vector<int64_t> c(size_t(hidden), 0), sx, sh, sr;
  RawMatrix out(t_len, state);
  for (Eigen::Index k = 0; k < t_len; ++k) {
    const Eigen::Index t = reverse ? t_len - 1 - k : k;
    for (Eigen::Index j = 0; j < x.cols(); ++j) xv[size_t(j)] = x(t, j);
    matvec(wx, ga, xv, sx, run);
    matvec(wh, ga, hv, sh, run);
    std::vector<int64_t>& h_unit = proj ? uv : hv;
    for (int u = 0; u < hidden; ++u) {
      int64_t z[4];
      for (int g = 0; g < 4; ++g) {
        const size_t q = size_t(4 * u + g);
        z[g] = ga.preactivation(sx[q], sh[q], cd.bias[q]);
        run.rails.preact += at_limit(z[g], a.preact);
      }
      const GateArith::CellOut co = ga.cell(z[0], z[1], z[2], z[3], c[size_t(u)]);
      c[size_t(u)] = co.c;
      h_unit[size_t(u)] = co.h;
      run.rails.cell += at_limit(co.c, a.cell);
      run.rails.hidden += at_limit(co.h, a.act);
    }
    if (proj) {
      matvec(wr, ga, uv, sr, run);
      for (int r = 0; r < state; ++r) {
        hv[size_t(r)] = ga.projection(sr[size_t(r)]);
        run.rails.projection += at_limit(hv[size_t(r)], a.act);
      }
    }
    for (int r = 0; r < state; ++r) out(t, r) = hv[size_t(r)];
  }
  return out;
}

}  // namespace

RawMatrix quantize_inputs(const Eigen::MatrixXd& x, const FixedFormat& act) {
  RawMatrix q(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) q(i, j) = quantize(x(i, j), act);
  return q;
}

namespace {

// One sequence from zero state; adds its counts to `run`.
RawMatrix run_sequence(const CompressedModel& m, const GateArith& ga, const RawMatrix& x,
                       FixedRun& run) {
  const LstmWeights& w = m.pruned;
  RawMatrix in = x;
  for (int l = 0; l < w.layers; ++l) {
    RawMatrix fwd = run_direction(m.at(l, 0), ga, in, false, run);
    if (!w.bidirectional) {
      in = std::move(fwd);
      continue;
    }
    RawMatrix both(in.rows(), 2 * fwd.cols());
    both << fwd, run_direction(m.at(l, 1), ga, in, true, run);
    in = std::move(both);
  }
  return in;
}

}  // namespace

FixedRun run_lstm_fixed(const CompressedModel& m, const ArchConfig& arch, const RawMatrix& x,
                        int sequences) {
  const GateArith ga(arch.arith);
  FixedRun run;
  if (sequences == 1) {
    run.outputs = run_sequence(m, ga, x, run);
    return run;
  }
  const Eigen::Index t = x.rows() / sequences;
  for (Eigen::Index s = 0; s < sequences; ++s) {
    const RawMatrix out = run_sequence(m, ga, x.middleRows(s * t, t), run);
    if (s == 0) run.outputs.resize(x.rows(), out.cols());
    run.outputs.middleRows(s * t, t) = out;
  }
  return run;
}

bool bit_exact(const RawMatrix& a, const RawMatrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && a == b;
}

}  // namespace sparrow
