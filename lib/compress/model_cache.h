// The compressed-model cache of sweeps: compressed models stored on disk, keyed by exactly the
// config keys compress_model reads, so design points that differ only in other keys (gate-unit
// lanes, memory, clock, energy, sequence length...) do not prune, quantize and encode the same
// weights again. Two levels, one file each in the cache folder:
//   pruned-<hash>.npz   prune_model's result: the masks, the kept float weights and the biases;
//                       keyed by the LSTM's shape, its weight source, the compression recipe and
//                       the lanes;
//   encoded-<hash>.npz  encode_model's result: the bank file's arrays (docs/format.md), the masks
//                       and the weight counts; keyed by those and the PEs and the W_x, W_h, scale
//                       and bias formats;
//   golden-<hash>.npz   the bit-exact golden model's run of that encoded model on an input: its
//                       outputs, MAC slots and rail counts; keyed by the encoded key, every
//                       arithmetic format and setting, and the quantized input sequence itself.
// Each file holds the full text of its key, which a lookup compares, and a digest of its arrays
// (model_cache_digest), which a lookup checks; an encoded entry must also have the geometry its
// design and workload give it, and a golden entry the shape of their outputs. Files are written
// atomically (a temporary file renamed over it), so concurrent points can share a folder; two
// points missing the same entry both compute it and write the same bytes. A file that cannot be
// read is a miss.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "compress/compressor.h"
#include "golden/lstm_fixed.h"
#include "io/npy.h"

namespace sparrow {

struct CachedCompression {
  // compress_model's result, except that `pruned` holds no float matrices after a hit
  // (pruned_weights() restores them).
  CompressedModel model;
  std::string source;  // "encoded" (a hit), "pruned" (encoded from a cached pruning) or "miss"
  std::string key;     // encoded_cache_key
};

// compress_model(make_lstm_weights(w), arch) through the cache in `dir` (created if missing;
// InputError if it cannot be).
CachedCompression compress_cached(const std::string& dir, const WorkloadConfig& w,
                                  const ArchConfig& arch);

// run_lstm_fixed(m, arch, x, sequences) through the cache in `dir`, m being the model
// compress_cached gave with `c.key`; `hit` tells whether it came from the cache.
FixedRun golden_cached(const std::string& dir, const CachedCompression& cached,
                       const ArchConfig& arch, const RawMatrix& x, int sequences, bool& hit);

// The keys' texts. A weight file enters by the size and hash of its bytes, or with by_content
// false by its path (enough to group the points of one sweep).
std::string pruned_cache_key(const WorkloadConfig& w, const ArchConfig& arch,
                             bool by_content = true);
std::string encoded_cache_key(const WorkloadConfig& w, const ArchConfig& arch,
                              bool by_content = true);
// Every arithmetic format and setting (the golden model's numbers depend on all of them).
std::string arith_cache_key(const ArithConfig& arith);

// The digest an entry stores of its other arrays: FNV-1a over each array's name, dtype, shape and
// bytes, in name order.
uint64_t model_cache_digest(const std::map<std::string, NpyArray>& arrays);

}  // namespace sparrow
