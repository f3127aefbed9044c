#include "mac_array/mac_array.h"

#include <algorithm>
#include <string>

#include "sim/cycles.h"
#include "timing/schedule.h"

namespace sparrow {

MacArray::MacArray(sc_core::sc_module_name name, const ArchConfig& arch, const ArraySize& size,
                   ArrayActivity& activity)
    : sc_module(name),
      arith_(arch.arith),
      pes_(size.pes),
      lanes_(size.lanes),
      latency_(mac_latency(size.lanes)),
      activity_(activity) {}

void MacArray::set_trace(TraceRecorder* trace) {
  trace_ = trace;
  if (trace_) track_ = trace_->track(basename());
}

int64_t MacArray::run_phase(const WeightBank& bank, VectorBuffer& vec, Mac2Gate& out) {
  const DecodedMatrix& d = bank.decoded();
  const int64_t start = now_cycle();
  out.result.assign(size_t(d.rows), 0);
  out.ready.assign(size_t(d.rows), 0);
  // Rows in memory order; each PE's words issued so far give its rows' ready cycles.
  issued_.assign(size_t(pes_), 0);
  const int64_t* x = vec.values.data();
  for (int q = 0, p = 0; q < d.rows; ++q, p = (p + 1 == pes_ ? 0 : p + 1)) {
    const int64_t begin = d.row_ptr[size_t(q)], end = d.row_ptr[size_t(q) + 1];
    int64_t sum = 0;
    for (int64_t k = begin; k < end; ++k) sum += int64_t{d.val[size_t(k)]} * x[d.col[size_t(k)]];
    int64_t& issued = issued_[size_t(p)];
    issued += (end - begin) / lanes_;
    out.result[size_t(q)] =
        arith_.row_result(sum, d.binarized, d.binarized ? d.row_scale[size_t(q)] : 0);
    out.ready[size_t(q)] = row_ready(start, issued, latency_);
  }
  const int64_t longest = *std::max_element(issued_.begin(), issued_.end());
  const int64_t words = int64_t(d.col.size()) / lanes_;
  count_phase(activity_, longest, words, bank.encoded().word_bits(), lanes_);
  if (trace_) {
    static const char* const kPhase[] = {"X", "H", "R"};
    trace_->interval(track_,
                     std::string(kPhase[int(out.matrix)]) + " t=" + std::to_string(out.step) +
                         " pass " + std::to_string(out.pass),
                     start, start + longest,
                     {{"pass", out.pass}, {"step", out.step}, {"mac_slots", words * lanes_}});
    trace_->sample(TraceCounter::kMacSlots, start + longest, words * lanes_);
  }
  return start + longest;
}

}  // namespace sparrow
