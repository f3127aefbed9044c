// Compression of a whole LSTM for one architecture: prune (dual-ratio, single-ratio or
// unstructured), quantize to the configured formats and encode every matrix into its PE banks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compress/bank_format.h"
#include "compress/bank_use.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "workload/lstm_weights.h"

namespace sparrow {

// What pruning kept of one layer and direction's matrices, PyTorch row order.
struct PrunedDirection {
  PruneMask mask_x, mask_h, mask_r;  // mask_r empty without projection
};

struct CompressedDirection : PrunedDirection {
  EncodedMatrix wx;           // W_x bank of each PE, gate-interleaved rows
  EncodedMatrix wh;           // W_h bank of each PE, gate-interleaved rows
  EncodedMatrix wr;           // projection W_r (rows == 0 without projection)
  std::vector<int64_t> bias;  // b_ih + b_hh, gate-interleaved rows, raw of arith.bias
};

struct CompressedModel {
  LstmWeights pruned;  // the float weights with the pruned ones set to zero (not quantized)
  std::vector<CompressedDirection> dirs;  // index layer * directions + direction
  int64_t dense_weights = 0;              // weights of the matrices before pruning
  int64_t kept_weights = 0;               // kept weights in real columns

  const CompressedDirection& at(int layer, int dir) const {
    return dirs[static_cast<size_t>(layer * pruned.directions() + dir)];
  }
};

// A pruned LSTM, before quantization and encoding: what prune_model gives, which depends on the
// weights, the compression recipe and the lanes only (not on the PEs or the formats).
struct PrunedModel {
  LstmWeights weights;  // the float weights with the pruned ones set to zero
  std::vector<PrunedDirection> dirs;
};

// compress_model in two steps: prune_model (compression recipe, lanes), then encode_model (PEs,
// the W_x, W_h, scale and bias formats).
CompressedModel compress_model(const LstmWeights& weights, const ArchConfig& arch);
PrunedModel prune_model(const LstmWeights& weights, const ArchConfig& arch);
CompressedModel encode_model(PrunedModel pruned, const ArchConfig& arch);

// w with the weights the masks prune set to zero (one entry per layer and direction); the second
// form restores m.pruned for a model stored without its float weights (the model cache).
LstmWeights pruned_weights(const LstmWeights& weights, const std::vector<PrunedDirection>& masks);
LstmWeights pruned_weights(const LstmWeights& weights, const CompressedModel& m);

// The geometry compress_model would give, from the configs alone (no weights, biases or masks):
// enough for the timing contract, the op counts (dense and kept weights) and the energy model.
// Row-balanced patterns only (unstructured row lengths depend on the weights):
// std::invalid_argument otherwise.
CompressedModel compress_geometry(const WorkloadConfig& w, const ArchConfig& arch);

// One matrix's figures (report.json's compression.matrices[].wx, docs/report.schema.json).
struct MatrixStats {
  int64_t rows = 0, cols = 0;
  int64_t kept = 0;  // nonzero weights kept (padding slots not counted)
  double sparsity = 0;
  int64_t kept_per_row_min = 0, kept_per_row_max = 0;
  double kept_per_row_mean = 0;
  std::optional<int64_t> kept_per_segment;  // segment-balanced patterns only
  int64_t words_per_row = 0;                // -1: rows of their own lengths (unstructured)
  int value_bits = 0, index_bits = 0, word_bits = 0;
  std::vector<int64_t> slots_per_pe, bank_bits_per_pe;
};

// A layer's direction: its W_x, W_h and, with projection, W_r.
struct DirectionStats {
  int layer = 0;
  bool reverse = false;
  MatrixStats wx, wh;
  std::optional<MatrixStats> wr;
};

// Achieved sparsities, per-row and per-PE nonzero counts, bank sizes against capacity.
struct CompressionStats {
  std::string pattern;  // to_string(PruningPattern)
  bool segment_balanced = false;
  double requested_sx = 0, requested_sh = 0;
  int64_t dense_weights = 0, kept_weights = 0;
  double sparsity = 0, sparsity_x = 0, sparsity_h = 0;
  std::vector<DirectionStats> matrices;
  BankUse banks;
};
CompressionStats compression_stats(const CompressedModel& m, const ArchConfig& arch);

}  // namespace sparrow
