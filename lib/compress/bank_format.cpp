#include "compress/bank_format.h"

#include <algorithm>
#include <cmath>

namespace sparrow {
namespace {

int bits_for(int64_t n) {  // bits to hold 0..n-1, at least 1
  int b = 1;
  while ((int64_t{1} << b) < n) ++b;
  return b;
}

// Writes the low `width` (0..64) bits of v at bit `pos`; those bits of the bank must be zero.
void put_bits(BitBank& bank, int64_t pos, int width, uint64_t v) {
  if (width == 0) return;
  const size_t word = size_t(pos >> 6), last = size_t((pos + width - 1) >> 6);
  if (last >= bank.bits.size()) bank.bits.resize(last + 1, 0);
  if (width < 64) v &= (uint64_t{1} << width) - 1;
  const int off = int(pos & 63);
  bank.bits[word] |= v << off;
  if (last != word) bank.bits[last] |= v >> (64 - off);
}

uint64_t get_bits(const BitBank& bank, int64_t pos, int width) {
  if (width == 0) return 0;
  const size_t word = size_t(pos >> 6), last = size_t((pos + width - 1) >> 6);
  const int off = int(pos & 63);
  uint64_t v = bank.bits[word] >> off;
  if (last != word) v |= bank.bits[last] << (64 - off);
  return width < 64 ? v & ((uint64_t{1} << width) - 1) : v;
}

// The fields of an encoded matrix that its shape and format decide.
EncodedMatrix shape(int rows, int cols, int pes, int lanes, bool segment_balanced, int seg_len,
                    const FixedFormat& fmt) {
  EncodedMatrix e;
  e.rows = rows;
  e.cols = cols;
  e.pes = pes;
  e.lanes = lanes;
  e.segment_balanced = segment_balanced;
  e.seg_len = seg_len;
  e.binarized = fmt.bits == 1;
  e.value_bits = fmt.bits;
  e.index_bits = bits_for(seg_len);
  e.banks.resize(static_cast<size_t>(pes));
  e.row_words.resize(static_cast<size_t>(rows));
  if (e.binarized) e.row_scale.resize(static_cast<size_t>(rows));
  return e;
}

}  // namespace

EncodedMatrix balanced_geometry(int rows, int cols, int pes, int lanes, bool segment_balanced,
                                double sparsity, const FixedFormat& fmt) {
  const int seg_len = segment_balanced ? (cols + lanes - 1) / lanes : cols;
  EncodedMatrix e = shape(rows, cols, pes, lanes, segment_balanced, seg_len, fmt);
  e.words_per_row = segment_balanced ? kept_count(seg_len, sparsity)
                                     : (kept_count(cols, sparsity) + lanes - 1) / lanes;
  std::fill(e.row_words.begin(), e.row_words.end(), e.words_per_row);
  for (int p = 0; p < pes; ++p)
    e.banks[size_t(p)].words = int64_t(rows > p ? (rows - p + pes - 1) / pes : 0) * e.words_per_row;
  return e;
}

int EncodedMatrix::row_words_bits() const {
  if (words_per_row >= 0) return 0;
  int32_t most = 0;
  for (int32_t w : row_words) most = std::max(most, w);
  return bits_for(int64_t{most} + 1);
}

int64_t EncodedMatrix::bank_bits(int p, int scale_bits) const {
  const int64_t rows_here = rows > p ? (rows - p + pes - 1) / pes : 0;
  return banks[size_t(p)].words * word_bits() +
         rows_here * 8 * (row_words_bytes() + row_scale_bytes(scale_bits));
}

EncodedMatrix programmed_geometry(int rows, int cols, int pes, int lanes, bool segment_balanced,
                                  int seg_len, const FixedFormat& fmt, int words_per_row,
                                  const std::vector<int64_t>& bank_words, int row_length_bytes) {
  EncodedMatrix e = shape(rows, cols, pes, lanes, segment_balanced, seg_len, fmt);
  e.words_per_row = words_per_row;
  // A stand-in length whose entry takes row_length_bytes bytes: bits_for(2^(8(b-1)) + 1) is
  // 8(b-1) + 1 bits.
  const int32_t stand_in = row_length_bytes > 0 ? int32_t{1} << (8 * (row_length_bytes - 1)) : 0;
  std::fill(e.row_words.begin(), e.row_words.end(), words_per_row >= 0 ? words_per_row : stand_in);
  for (size_t p = 0; p < e.banks.size() && p < bank_words.size(); ++p)
    e.banks[p].words = bank_words[p];
  return e;
}

std::vector<int> gate_interleaved_rows(int hidden) {
  std::vector<int> rows(static_cast<size_t>(4 * hidden));
  for (int u = 0; u < hidden; ++u)
    for (int g = 0; g < 4; ++g) rows[size_t(4 * u + g)] = g * hidden + u;
  return rows;
}

std::vector<int> identity_rows(int rows) {
  std::vector<int> r(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) r[size_t(i)] = i;
  return r;
}

EncodedMatrix encode_weight_bank(const Eigen::MatrixXd& w, const PruneMask& mask,
                                 const std::vector<int>& hw_to_row, int pes, const FixedFormat& fmt,
                                 const FixedFormat& scale_fmt) {
  EncodedMatrix e =
      shape(mask.rows, mask.cols, pes, mask.lanes, mask.segment_balanced, mask.seg_len, fmt);
  e.words_per_row = mask.per_row >= 0 ? (mask.per_row + e.lanes - 1) / e.lanes : -1;
  const uint64_t value_mask = (uint64_t{1} << e.value_bits) - 1;
  for (int q = 0; q < e.rows; ++q) {
    const int r = hw_to_row[size_t(q)];
    const std::vector<int>& kept = mask.kept[size_t(r)];
    const int n = static_cast<int>(kept.size());
    // A row with no kept weight still takes one (padding) word: a PE finishes at most one row
    // per cycle (docs/format.md).
    const int words = e.segment_balanced ? n / e.lanes : std::max(1, (n + e.lanes - 1) / e.lanes);
    e.row_words[size_t(q)] = words;
    if (e.binarized) {
      double sum = 0;
      int real = 0;
      for (int c : kept)
        if (c < e.cols) sum += std::abs(w(r, c)), ++real;
      e.row_scale[size_t(q)] = quantize(real ? sum / real : 0.0, scale_fmt);
    }
    BitBank& bank = e.banks[size_t(q % pes)];
    for (int wd = 0; wd < words; ++wd, ++bank.words) {
      const int64_t base = bank.words * e.word_bits();
      for (int j = 0; j < e.lanes; ++j) {
        // Segment-balanced: slot j is lane j's wd-th kept column, indexed within segment j.
        // Otherwise: slot j is the row's (wd*L + j)-th kept column; a missing one is a zero slot.
        const int i = e.segment_balanced ? j * words + wd : wd * e.lanes + j;
        uint64_t value = 0, index = 0;
        if (i < n) {
          const int c = kept[size_t(i)];
          const double v = c < e.cols ? w(r, c) : 0.0;
          value =
              e.binarized ? (v >= 0 ? 1 : 0) : static_cast<uint64_t>(quantize(v, fmt)) & value_mask;
          index = static_cast<uint64_t>(e.segment_balanced ? c - j * e.seg_len : c);
        }
        const int64_t slot = base + int64_t{j} * e.slot_bits();
        put_bits(bank, slot, e.value_bits, value);
        put_bits(bank, slot + e.value_bits, e.index_bits, index);
      }
    }
  }
  for (auto& bank : e.banks) bank.bits.resize(size_t((bank.words * e.word_bits() + 63) / 64), 0);
  return e;
}

DecodedMatrix decode_weight_bank(const EncodedMatrix& e) {
  DecodedMatrix d;
  d.rows = e.rows;
  d.cols = e.cols;
  d.padded_cols = e.padded_cols();
  d.binarized = e.binarized;
  d.row_scale = e.row_scale;
  d.row_ptr.assign(size_t(e.rows) + 1, 0);
  std::vector<int64_t> next_word(size_t(e.pes), 0);
  for (int q = 0; q < e.rows; ++q) {
    const BitBank& bank = e.banks[size_t(q % e.pes)];
    int64_t& wd = next_word[size_t(q % e.pes)];
    for (int k = 0; k < e.row_words[size_t(q)]; ++k, ++wd) {
      for (int j = 0; j < e.lanes; ++j) {
        const int64_t slot = wd * e.word_bits() + int64_t{j} * e.slot_bits();
        const uint64_t raw = get_bits(bank, slot, e.value_bits);
        const int index = static_cast<int>(get_bits(bank, slot + e.value_bits, e.index_bits));
        const int32_t value =
            e.binarized ? (raw ? 1 : -1) : static_cast<int32_t>(wrap(int64_t(raw), e.value_bits));
        d.col.push_back(e.segment_balanced ? j * e.seg_len + index : index);
        d.val.push_back(value);
      }
    }
    d.row_ptr[size_t(q) + 1] = int64_t(d.col.size());
  }
  return d;
}

std::vector<uint8_t> pack_bank_image(const EncodedMatrix& e, int p, int scale_bits) {
  std::vector<uint8_t> out;
  auto put = [&out](uint64_t v, int bytes) {  // little-endian, the low `bytes` bytes of v
    for (int i = 0; i < bytes; ++i) out.push_back(uint8_t(v >> (8 * i)));
  };
  const int len_bytes = e.row_words_bytes(), scale_bytes = e.row_scale_bytes(scale_bits);
  for (int q = p; q < e.rows && len_bytes; q += e.pes)
    put(uint64_t(e.row_words[size_t(q)]), len_bytes);
  // A scale sign-extended from its scale_bits to the entry's whole bytes.
  for (int q = p; q < e.rows && scale_bytes; q += e.pes)
    put(uint64_t(wrap(e.row_scale[size_t(q)], scale_bits)), scale_bytes);
  const BitBank& bank = e.banks[size_t(p)];
  const int64_t data_bits = bank.words * e.word_bits();
  for (int64_t b = 0; b < data_bits; b += 8)
    out.push_back(uint8_t(get_bits(bank, b, int(std::min<int64_t>(8, data_bits - b)))));
  return out;
}

EncodedMatrix unpack_bank_images(const EncodedMatrix& geometry,
                                 const std::vector<std::vector<uint8_t>>& images, int scale_bits) {
  EncodedMatrix e = geometry;
  const int len_bytes = e.row_words_bytes(), scale_bytes = e.row_scale_bytes(scale_bits);
  for (int p = 0; p < e.pes; ++p) {
    const uint8_t* in = images[size_t(p)].data();
    auto get = [&in](int bytes) {  // the next `bytes` bytes, little-endian
      uint64_t v = 0;
      for (int i = 0; i < bytes; ++i) v |= uint64_t(*in++) << (8 * i);
      return v;
    };
    int64_t words = 0;
    for (int q = p; q < e.rows; q += e.pes) {
      if (len_bytes) e.row_words[size_t(q)] = int32_t(get(len_bytes));
      words += e.row_words[size_t(q)];
    }
    for (int q = p; q < e.rows && scale_bytes; q += e.pes)
      e.row_scale[size_t(q)] = wrap(int64_t(get(scale_bytes)), scale_bits);
    BitBank& bank = e.banks[size_t(p)];
    bank.words = words;
    const int64_t data_bits = words * e.word_bits();
    bank.bits.assign(size_t((data_bits + 63) / 64), 0);
    for (int64_t b = 0; b < data_bits; b += 8)
      put_bits(bank, b, int(std::min<int64_t>(8, data_bits - b)), *in++);
  }
  return e;
}

}  // namespace sparrow
