// The stages every command shares around an engine (docs/architecture.md, "sparrow run, step by
// step"): a case prepared once (the model compressed, through the model cache if given; the float
// references if asked for; the inputs quantized; the bit-exact golden outputs), the engine run on
// it and its outputs checked against golden (the design's figures: design_report in
// lib/report/run_report.h).
// `sparrow run`, `verify`, `app` and `regress` prepare and check through here.
#pragma once

#include <Eigen/Dense>
#include <optional>
#include <string>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "engines/engine.h"
#include "golden/lstm_fixed.h"
#include "timing/activity.h"
#include "workload/lstm_weights.h"

namespace sparrow {

struct PrepareOptions {
  std::string model_cache;  // a folder of compressed models and golden outputs; empty: none
  bool floats = true;       // compute the dense and pruned float references
};

struct PreparedCase {
  CompressedModel model;
  Eigen::MatrixXd inputs;                     // the workload's input sequences, stacked
  RawMatrix quantized;                        // the same in the activation format
  FixedRun golden;                            // the bit-exact outputs
  Eigen::MatrixXd outputs;                    // golden's outputs as real values
  Eigen::MatrixXd float_dense, float_pruned;  // the float references (floats only)
  std::string cache_model;                    // with a model cache: "encoded", "pruned" or "miss"
  bool cache_golden_hit = false;
  double compress_seconds = 0, float_seconds = 0, fixed_seconds = 0;
};

// Compresses the workload's model for `arch` and runs the references on its inputs.
PreparedCase prepare_case(const ArchConfig& arch, const WorkloadConfig& w,
                          const PrepareOptions& o = {});

// What an engine's run disagrees with: its outputs against golden's bit for bit, then what it
// found in the timing contract; empty if nothing.
std::string disagreement(const EngineResult& result, const RawMatrix& golden);

}  // namespace sparrow
