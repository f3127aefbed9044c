// The analytic engine: the schedule of docs/timing.md evaluated event by event, without a clock.
// It must equal the SystemC model's Activity field by field.
#pragma once

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "timing/activity.h"

namespace sparrow {

// The timing contract of docs/timing.md evaluated directly. `m` must be compress_model's result
// for `arch` and the LSTM shape of `w`; the cost is O(passes * steps * (hidden + log steps)) plus
// one scan of every matrix's row lengths.
Activity evaluate_timing(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w);

}  // namespace sparrow
