#include "controller/program.h"

#include <algorithm>
#include <string>

#include "compress/bank_format.h"
#include "compress/bank_use.h"
#include "config/workload_config.h"

namespace sparrow {
namespace {

constexpr uint32_t kRowsDiffer = 0xffffffffu;
const char* const kMatrixNames[] = {"W_x", "W_h", "W_r"};

[[noreturn]] void refuse(const std::string& reg, uint64_t value, const std::string& allowed) {
  throw ProgramError("register " + reg + ": got " + std::to_string(value) +
                     "; allowed: " + allowed);
}

// A register in [lo, hi].
int in_range(const Csr& csr, uint32_t addr, const char* name, uint32_t lo, uint32_t hi) {
  const uint32_t v = csr.reg(addr);
  if (v < lo || v > hi) refuse(name, v, std::to_string(lo) + ".." + std::to_string(hi));
  return int(v);
}

// A pass-matrix as the descriptors describe it: each PE's bank words and side-table bytes.
struct Described {
  std::vector<int64_t> words;
  std::vector<int64_t> table_bytes;
  std::vector<int64_t> bytes;  // -1: no descriptor
  int idx_bits = -1;
};

struct Descriptors {
  std::vector<std::vector<Described>> mats;  // [pass][matrix]
  std::vector<int64_t> bias_bytes;           // [pass]
};

// Reads the descriptor table up to WEIGHT_BYTES: [pass][matrix], and the biases' units.
Descriptors read_descriptors(const Csr& csr, const ArchConfig& arch, int passes, int hidden,
                             bool proj) {
  Descriptors d;
  d.mats.assign(size_t(passes), std::vector<Described>(3));
  d.bias_bytes.assign(size_t(passes), -1);
  for (auto& pass : d.mats)
    for (int m = 0; m < 3; ++m) {
      const size_t pes = size_t((m == 0 ? arch.mac_array.wx : arch.mac_array.wh).pes);
      pass[size_t(m)].words.assign(pes, 0);
      pass[size_t(m)].table_bytes.assign(pes, 0);
      pass[size_t(m)].bytes.assign(pes, -1);
    }
  const uint64_t total = csr.reg(kCsrWeightBytes);
  const uint64_t beat = uint64_t(arch.memory.bytes_per_cycle);
  uint64_t end = 0;
  for (size_t e = 0; end < total; ++e) {
    const std::string name = "descriptor " + std::to_string(e);
    if (e >= csr.descriptors())
      refuse("WEIGHT_BYTES", total, "the end of a region the descriptor table describes");
    const uint32_t target = csr.descriptor(e, kCsrDescTarget);
    const uint64_t bytes = csr.descriptor(e, kCsrDescBytes);
    const uint64_t items = csr.descriptor(e, kCsrDescItems);
    const uint32_t format = csr.descriptor(e, kCsrDescFormat);
    const uint32_t kind = kCsrDescTargetKind.get(target), pe = kCsrDescTargetPe.get(target);
    const uint32_t pass = kCsrDescTargetPass.get(target);
    if (int64_t(pass) >= passes)
      refuse(name + " TARGET.PASS", pass, "0.." + std::to_string(passes - 1));
    if (bytes == 0)
      refuse("WEIGHT_BYTES", total,
             "at most " + std::to_string(end) + " (the descriptor table ends at entry " +
                 std::to_string(e) + ")");
    end = (end + beat - 1) / beat * beat + bytes;
    if (kind == uint32_t(RegionKind::kBias)) {
      if (items != uint64_t(hidden))
        refuse(name + " ITEMS", items, std::to_string(hidden) + " (HIDDEN_SIZE bias units)");
      d.bias_bytes[pass] = int64_t(bytes);
      continue;
    }
    if (kind == uint32_t(RegionKind::kWr) && !proj)
      refuse(name + " TARGET.KIND", kind, "0, 1 or 2 without projection (PROJ_SIZE 0)");
    const size_t m = kind == uint32_t(RegionKind::kWx)   ? 0
                     : kind == uint32_t(RegionKind::kWh) ? 1
                                                         : 2;
    Described& x = d.mats[pass][m];
    if (pe >= x.words.size())
      refuse(name + " TARGET.PE", pe, "0.." + std::to_string(x.words.size() - 1));
    x.words[pe] = int64_t(items);
    x.bytes[pe] = int64_t(bytes);
    x.table_bytes[pe] = int64_t(kCsrDescFormatTableBytes.get(format));
    const int idx = int(kCsrDescFormatIdxBits.get(format));
    if (x.idx_bits >= 0 && idx != x.idx_bits)
      refuse(name + " FORMAT.IDX_BITS", uint64_t(idx),
             std::to_string(x.idx_bits) + " (the other banks of its matrix)");
    x.idx_bits = idx;
  }
  if (end != total)
    refuse("WEIGHT_BYTES", total, std::to_string(end) + " (the end of the last region)");
  return d;
}

// The bytes of one row-length entry of a matrix's side tables (0: rows of a fixed length), as
// the descriptors' table bytes say, refused where they are not whole entries.
int row_length_bytes(const Described& d, const ArraySize& size, int rows, int64_t scale_bytes) {
  int length_bytes = 0;
  for (int p = 0; p < size.pes; ++p) {
    const int64_t here = rows > p ? (rows - p + size.pes - 1) / size.pes : 0;
    if (here == 0 || d.table_bytes[size_t(p)] == 0) continue;
    const int64_t entry = d.table_bytes[size_t(p)] / here;
    if (entry * here != d.table_bytes[size_t(p)] || entry < scale_bytes || entry - scale_bytes > 4)
      refuse("descriptor FORMAT.TABLE_BYTES", uint64_t(d.table_bytes[size_t(p)]),
             "whole side-table entries of at most 4 + " + std::to_string(scale_bytes) +
                 " bytes for " + std::to_string(here) + " rows");
    length_bytes = int(entry - scale_bytes);
  }
  return length_bytes;
}

// Which registers describe a matrix: its columns per lane and its words per row.
struct MatrixRegs {
  uint32_t seg;
  const char* seg_name;
  uint32_t wpr;
};

// Matrix m (0 W_x, 1 W_h, 2 W_r) of pass k as the registers and its descriptors program it.
EncodedMatrix programmed_matrix(const Csr& csr, const ArchConfig& arch, const Described& d, int m,
                                int rows, int cols, const MatrixRegs& regs) {
  const ArraySize& size = m == 0 ? arch.mac_array.wx : arch.mac_array.wh;
  const FixedFormat& fmt = m == 0 ? arch.arith.wx : arch.arith.wh;
  const bool segments = arch.compression.pattern != PruningPattern::kUnstructured &&
                        arch.compression.segment_balanced;
  const int seg = segments ? (cols + size.lanes - 1) / size.lanes : cols;
  if (csr.reg(regs.seg) != uint32_t(seg))
    refuse(regs.seg_name, csr.reg(regs.seg),
           std::to_string(seg) + " (columns per lane of this matrix on this hardware)");
  const uint32_t wpr = csr.reg(regs.wpr);
  const int64_t scale_bytes = fmt.bits == 1 ? (arch.arith.scale.bits + 7) / 8 : 0;
  const int length_bytes = row_length_bytes(d, size, rows, scale_bytes);
  if ((wpr == kRowsDiffer) != (length_bytes > 0) && length_bytes > 0)
    refuse("descriptor FORMAT.TABLE_BYTES", uint64_t(length_bytes),
           "no row lengths when the matrix's rows have a fixed length");
  EncodedMatrix e = programmed_geometry(rows, cols, size.pes, size.lanes, segments, seg, fmt,
                                        wpr == kRowsDiffer ? -1 : int(wpr), d.words, length_bytes);
  if (d.idx_bits >= 0 && d.idx_bits != e.index_bits)
    refuse("descriptor FORMAT.IDX_BITS", uint64_t(d.idx_bits),
           std::to_string(e.index_bits) + " (the index width of segments of " +
               std::to_string(seg) + " columns)");
  return e;
}

// Each descriptor's bytes are those of its region in the weight area these passes have.
void check_region_bytes(const std::vector<PassGeometry>& passes, const ArchConfig& arch,
                        const Descriptors& described) {
  const WeightLayout layout(passes, arch);
  for (size_t k = 0; k < passes.size(); ++k) {
    for (size_t m = 0; m < 3; ++m)
      for (size_t p = 0; p < layout.banks[k][m].size(); ++p) {
        const int64_t want = int64_t(layout.banks[k][m][p].bytes);
        const int64_t got = described.mats[k][m].bytes[p];
        if (got != (want > 0 ? want : -1))
          refuse("descriptor of pass " + std::to_string(k) + " " + kMatrixNames[m] + " PE " +
                     std::to_string(p) + " BYTES",
                 uint64_t(got < 0 ? 0 : got), std::to_string(want) + " (its bank image)");
      }
    if (described.bias_bytes[k] != int64_t(layout.bias[k].bytes))
      refuse("descriptor of pass " + std::to_string(k) + " bias BYTES",
             uint64_t(std::max<int64_t>(described.bias_bytes[k], 0)),
             std::to_string(layout.bias[k].bytes));
  }
}

}  // namespace

std::vector<PassGeometry> programmed_passes(const Csr& csr, const ArchConfig& arch) {
  const int layers = in_range(csr, kCsrLayers, "LAYERS", 1, 255);
  const int dirs = in_range(csr, kCsrDirections, "DIRECTIONS", 1, 2);
  const int input = in_range(csr, kCsrInputSize, "INPUT_SIZE", 1, 1 << 24);
  const int hidden = in_range(csr, kCsrHiddenSize, "HIDDEN_SIZE", 1, 1 << 22);
  const int proj = in_range(csr, kCsrProjSize, "PROJ_SIZE", 0, uint32_t(hidden) - 1);
  in_range(csr, kCsrSeqLen, "SEQ_LEN", 1, 1u << 31);
  const uint32_t sequences = uint32_t(in_range(csr, kCsrSequences, "SEQUENCES", 1, 1u << 31));
  const uint32_t batch = uint32_t(in_range(csr, kCsrBatch, "BATCH", 1, kMaxBatch));
  if (sequences % batch != 0)
    refuse("BATCH", batch, "a divisor of SEQUENCES = " + std::to_string(sequences));
  if (layers * dirs > 256) refuse("LAYERS", uint64_t(layers), "at most 256 passes in all");
  const int state = proj > 0 ? proj : hidden;
  const Descriptors described = read_descriptors(csr, arch, layers * dirs, hidden, proj > 0);
  std::vector<PassGeometry> out;
  for (int l = 0; l < layers; ++l)
    for (int dir = 0; dir < dirs; ++dir) {
      const auto& d = described.mats[size_t(l * dirs + dir)];
      PassGeometry g;
      g.layer = l;
      g.direction = dir;
      g.input_size = l == 0 ? input : dirs * state;
      g.hidden = hidden;
      g.state = state;
      const MatrixRegs wx = l == 0 ? MatrixRegs{kCsrWxSeg0, "WX_SEG_0", kCsrWxWpr}
                                   : MatrixRegs{kCsrWxSegN, "WX_SEG_N", kCsrWxWprN};
      g.wx = programmed_matrix(csr, arch, d[0], 0, 4 * hidden, g.input_size, wx);
      g.wh = programmed_matrix(csr, arch, d[1], 1, 4 * hidden, state,
                               {kCsrWhSeg, "WH_SEG", kCsrWhWpr});
      if (proj > 0)
        g.wr =
            programmed_matrix(csr, arch, d[2], 2, proj, hidden, {kCsrWrSeg, "WR_SEG", kCsrWrWpr});
      out.push_back(std::move(g));
    }
  check_region_bytes(out, arch, described);
  // Whether the weights stream follows from the banks' capacity; the register must say the same.
  const uint32_t streamed = bank_use(out, arch).on_chip() ? 0 : 1;
  if (csr.reg(kCsrWeightsStreamed) != streamed)
    refuse("WEIGHTS_STREAMED", csr.reg(kCsrWeightsStreamed),
           std::to_string(streamed) +
               (streamed ? " (the weights do not fit the banks)" : " (the weights fit the banks)"));
  return out;
}

}  // namespace sparrow
