#include "config/arch_config.h"

#include <algorithm>
#include <cmath>

#include "config/yaml_map.h"

namespace sparrow {
namespace {

// Widest intermediate the datapath may form; leaves headroom in int64 for alignment and rounding.
constexpr int kMaxIntermediateBits = 62;

FixedFormat read_format(YamlMap& parent, const std::string& key, int min_bits, int max_bits) {
  YamlMap m = parent.get_map(key);
  FixedFormat f;
  f.bits = static_cast<int>(m.get_int("bits", min_bits, max_bits));
  f.frac = static_cast<int>(m.get_int("frac", 0, 40));
  m.finish();
  return f;
}

int exact_log2(YamlMap& m, const std::string& key, int64_t lo, int64_t hi) {
  const int64_t v = m.get_int(key, lo, hi);
  if ((v & (v - 1)) != 0)
    m.fail(key, "'" + std::to_string(v) + "'",
           "a power of two in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  int log = 0;
  while ((int64_t{1} << log) < v) ++log;
  return log;
}

ArraySize read_array_size(YamlMap& m) {
  ArraySize a;
  a.pes = static_cast<int>(m.get_int("pes", 1, 4096));
  a.lanes = static_cast<int>(m.get_int("lanes", 1, 64));
  return a;
}

// `pes` and `lanes` size both arrays alike; `wx: {pes, lanes}` and `wh: {pes, lanes}` size each
// for its matrix (never both ways, and not for a shared array, which is one array).
MacArrayConfig parse_mac_array(YamlMap& m) {
  MacArrayConfig c;
  c.shared = m.get_bool("shared", false);
  c.x_block = static_cast<int>(m.get_int("x_block", 1, 64, 1));
  if (c.shared && c.x_block > 1)
    m.fail("x_block", "'" + std::to_string(c.x_block) + "'",
           "1 with a shared array (its phases alternate X and H, so X phases cannot be blocked)");
  if (!m.has("wx") && !m.has("wh")) {
    c.wx = c.wh = read_array_size(m);
    return c;
  }
  for (const char* both : {"pes", "lanes"})
    if (m.has(both))
      m.fail(both, "'" + m.node(both).as<std::string>() + "'",
             "absent when mac_array.wx and mac_array.wh size the arrays");
  if (c.shared)
    m.fail("shared", "'true'",
           "false with per-array sizes (wx, wh); a shared array takes pes and lanes");
  for (auto [key, size] : {std::pair{"wx", &c.wx}, std::pair{"wh", &c.wh}}) {
    YamlMap a = m.get_map(key);
    *size = read_array_size(a);
    a.finish();
  }
  return c;
}

ActivationTableConfig read_table(YamlMap& parent, const std::string& key) {
  YamlMap m = parent.get_map(key);
  ActivationTableConfig t;
  t.range_log2 = exact_log2(m, "range", 1, 64);
  t.entries_log2 = exact_log2(m, "entries", 2, 65536);
  m.finish();
  return t;
}

// Every width the datapath forms is checked here, so the golden model never overflows int64 and
// every rounding point shifts right (docs/arithmetic.md, "Widths").
void check_widths(YamlMap& arith, const ArithConfig& a) {
  auto need = [&](const std::string& key, const std::string& what, int bits) {
    if (bits > kMaxIntermediateBits)
      arith.fail(key, "formats whose " + what + " needs " + std::to_string(bits) + " bits",
                 "at most " + std::to_string(kMaxIntermediateBits) + " bits (docs/arithmetic.md)");
  };
  const int wxb = a.wx_binarized() ? 2 : a.wx.bits;
  const int whb = a.wh_binarized() ? 2 : a.wh.bits;
  if (a.act.bits + std::max(wxb, whb) > a.acc_bits)
    arith.fail("acc_bits", "'" + std::to_string(a.acc_bits) + "'",
               "at least act.bits + the wider weight's bits = " +
                   std::to_string(a.act.bits + std::max(wxb, whb)));
  const int f = std::max({a.frac_x(), a.frac_h(), a.bias.frac});
  if (a.preact.frac > f)
    arith.fail("preact.frac", "'" + std::to_string(a.preact.frac) + "'",
               "at most the finest input fraction max(act.frac + wx.frac, act.frac + wh.frac, "
               "bias.frac) = " +
                   std::to_string(f));
  if (a.act.frac > 2 * a.gate.frac)
    arith.fail("act.frac", "'" + std::to_string(a.act.frac) + "'",
               "at most 2 * gate.frac = " + std::to_string(2 * a.gate.frac));
  const int sx_bits = a.acc_bits + (a.wx_binarized() ? a.scale.bits : 0);
  const int sh_bits = a.acc_bits + (a.wh_binarized() ? a.scale.bits : 0);
  need("acc_bits", "aligned W_x x sum", sx_bits + f - a.frac_x() + 2);
  need("acc_bits", "aligned W_h h sum", sh_bits + f - a.frac_h() + 2);
  need("bias", "aligned bias", a.bias.bits + f - a.bias.frac + 2);
  const int fc = std::max(a.gate.frac + a.cell.frac, 2 * a.gate.frac);
  need("cell", "aligned f * c", a.gate.bits + a.cell.bits + fc - a.gate.frac - a.cell.frac + 1);
  need("gate", "aligned i * g", 2 * a.gate.bits + fc - 2 * a.gate.frac + 1);
  // The table index is the input's top bits: each bin must span at least one input LSB.
  auto table = [&](const std::string& key, const ActivationTableConfig& t, const FixedFormat& in,
                   const std::string& in_name) {
    const int bin_shift = t.range_log2 + 1 + in.frac - t.entries_log2;
    if (bin_shift < 0)
      arith.fail("activation." + key + ".entries", "'" + std::to_string(1 << t.entries_log2) + "'",
                 "at most 2 * range * 2^" + in_name +
                     ".frac = " + std::to_string(int64_t{1} << (t.range_log2 + 1 + in.frac)) +
                     " (a bin must span at least one input LSB)");
    if (a.activation == ActivationKind::kPwl)
      need(
          "activation.slope", "slope * offset in a " + key + " segment",
          a.pwl_slope.bits + bin_shift + std::max(0, a.gate.frac - a.pwl_slope.frac - in.frac) + 1);
  };
  table("sigmoid", a.sigmoid, a.preact, "preact");
  table("tanh", a.tanh, a.preact, "preact");
  table("tanh", a.tanh, a.cell, "cell");
}

ArithConfig read_arith(YamlMap& root) {
  YamlMap m = root.get_map("arith");
  ArithConfig a;
  a.act = read_format(m, "act", 2, 16);
  a.wx = read_format(m, "wx", 1, 16);
  a.wh = read_format(m, "wh", 1, 16);
  if (a.wx_binarized() || a.wh_binarized()) {
    a.scale = read_format(m, "scale", 2, 16);
  } else if (m.has("scale")) {
    m.fail("scale", "a per-row scale format", "no 'scale' unless wx.bits or wh.bits is 1");
  }
  a.bias = read_format(m, "bias", 2, 32);
  a.acc_bits = static_cast<int>(m.get_int("acc_bits", 4, 48));
  a.preact = read_format(m, "preact", 2, 32);
  a.gate = read_format(m, "gate", 2, 24);
  a.cell = read_format(m, "cell", 2, 32);
  YamlMap act = m.get_map("activation");
  a.activation =
      act.get_enum("kind", {"lut", "pwl"}) == "lut" ? ActivationKind::kLut : ActivationKind::kPwl;
  a.sigmoid = read_table(act, "sigmoid");
  a.tanh = read_table(act, "tanh");
  if (a.activation == ActivationKind::kPwl) {
    a.pwl_slope = read_format(act, "slope", 2, 24);
  } else if (act.has("slope")) {
    act.fail("slope", "a slope format", "no 'slope' unless kind is pwl");
  }
  act.finish();
  check_widths(m, a);
  m.finish();
  return a;
}

CompressionConfig read_compression(YamlMap& root, const ArithConfig& a) {
  YamlMap m = root.get_map("compression");
  CompressionConfig c;
  const std::string p = m.get_enum("pattern", {"dual_ratio", "single_ratio", "unstructured"});
  const double max_s = 0.999;
  if (p == "dual_ratio") {
    c.pattern = PruningPattern::kDualRatio;
    c.sx = m.get_real("sx", 0.0, max_s);
    c.sh = m.get_real("sh", 0.0, max_s);
  } else {
    c.pattern = p == "single_ratio" ? PruningPattern::kSingleRatio : PruningPattern::kUnstructured;
    c.sx = c.sh = m.get_real("sparsity", 0.0, max_s);
  }
  c.segment_balanced =
      c.pattern == PruningPattern::kUnstructured ? false : m.get_bool("segment_balanced", true);
  if ((a.wx_binarized() || a.wh_binarized()) && !c.segment_balanced)
    m.fail(c.pattern == PruningPattern::kUnstructured ? "pattern" : "segment_balanced",
           c.pattern == PruningPattern::kUnstructured ? "'unstructured'" : "'false'",
           "a segment-balanced row-balanced pattern when wx.bits or wh.bits is 1 (binarized "
           "weights cannot encode a zero padding slot)");
  m.finish();
  return c;
}

}  // namespace

const char* to_string(PruningPattern p) {
  switch (p) {
    case PruningPattern::kDualRatio:
      return "dual_ratio";
    case PruningPattern::kSingleRatio:
      return "single_ratio";
    case PruningPattern::kUnstructured:
      return "unstructured";
  }
  return "?";
}

const char* to_string(ActivationKind k) {
  return k == ActivationKind::kLut ? "lut" : "pwl";
}

ArchConfig parse_arch_config(const YAML::Node& root, const std::string& file) {
  YamlMap m(root, file, "");
  ArchConfig c;
  c.file = file;
  c.name = m.get_string("name");
  m.get_string("description", "");
  c.clock_mhz = m.get_real("clock_mhz", 1.0, 10000.0);
  {
    YamlMap a = m.get_map("mac_array");
    c.mac_array = parse_mac_array(a);
    a.finish();
  }
  {
    YamlMap b = m.get_map("weight_bank");
    c.weight_bank.wx_kbit_per_pe = b.get_int("wx_kbit_per_pe", 0, int64_t{1} << 30);
    c.weight_bank.wh_kbit_per_pe = b.get_int("wh_kbit_per_pe", 0, int64_t{1} << 30);
    b.finish();
  }
  {
    YamlMap g = m.get_map("gate_unit");
    c.gate_unit.lanes = static_cast<int>(g.get_int("lanes", 1, 1024));
    c.gate_unit.pipeline_depth = static_cast<int>(g.get_int("pipeline_depth", 1, 64));
    g.finish();
  }
  {
    YamlMap mem = m.get_map("memory");
    c.memory.latency_cycles = static_cast<int>(mem.get_int("latency_cycles", 0, 100000));
    c.memory.bytes_per_cycle = static_cast<int>(mem.get_int("bytes_per_cycle", 1, 4096));
    c.memory.burst_bytes = static_cast<int>(mem.get_int("burst_bytes", 1, 1 << 20));
    if (c.memory.burst_bytes % c.memory.bytes_per_cycle != 0)
      mem.fail(
          "burst_bytes", "'" + std::to_string(c.memory.burst_bytes) + "'",
          "a multiple of memory.bytes_per_cycle = " + std::to_string(c.memory.bytes_per_cycle));
    mem.finish();
  }
  c.arith = read_arith(m);
  c.compression = read_compression(m, c.arith);
  m.finish();
  return c;
}

ArchConfig load_arch_config(const std::string& path, const Overrides& overrides) {
  std::string file;
  const YAML::Node root = load_yaml_file(path, overrides, file);
  return parse_arch_config(root, file);
}

}  // namespace sparrow
