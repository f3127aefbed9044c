#include "compress/bank_file.h"

#include "common/error.h"
#include "common/file_util.h"
#include "io/npy.h"

namespace sparrow {
namespace {

constexpr int kGeometryFields = 10;

void put_matrix(std::map<std::string, NpyArray>& out, const std::string& key,
                const EncodedMatrix& e) {
  out[key + "_geometry"] = NpyArray::from_int64(
      {kGeometryFields}, {e.rows, e.cols, e.pes, e.lanes, e.segment_balanced, e.seg_len,
                          e.binarized, e.value_bits, e.index_bits, e.words_per_row});
  out[key + "_row_words"] =
      NpyArray::from_int32({e.row_words.size()}, {e.row_words.begin(), e.row_words.end()});
  if (e.binarized)
    out[key + "_row_scale"] = NpyArray::from_int64({e.row_scale.size()}, e.row_scale);
  for (int p = 0; p < e.pes; ++p) {
    const BitBank& b = e.banks[size_t(p)];
    const size_t nbytes = size_t((b.words * e.word_bits() + 7) / 8);
    std::vector<uint8_t> bytes(nbytes);
    for (size_t i = 0; i < nbytes; ++i) bytes[i] = uint8_t(b.bits[i / 8] >> (8 * (i % 8)));
    out[key + "_pe" + std::to_string(p)] = NpyArray::from_uint8({nbytes}, bytes);
  }
}

class Reader {
 public:
  Reader(const std::map<std::string, NpyArray>& arrays, const std::string& path, bool check_indices)
      : path_(path), arrays_(arrays), check_indices_(check_indices) {}

  std::vector<int64_t> ints(const std::string& key, size_t expect) const {
    auto it = arrays_.find(key);
    if (it == arrays_.end()) throw_input_error(path_, key, "no such array", "a sparrow bank file");
    if (it->second.kind == 'f' || (expect && it->second.size() != expect))
      throw_input_error(path_, key, "a float array or one of the wrong size",
                        std::to_string(expect) + " integers");
    try {
      return it->second.to_int64();
    } catch (const std::exception&) {
      throw_input_error(path_, key, "an integer out of range", "a sparrow bank file");
    }
  }

