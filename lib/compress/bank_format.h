// The weight-bank format (docs/format.md): one bank per PE holding its rows' (value, column index)
// slots, L slots per bank word. The encoder quantizes kept weights into this bit layout; the
// decoder reads it back losslessly. Every engine executes what the decoder returns.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "arith/fixed_point.h"
#include "compress/prune.h"

namespace sparrow {

// A bank's words as one little-endian bit stream: word w occupies bits [w*word_bits,
// (w+1)*word_bits).
struct BitBank {
  std::vector<uint64_t> bits;
  int64_t words = 0;
};

struct EncodedMatrix {
  int rows = 0;  // hardware rows (row q is in PE q mod pes)
  int cols = 0;  // vector length (real columns)
  int pes = 1;
  int lanes = 1;
  bool segment_balanced = false;
  int seg_len = 0;  // columns per lane segment (segment-balanced), else cols
  bool binarized = false;
  int value_bits = 8;  // 1 when binarized
  int index_bits = 1;
  int words_per_row = -1;          // fixed row length in words; -1 when rows differ
  std::vector<int32_t> row_words;  // words of each hardware row
  std::vector<int64_t> row_scale;  // binarized: raw scale of each hardware row
  std::vector<BitBank> banks;      // one per PE

  int slot_bits() const { return value_bits + index_bits; }
  int word_bits() const { return lanes * slot_bits(); }
  int padded_cols() const { return segment_balanced ? seg_len * lanes : cols; }
  // Storage of PE p's bank in bits: its rows' side-table entries (whole bytes each), then its
  // data words.
  int64_t bank_bits(int p, int scale_bits) const;
  int row_words_bits() const;  // bits a row length needs (0 for fixed rows)
  // Bytes of one row's side-table entries: its row length (variable rows, ceil(row_words_bits() /
  // 8)) and its row scale (binarized, ceil(scale_bits / 8)).
  int row_words_bytes() const { return (row_words_bits() + 7) / 8; }
  int row_scale_bytes(int scale_bits) const { return binarized ? (scale_bits + 7) / 8 : 0; }
};

// A decoded matrix in hardware row order, compressed-row form. Columns may be padding columns
// (>= cols) of a segment-balanced matrix; their vector entries are zero. Binarized values are +-1.
struct DecodedMatrix {
  int rows = 0;
  int cols = 0;
  int padded_cols = 0;
  bool binarized = false;
  std::vector<int64_t> row_ptr;  // rows + 1
  std::vector<int32_t> col;
  std::vector<int32_t> val;
  std::vector<int64_t> row_scale;
};

// hw_to_row[q] is the PyTorch row stored as hardware row q.
EncodedMatrix encode_weight_bank(const Eigen::MatrixXd& w, const PruneMask& mask,
                                 const std::vector<int>& hw_to_row, int pes, const FixedFormat& fmt,
                                 const FixedFormat& scale_fmt);
DecodedMatrix decode_weight_bank(const EncodedMatrix& e);

// The geometry (shape, row lengths, bank sizes; no weights) that encoding a row-balanced matrix
// pruned to `sparsity` produces: everything the timing contract needs, without weights.
EncodedMatrix balanced_geometry(int rows, int cols, int pes, int lanes, bool segment_balanced,
                                double sparsity, const FixedFormat& fmt);

// The geometry the hardware learns from its registers and load descriptors (docs/registers.md):
// the shape and format, each PE's bank words, and the fixed row length (words_per_row >= 0) or,
// when rows differ, the bytes of a row-length entry (row_words then hold stand-ins of that width
// until the bank images bring the lengths: unpack_bank_images).
EncodedMatrix programmed_geometry(int rows, int cols, int pes, int lanes, bool segment_balanced,
                                  int seg_len, const FixedFormat& fmt, int words_per_row,
                                  const std::vector<int64_t>& bank_words, int row_length_bytes);

// The row order of the gate matrices in hardware: row q = 4u + g holds gate g (i, f, g, o) of
// hidden unit u, so a unit's four rows sit on neighbouring PEs and finish together.
std::vector<int> gate_interleaved_rows(int hidden);
std::vector<int> identity_rows(int rows);

}  // namespace sparrow

namespace sparrow {

// The DRAM image of PE p's bank (docs/format.md, "Bank images"): its row-length table (variable
// rows), its row-scale table (binarized), each entry in whole little-endian bytes, then its words
// as a little-endian bit stream from the next byte, padded to whole bytes: ceil(bank_bits(p,
// scale_bits) / 8) bytes.
std::vector<uint8_t> pack_bank_image(const EncodedMatrix& e, int p, int scale_bits);
// Rebuilds the banks, row lengths and scales of `geometry` from its PEs' images; geometry's
// row_words give only the row-length entry's width (and the fixed length of row-balanced rows).
EncodedMatrix unpack_bank_images(const EncodedMatrix& geometry,
                                 const std::vector<std::vector<uint8_t>>& images, int scale_bits);

}  // namespace sparrow
