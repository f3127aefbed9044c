#include "gate_unit/gate_unit.h"

#include <algorithm>
#include <string>

#include "sim/cycles.h"

namespace sparrow {

GateUnit::GateUnit(sc_core::sc_module_name name, const ArchConfig& arch, GateActivity& activity)
    : sc_module(name),
      arith_(arch.arith),
      admission_(arch.gate_unit.lanes, arch.gate_unit.pipeline_depth),
      activity_(activity) {
  SC_HAS_PROCESS(GateUnit);
  SC_THREAD(run);
  set_stack_size(kThreadStackBytes);
}

void GateUnit::set_trace(TraceRecorder* trace) {
  trace_ = trace;
  if (trace_) track_ = trace_->track(basename());
}

void GateUnit::push(Mac2Gate msg) {
  inbox_.push_back(std::move(msg));
  inbox_event_.notify(sc_core::SC_ZERO_TIME);
}

void GateUnit::begin_pass(int pass, std::vector<int64_t> bias, std::vector<VectorBuffer*> out) {
  pass_ = pass;
  bias_ = std::move(bias);
  cells_.assign(out.size(), std::vector<int64_t>(bias_.size() / 4, 0));
  out_ = std::move(out);
  udone_.clear();
  admission_.restart();
}

void GateUnit::abort() {
  inbox_.clear();
  pass_ = -1;
  udone_.clear();
}

// Called at R_t's start, after the gate unit admitted step t's units and before any unit of a
// later step (H_{t+1} follows R_t on its array), so the rows join the admission in order.
int64_t GateUnit::project(const Mac2Gate& wr, VectorBuffer& state) {
  int64_t last = 0;
  for (size_t r = 0; r < wr.result.size(); ++r) {
    state.values[r] = arith_.projection(wr.result[r]);
    last = admission_.admit_row(wr.ready[r]);
  }
  return projected_state_done(last);
}

void GateUnit::run() {
  for (;;) {
    // Wait for the W_x and the W_h results of the next step of the current pass (a new pass
    // may begin while waiting).
    auto find = [&](Matrix m) {
      return std::find_if(inbox_.begin(), inbox_.end(), [&](const Mac2Gate& g) {
        return g.pass == pass_ && g.step == int(udone_.size()) && g.matrix == m;
      });
    };
    while (find(Matrix::kWx) == inbox_.end() || find(Matrix::kWh) == inbox_.end())
      sc_core::wait(inbox_event_);
    const Mac2Gate x = std::move(*find(Matrix::kWx));
    inbox_.erase(find(Matrix::kWx));
    const Mac2Gate h = std::move(*find(Matrix::kWh));
    inbox_.erase(find(Matrix::kWh));

    const size_t member = udone_.size() % out_.size();
    std::vector<int64_t>& cell = cells_[member];
    const int hidden = int(cell.size());
    for (int u = 0; u < hidden; ++u) {
      int64_t ready = 0, z[4];
      for (int g = 0; g < 4; ++g) {
        const size_t q = size_t(4 * u + g);
        ready = std::max({ready, x.ready[q], h.ready[q]});
        z[g] = arith_.preactivation(x.result[q], h.result[q], bias_[q]);
      }
      admission_.admit(size_t(u), ready);
      const GateArith::CellOut co = arith_.cell(z[0], z[1], z[2], z[3], cell[size_t(u)]);
      cell[size_t(u)] = co.c;
      out_[member]->values[size_t(u)] = co.h;
    }
    activity_.units += hidden;
    activity_.lut_sigmoid += 3 * int64_t(hidden);
    activity_.lut_tanh += 2 * int64_t(hidden);
    activity_.cell_reads += hidden;
    activity_.cell_writes += hidden;
    const int64_t done = admission_.units_done();
    if (trace_) {
      const int step = int(udone_.size());
      trace_->interval(track_, "step " + std::to_string(step) + " pass " + std::to_string(pass_),
                       admission_.first(), done,
                       {{"pass", pass_}, {"step", step}, {"units", hidden}});
      trace_->sample(TraceCounter::kStep, admission_.first(), step);
    }
    udone_.push_back(done);
    known_.notify();
    wait_until(done);
  }
}

}  // namespace sparrow
