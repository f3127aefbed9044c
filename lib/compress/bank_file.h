// The weight-bank file (docs/format.md, "Bank file"): every encoded matrix and bias of a
// compressed model as arrays of one .npz, readable back without any config.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compress/compressor.h"
#include "io/npy.h"

namespace sparrow {

// The encoded part of a compressed model, as stored in a bank file.
struct BankSet {
  int layers = 1;
  int directions = 1;
  std::vector<CompressedDirection> dirs;  // masks are not stored
};

std::string serialize_bank_file(const CompressedModel& m);                // the .npz bytes
void write_bank_file(const std::string& path, const CompressedModel& m);  // atomic
BankSet read_bank_file(const std::string& path);  // InputError on a malformed file
// The same for the bytes of a bank file that `path` names in errors.
BankSet parse_bank_file(const std::string& bytes, const std::string& path);
// The same on the arrays of a bank file, and the arrays of m: for files that hold a bank file's
// arrays beside their own (the model cache). check_indices false skips decoding every matrix to
// check its column indices (for files sparrow wrote itself).
BankSet bank_set_of(const std::map<std::string, NpyArray>& arrays, const std::string& path,
                    bool check_indices = true);
std::map<std::string, NpyArray> bank_file_arrays(const CompressedModel& m);

// "l0_fwd", "l1_rev": the prefix of a layer/direction's arrays.
std::string bank_prefix(int layer, int dir);

}  // namespace sparrow
