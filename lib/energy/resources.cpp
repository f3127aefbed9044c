#include "energy/resources.h"

#include <algorithm>
#include <cmath>

namespace sparrow {
namespace {

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

int64_t clog2(int64_t v) {
  int64_t n = 0;
  while ((int64_t{1} << n) < v) ++n;
  return n;
}

int64_t pow2_ceil(int64_t v) {
  return int64_t{1} << clog2(v);
}

struct Shape {
  int64_t depth, width;
  double cost;  // in RAMB36
  bool sdp_only;
};

// 7-series block RAM shapes: RAMB36E1 and RAMB18E1 (half a RAMB36), the widest only as simple
// dual port.
constexpr Shape kShapes[] = {{32768, 1, 1, false},  {16384, 2, 1, false},   {8192, 4, 1, false},
                             {4096, 9, 1, false},   {2048, 18, 1, false},   {1024, 36, 1, false},
                             {512, 72, 1, true},    {16384, 1, 0.5, false}, {8192, 2, 0.5, false},
                             {4096, 4, 0.5, false}, {2048, 9, 0.5, false},  {1024, 18, 0.5, false},
                             {512, 36, 0.5, true}};

// The parameter set, read by name.
class Params {
 public:
  explicit Params(const RtlParams& p) : p_(p) {}
  int64_t operator[](const std::string& name) const { return rtl_param(p_, name); }