  EncodedMatrix matrix(const std::string& key) const {
    const std::vector<int64_t> g = ints(key + "_geometry", kGeometryFields);
    auto field = [&](int i, int64_t lo, int64_t hi) {
      if (g[size_t(i)] < lo || g[size_t(i)] > hi)
        throw_input_error(path_, key + "_geometry[" + std::to_string(i) + "]",
                          std::to_string(g[size_t(i)]),
                          "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
      return static_cast<int>(g[size_t(i)]);
    };
    EncodedMatrix e;
    e.rows = field(0, 0, 1 << 20);
    e.cols = field(1, 1, 1 << 20);
    e.pes = field(2, 1, 4096);
    e.lanes = field(3, 1, 64);
    e.segment_balanced = field(4, 0, 1);
    e.seg_len = field(5, 1, 1 << 20);
    e.binarized = field(6, 0, 1);
    e.value_bits = field(7, 1, 16);
    e.index_bits = field(8, 1, 21);
    e.words_per_row = field(9, -1, 1 << 20);
    if (e.binarized != (e.value_bits == 1))
      throw_input_error(path_, key + "_geometry[7]", std::to_string(e.value_bits),
                        "1 exactly when the matrix is binarized");
    const std::vector<int64_t> rw = ints(key + "_row_words", size_t(e.rows));
    e.row_words.assign(rw.begin(), rw.end());
    std::vector<int64_t> words(size_t(e.pes), 0);
    for (int q = 0; q < e.rows; ++q) {
      const int64_t n = rw[size_t(q)];
      if (n < 1 || n > e.cols || (e.words_per_row >= 0 && n != e.words_per_row))
        throw_input_error(path_, key + "_row_words[" + std::to_string(q) + "]", std::to_string(n),
                          "the row's word count (1.." + std::to_string(e.cols) + ")");
      words[size_t(q % e.pes)] += n;
    }
    if (e.binarized) e.row_scale = ints(key + "_row_scale", size_t(e.rows));
    for (int p = 0; p < e.pes; ++p) {
      const int64_t nbits = words[size_t(p)] * e.word_bits();
      const std::vector<int64_t> bytes =
          ints(key + "_pe" + std::to_string(p), size_t((nbits + 7) / 8));
      BitBank b;
      b.words = words[size_t(p)];
      b.bits.assign(size_t((nbits + 63) / 64), 0);
      for (size_t i = 0; i < bytes.size(); ++i)
        b.bits[i / 8] |= uint64_t(bytes[i] & 0xff) << (8 * (i % 8));
      e.banks.push_back(std::move(b));
    }
    if (!check_indices_) return e;
    // Every index must address a column of the (padded) vector.
    const DecodedMatrix d = decode_weight_bank(e);
    for (size_t k = 0; k < d.col.size(); ++k)
      if (d.col[k] >= d.padded_cols)
        throw_input_error(path_, key, "a column index " + std::to_string(d.col[k]),
                          "indices below " + std::to_string(d.padded_cols));
    return e;
  }

  bool has(const std::string& key) const { return arrays_.count(key) > 0; }

 private:
  std::string path_;
  const std::map<std::string, NpyArray>& arrays_;
  bool check_indices_;
};

}  // namespace

std::string bank_prefix(int layer, int dir) {
  return "l" + std::to_string(layer) + (dir ? "_rev" : "_fwd");
}

std::map<std::string, NpyArray> bank_file_arrays(const CompressedModel& m) {
  std::map<std::string, NpyArray> out;
  const LstmWeights& w = m.pruned;
  out["model"] = NpyArray::from_int64({2}, {w.layers, w.directions()});
  for (int l = 0; l < w.layers; ++l) {
    for (int d = 0; d < w.directions(); ++d) {
      const CompressedDirection& cd = m.at(l, d);
      const std::string pre = bank_prefix(l, d);
      put_matrix(out, pre + "_wx", cd.wx);
      put_matrix(out, pre + "_wh", cd.wh);
      if (cd.wr.rows > 0) put_matrix(out, pre + "_wr", cd.wr);
      out[pre + "_bias"] = NpyArray::from_int64({cd.bias.size()}, cd.bias);
    }
  }
  return out;
}

std::string serialize_bank_file(const CompressedModel& m) {
  return serialize_npz(bank_file_arrays(m));
}

void write_bank_file(const std::string& path, const CompressedModel& m) {
  write_file_atomic(path, serialize_bank_file(m));
}

BankSet read_bank_file(const std::string& path) {
  return parse_bank_file(read_file_bytes(path), path);
}

BankSet parse_bank_file(const std::string& bytes, const std::string& path) {
  return bank_set_of(parse_npz(bytes, path), path);
}

BankSet bank_set_of(const std::map<std::string, NpyArray>& arrays, const std::string& path,
                    bool check_indices) {
  const Reader r(arrays, path, check_indices);
  const std::vector<int64_t> model = r.ints("model", 2);
  if (model[0] < 1 || model[0] > 64 || model[1] < 1 || model[1] > 2)
    throw_input_error(path, "model", std::to_string(model[0]) + ", " + std::to_string(model[1]),
                      "layers in [1, 64] and directions in [1, 2]");
  BankSet s;
  s.layers = int(model[0]);
  s.directions = int(model[1]);
  for (int l = 0; l < s.layers; ++l) {
    for (int d = 0; d < s.directions; ++d) {
      const std::string pre = bank_prefix(l, d);
      CompressedDirection cd;
      cd.wx = r.matrix(pre + "_wx");
      cd.wh = r.matrix(pre + "_wh");
      if (r.has(pre + "_wr_geometry")) cd.wr = r.matrix(pre + "_wr");
      cd.bias = r.ints(pre + "_bias", size_t(cd.wx.rows));
      s.dirs.push_back(std::move(cd));
    }
  }
  return s;
}

}  // namespace sparrow
