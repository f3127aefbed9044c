#include "pipeline/run_case.h"

#include "common/stopwatch.h"
#include "compress/model_cache.h"
#include "golden/lstm_float.h"
#include "report/run_report.h"

namespace sparrow {

PreparedCase prepare_case(const ArchConfig& arch, const WorkloadConfig& w,
                          const PrepareOptions& o) {
  PreparedCase c;
  c.inputs = make_input_sequence(w);
  // The float weights are generated only when something needs them.
  auto t0 = SteadyClock::now();
  std::optional<LstmWeights> weights;
  CachedCompression cached;
  CompressedModel& m = cached.model;
  if (o.model_cache.empty()) {
    weights = make_lstm_weights(w);
    m = compress_model(*weights, arch);
  } else {
    cached = compress_cached(o.model_cache, w, arch);
    c.cache_model = cached.source;
  }
  c.compress_seconds = seconds_since(t0);
  t0 = SteadyClock::now();
  if (o.floats) {
    if (!weights) {
      weights = make_lstm_weights(w);
      m.pruned = pruned_weights(*weights, m);
    }
    c.float_dense = run_lstm_float(*weights, c.inputs, w.sequences);
    c.float_pruned = run_lstm_float(m.pruned, c.inputs, w.sequences);
  }
  c.float_seconds = seconds_since(t0);
  t0 = SteadyClock::now();
  c.quantized = quantize_inputs(c.inputs, arch.arith.act);
  c.golden = o.model_cache.empty() ? run_lstm_fixed(m, arch, c.quantized, w.sequences)
                                   : golden_cached(o.model_cache, cached, arch, c.quantized,
                                                   w.sequences, c.cache_golden_hit);
  c.fixed_seconds = seconds_since(t0);
  c.model = std::move(m);
  c.outputs = c.golden.outputs.cast<double>() * arch.arith.act.lsb();
  return c;
}

std::string disagreement(const EngineResult& result, const RawMatrix& golden) {
  if (result.outputs && *result.outputs != golden) return "the golden model's outputs";
  return result.disagreement;
}

}  // namespace sparrow