 private:
  const RtlParams& p_;
};

// The cheapest block-RAM shape for the memory, whatever its depth.
double shape_cost(int64_t depth, int64_t width, bool simple_dual_port) {
  double best = -1;
  for (const Shape& s : kShapes) {
    if (s.sdp_only && !simple_dual_port) continue;
    const double cost = double(ceil_div(depth, s.depth) * ceil_div(width, s.width)) * s.cost;
    if (best < 0 || cost < best) best = cost;
  }
  return best;
}

}  // namespace

double block_rams(int64_t depth, int64_t width, bool simple_dual_port) {
  if (depth <= 64 || width <= 0) return 0;
  return shape_cost(depth, width, simple_dual_port);
}

namespace {

struct Bank {
  const char *words, *bits, *idx;  // its parameters: depth, value bits, index field
};

struct Array {
  int64_t pes, lanes;
  std::vector<Bank> banks;
};

// The arrays of a design point: one shared array holding every bank per PE (XPes x XLanes), or
// the W_x array (XPes x XLanes) and the W_h array (HPes x HLanes); with projection a W_r bank
// beside each W_h bank.
std::vector<Array> arrays_of(const Params& p) {
  const Bank x{"XWords", "WxBits", "XIdx"}, h{"HWords", "WhBits", "HIdx"},
      r{"RWords", "WhBits", "RIdx"};
  std::vector<Bank> hr = {h};
  if (p["Proj"]) hr.push_back(r);
  if (p["Shared"]) {
    hr.insert(hr.begin(), x);
    return {{p["XPes"], p["XLanes"], hr}};
  }
  return {{p["XPes"], p["XLanes"], {x}}, {p["HPes"], p["HLanes"], hr}};
}

// What the units' rules read: the parameters and the arrays, and the sizes derived from them.
struct Design {
  explicit Design(const RtlParams& params) : p(params), arrays(arrays_of(p)) {
    act = p["ActBits"];
    vmax = std::max(p["WxBits"], p["WhBits"]);
    beat = p["BeatBytes"];
    items = p["Items"];
    idx = std::max(p["XIdx"], p["HIdx"]);
    if (p["Proj"]) idx = std::max(idx, p["RIdx"]);
    gate_lanes = p["GateLanes"];
    gate_depth = p["GateDepth"];
    for (const Array& a : arrays) {
      all_pes += a.pes;
      macs += a.pes * a.lanes;
      max_word = std::max(max_word, a.lanes * (vmax + idx));
    }
    prod = act + vmax;
    scaled = p["WxBits"] == 1 || p["WhBits"] == 1;
  }
  Params p;
  std::vector<Array> arrays;
  int64_t act = 0, vmax = 0, beat = 0, items = 0, idx = 0, gate_lanes = 0, gate_depth = 0;
  int64_t all_pes = 0, macs = 0, max_word = 0, prod = 0;
  bool scaled = false;
};

// MAC arrays with their weight banks.
Resources mac_arrays(const Design& d) {
  const Params& p = d.p;
  Resources mac;
  const int64_t lut_product = d.vmax == 1 ? d.act : (d.vmax <= 4 ? d.act * d.vmax : 0);
  const int64_t subs = bank_subs(d.items);
  double lut = 0, ff = 0;
  for (const Array& a : d.arrays) {
    const int64_t a_macs = a.pes * a.lanes;
    // Dot pairs: two lanes per DSP, no LUT product.
    const int64_t mults = lane_multipliers(p["DspPairs"] != 0, a.lanes);
    const bool pairs = mults < a.lanes;
    if (pairs)
      mac.dsp += a.pes * mults;
    else
      mac.dsp += d.vmax <= 4 ? 0 : (d.prod > 24 ? 2 : 1) * a_macs;
    mac.dsp += d.scaled ? a.pes : 0;
    // The array's banks, one of each per PE. A depth that is not a power of two takes block RAMs
    // of several depths and a multiplexer on the read data: 2.7 LUTs per word bit.
    for (const Bank& b : a.banks) {
      const int64_t width = a.lanes * (p[b.bits] + p[b.idx]);
      mac.bram36 += double(a.pes * subs) * block_rams(p[b.words] / subs, width, false);
      if ((p[b.words] & (p[b.words] - 1)) != 0) lut += 2.7 * double(a.pes * subs * width);
      lut += 4.1 * double(a.pes * width * ceil_div(d.items, 2));
    }
    lut += pairs ? 0.7 * double(a_macs * d.prod) : 3.0 * double(a_macs * lut_product);
    mac.ff += a.pes * ((a.lanes - 1) * (d.prod + clog2(a.lanes)) + p["AccBits"]);
    ff += 5.5 * double(a.pes) +
          (pairs ? 0.7 : (d.vmax <= 4 ? 1.5 : 0.0)) * double(a_macs * d.prod) +
          1.45 * double(a_macs * (d.prod > 24 ? d.prod : 0));
  }
  mac.lut = std::llround(lut);
  mac.ff += std::llround(ff);
  return mac;
}

// Vector buffer: the input store, the output-store banks, the operand rings.
Resources vector_buffer(const Design& d) {
  const Params& p = d.p;
  Resources vb;
  const int64_t ab = ceil_div(d.act, 8);
  const int64_t row_beats = ceil_div(p["MaxIn"] * ab, d.beat);
  const int64_t out_banks = pow2_ceil(std::max(d.gate_lanes, d.beat / ab));
  const int64_t out_row = ceil_div(p["MaxH"], out_banks);
  const int64_t out_depth = int64_t{1} << (1 + std::max<int64_t>(clog2(p["MaxT"]), 1) +
                                           std::max<int64_t>(clog2(out_row), 1));
  vb.bram36 = block_rams(p["MaxT"] * row_beats, 8 * d.beat, true) +
              double(out_banks) * block_rams(out_depth, d.act, true);
  const int64_t reader_bits = d.macs * d.act;
  vb.lut = std::llround(3.9 * double(reader_bits) + 8.4 * double(p["Shared"] * reader_bits));
  vb.ff = std::llround(0.37 * double(reader_bits));
  // With projection (Proj) the U rings, read by the W_h array's (or the shared array's) lanes as
  // the H rings are, and the top level's operand multiplexer of an R phase (U or H ring).
  if (p["Proj"] != 0) {
    const Array& h = d.arrays.back();
    vb.lut += std::llround(6.0 * double(h.pes * h.lanes * d.act));
  }
  return vb;
}

// The cell memory of `sequences` sequences: banks of MaxH x sequences values in all.
double cell_rams(const Design& d, int64_t sequences) {
  const int64_t cell_banks = pow2_ceil(d.gate_lanes);
  return double(cell_banks) *
         block_rams(ceil_div(sequences * d.p["MaxH"], cell_banks), d.p["CellBits"], true);
}

// One matrix's row results in the gate unit (rtl/row_results.sv): per PE of the array that
// produces them, `sets` buffers of ceil(4 MaxH / PEs) rows (a power of two) of AccBits each (and
// a scale with binarized weights), ceil(4 GateLanes / PEs) rows read a cycle: block RAM with a
// copy per read where the buffers are deeper than 128 rows, else LUT RAM (RAM64M: 64 words x 3
// bits in 4 LUT sites, a copy per three reads; not estimated but by batch_state).
struct RowResults {
  double bram36 = 0;
  int64_t lutram_sites = 0;
  int64_t block_pes = 0;  // PEs whose results are block RAM (a read register and bypass each)
};

RowResults row_results(const Design& d, int64_t pes, int64_t sets) {
  const Params& p = d.p;
  const int64_t rows = pow2_ceil(std::max<int64_t>(ceil_div(4 * p["MaxH"], pes), 2));
  const int64_t reads = ceil_div(4 * d.gate_lanes, pes);
  const int64_t width = p["AccBits"] + (d.scaled ? p["ScaleBits"] : 0);
  RowResults r;
  if (sets * rows > 128) {
    r.bram36 = double(pes * reads) * block_rams(sets * rows, width, true);
    r.block_pes = pes;
  } else {
    r.lutram_sites = pes * ceil_div(reads, 3) * ceil_div(sets * rows, 64) * 4 * ceil_div(width, 3);
  }
  return r;
}

// Gate unit: activation ROMs, bias and cell memories, row results, the gate arithmetic.
Resources gate_unit(const Design& d) {
  const Params& p = d.p;
  const int64_t g = d.gate_lanes;
  Resources gate;
  const bool pwl = p["Pwl"] != 0;
  gate.dsp = g * (3 + (pwl ? 5 : 0));
  if (d.gate_depth >= 3) {
    const int64_t roms = (4 + (d.gate_depth >= 4 ? 1 : 0)) * (pwl ? 2 : 1);
    const int64_t entries = int64_t{1} << std::max(p["SigEntriesLog2"], p["TanhEntriesLog2"]);
    const int64_t width = std::max(p["GateBits"], pwl ? p["SlopeBits"] : 0);
    gate.bram36 += double(g * roms) * shape_cost(entries, width, true);
  }
  const int64_t bias_banks = pow2_ceil(std::max(g, d.items));
  gate.bram36 += double(bias_banks) * block_rams(ceil_div(p["MaxPasses"] * p["MaxH"], bias_banks),
                                                 32 * ceil_div(p["BiasBits"], 8), true);
  gate.bram36 += cell_rams(d, 1);
  const RowResults xrows = row_results(d, d.arrays.front().pes, p["XSlots"]),
                   hrows = row_results(d, d.arrays.back().pes, 1);
  gate.bram36 += xrows.bram36 + hrows.bram36;
  gate.lut = std::llround(23.2 * double(g * (p["CellBits"] + p["PreBits"] + p["GateBits"])) +
                          8.6 * double(g * (pwl ? 5 : 0) * (p["GateBits"] + p["PreBits"])) +
                          17.1 * double(g * ceil_div(p["MaxH"] * p["MaxPasses"], 64)) +
                          196.0 * double(p["Proj"] != 0 ? g : 0));
  gate.ff = std::llround(141 + 0.47 * double(g * d.gate_depth * (p["CellBits"] + d.act)) +
                         30.0 * double(d.all_pes) / double(d.arrays.size()) +
                         24.0 * double(xrows.block_pes + hrows.block_pes));
  return gate;
}

Resources weight_loader(const Design& d) {
  Resources loader;
  loader.lut = std::llround(2.54 * double(d.items * d.max_word) * std::log2(double(d.beat)) +
                            0.66 * double(d.items * d.max_word * d.idx));
  loader.ff = 230 + d.items * d.max_word + std::llround(18.4 * double(d.beat));
  return loader;
}

Resources control(const Design& d) {
  Resources control;
  // The DMA's AXI4 port: an entry of 40 bits on each address channel and of 8 B + B + 1 on the
  // write data (a multiplexer per bit), the read beat and response registered.
  control.lut = 1787 + 1059 + 9 * d.beat + 1327;
  control.ff = 1627 + 482 + 25 * d.beat + 623;
  // A build that streams weights: the DMA's walker of the phase reads and its queue, the
  // descriptor table's two more read ports.
  if (d.p["Stream"] != 0) {
    control.lut += 1023;
    control.ff += 247;
  }
  // A build that runs projection: the controller's R phases and START's checks of them.
  if (d.p["Proj"] != 0) control.lut += 533;
  return control;
}

// Each unit's estimate and the rule it follows (docs/energy.md, "Resources").
struct UnitRule {
  const char* name;
  Resources (*estimate)(const Design&);
  const char* rule;
};

constexpr UnitRule kUnits[] = {
    {"mac_array", mac_arrays,
     "DSP: a lane's product (two beyond 24 bits; none for <= 4-bit weights), or with DspPairs "
     "one per two lanes, and a PE's scale with binarized weights; BRAM36: each bank's RAMs at "
     "XWords/HWords/RWords words of Lanes x (value + XIdx/HIdx/RIdx) bits; LUT: 3 per bit "
     "product of a LUT multiplier, 0.7 per product bit of a dot-pair lane (its operands), 4.1 "
     "per bank word bit per pair of Items, ceil(Items / 2) (the loader's write ports), 2.7 per "
     "word bit of a bank whose depth is not a power of two (the read multiplexer); FF: the adder "
     "tree and accumulator, 5.5 per PE, product registers of LUT multipliers (1.5 per bit), of "
     "dot-pair lanes (0.7) and of two-DSP products (1.45); each array at its own PEs and lanes"},
    {"vector_buffer", vector_buffer,
     "BRAM36: the input store (MaxT rows of ceil(MaxIn x act bytes / beat) beats) and the "
     "output-store banks; LUT: 3.9 per lane operand bit (8.4 more with a shared array: each "
     "PE reads x and h), with Proj 6.0 more per operand bit of the W_h array (the U rings and "
     "the R phase's operand multiplexer); FF: 0.37 per lane operand bit"},
    {"gate_unit", gate_unit,
     "DSP: 3 products per gate lane, 5 more with PWL (a slope product per activation); "
     "BRAM36: the activation ROMs in block RAM from pipeline_depth 3 (4 per lane, 5 from depth "
     "4, value and slope ROMs with PWL), the bias and cell banks deeper than 64 words, the row "
     "results deeper than 128 rows (a copy per read per PE of the array); LUT: 23.2 "
     "per lane per cell + preact + gate bit, 8.6 per PWL product bit, 17.1 per lane per 64 "
     "units of bias, with Proj 196 per lane (the projection's rows); FF: 141 + 0.47 per staged "
     "bit + 30 per PE of an array (their mean) + 24 per PE whose row results are block RAM "
     "(the bypass)"},
    {"weight_loader", weight_loader,
     "LUT: per bit of the Items words a beat yields, 2.54 x log2(beat) for the window shift "
     "and 0.66 per index bit for the slot cutting; FF: 230 + the words + 18.4 per beat byte"},
    {"control", control,
     "the CSR block (1,787 LUT, the mean of the synthesized points, 1,630 to 1,983; 1,627 FF), "
     "DMA with its AXI4 master (1,059 LUT + 9 per beat byte: 979, the mean of the points "
     "synthesized before the port was registered, 950 to 1,012, and the port's entries; 482 FF + "
     "25 per beat byte) "
     "and controller (1,327 LUT, 948 to 1,848, 623 FF; set so that the control total, 4,093, is "
     "nearest to every point, 3,719 to 4,551, within 10.1 %), as synthesized; with Stream 1,023 "
     "LUT and 247 FF more (brds at ptb-medium against brds-s90 at ptb-medium, the same "
     "parameters but Stream); with Proj 533 LUT more (brds-s90 at speech-lstmp: 4,626 against "
     "4,093)"},
};

}  // namespace

// What a build that runs batches (MaxBatch = B above 1) adds (docs/timing.md, "Batches";
// rtl/gate_unit.sv; not calibrated on a synthesis): the memories that hold a sequence's state, B
// times as deep: the vector buffer's input and output stores (MaxT x B steps) and the gate unit's
// cell memory, in block RAM; and the W_h result buffers, B + 1 of them instead of one (the LUT
// RAM sites they add, or the block RAMs they take once deeper than 128 rows).
Resources batch_state(const RtlParams& params) {
  const Params p(params);
  const int64_t batch = p["MaxBatch"];
  RtlParams deeper = params;
  for (auto& [name, value] : deeper)
    if (name == "MaxT") value *= batch;
  const Design d(params), b(deeper);
  const int64_t h_pes = d.arrays.back().pes;
  const RowResults one = row_results(d, h_pes, 1), sets = row_results(d, h_pes, batch + 1);
  Resources r;
  r.bram36 = vector_buffer(b).bram36 - vector_buffer(d).bram36 + cell_rams(d, batch) -
             cell_rams(d, 1) + sets.bram36 - one.bram36;
  r.lut = sets.lutram_sites > 0 ? sets.lutram_sites - one.lutram_sites : 0;
  return r;
}

ResourceReport estimate_resources(const RtlParams& params) {
  const Design d(params);
  ResourceReport r;
  r.source = "analytic";
  r.estimate =
      "analytic (docs/energy.md, Resources): the RTL's units at this design point's parameters, "
      "not a synthesis";
  for (const UnitRule& u : kUnits) {
    const Resources e = u.estimate(d);
    r.units.push_back({u.name, e, u.rule});
    r.total.dsp += e.dsp;
    r.total.bram36 += e.bram36;
    r.total.lut += e.lut;
    r.total.ff += e.ff;
  }
  if (d.p["MaxBatch"] > 1) {
    const Resources extra = batch_state(params);
    r.units.push_back({"batch_state", extra,
                       "BRAM36: the input and output stores of the vector buffer and the cell "
                       "memory MaxBatch times as deep (the state of a batch's sequences), the W_h "
                       "results of MaxBatch + 1 steps where deeper than 128 rows; LUT: the LUT "
                       "RAM sites of those W_h results where 128 rows or fewer"});
    r.total.bram36 += extra.bram36;
    r.total.lut += extra.lut;
  }
  return r;
}

ResourceReport estimate_resources(const ArchConfig& arch, const WorkloadConfig& w,
                                  const CompressedModel& m) {
  return estimate_resources(rtl_parameters(m, arch, w));
}

}  // namespace sparrow
