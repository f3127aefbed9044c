#include "engines/rtl_host.h"

#include <algorithm>

#include "arith/activation.h"
#include "common/error.h"
#include "compress/bank_use.h"
#include "csr/regmap.h"

namespace sparrow {
namespace {

std::string quoted(int64_t v) {
  return "'" + std::to_string(v) + "'";
}

}  // namespace

int64_t RtlDesign::param(const std::string& name) const {
  return rtl_param(params, name);
}

const std::vector<std::string>& rtl_capacity_params() {
  static const std::vector<std::string> names = {
      "MaxT",  "MaxIn",  "MaxH",   "MaxPasses", "IdxMax", "XIdx", "HIdx",    "RIdx",
      "Items", "XWords", "HWords", "RWords",    "Stream", "Proj", "MaxBatch"};
  return names;
}

void check_rtl_scope(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w) {
  const int beat = arch.memory.bytes_per_cycle;
  if ((beat & (beat - 1)) != 0 || beat < act_bytes(arch.arith))
    throw_input_error(arch.file, "memory.bytes_per_cycle", quoted(beat),
                      "a power of two of at least " + std::to_string(act_bytes(arch.arith)) +
                          " bytes (one activation) for the RTL");
  // AXI4: a read's data follows its address by at least a cycle at the port, and the master
  // registers it as it arrives; INCR bursts of at most 256 beats that the master keeps inside
  // one aligned window of burst_bytes (never across 4 KB).
  if (arch.memory.latency_cycles < 1 + kAxiResponseStages)
    throw_input_error(arch.file, "memory.latency_cycles", quoted(arch.memory.latency_cycles),
                      "at least " + std::to_string(1 + kAxiResponseStages) +
                          " for the RTL's AXI4 memory port (data follows its address by a "
                          "cycle, and the master registers it)");
  const int64_t state_bytes = int64_t(w.state_size()) * act_bytes(arch.arith);
  if (w.bidirectional && state_bytes % beat != 0)
    throw_input_error(w.file, "hidden_size", quoted(w.hidden_size),
                      "a state of whole bus words (" + std::to_string(beat) +
                          " bytes) when bidirectional, for the RTL's AXI4 writes of the reverse "
                          "direction's outputs");
  const int burst = arch.memory.burst_bytes;
  if ((burst & (burst - 1)) != 0 || burst < 2 || burst > 4096 || burst / beat > 256)
    throw_input_error(arch.file, "memory.burst_bytes", quoted(burst),
                      "a power of two from 2 to 4096 bytes and at most 256 beats of " +
                          std::to_string(beat) + " bytes for the RTL's AXI4 bursts");
  for (const CompressedDirection& d : m.dirs)
    for (const EncodedMatrix* e : {&d.wx, &d.wh, &d.wr}) {
      if (e->rows == 0) continue;  // no projection
      const int entry = e->row_words_bytes() + e->row_scale_bytes(arch.arith.scale.bits);
      if (e->row_words_bytes() > 1)
        throw_input_error(w.file, "input_size", quoted(w.input_size),
                          "rows of at most 255 bank words for the RTL's row-length tables");
      if (entry > beat)
        throw_input_error(
            arch.file, "memory.bytes_per_cycle", quoted(beat),
            "at least " + std::to_string(entry) + " bytes (a side-table entry) for the RTL");
    }
}

namespace {

RtlDesign design_of(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                    const RtlParamFloors& floors) {
  const ArithConfig& a = arch.arith;
  RtlDesign d;
  d.params = rtl_parameters(m, arch, w, floors);
  if (const auto short_bank = rtl_bank_shortfall(m, arch, d.params)) {
    const bool x = short_bank->mat == Matrix::kWx;
    const char* idx = x ? "XIdx" : short_bank->mat == Matrix::kWh ? "HIdx" : "RIdx";
    const char* name = x ? "W_x" : short_bank->mat == Matrix::kWh ? "W_h" : "W_r";
    throw_input_error(arch.file, std::string("weight_bank.") + (x ? "wx" : "wh") + "_kbit_per_pe",
                      quoted(x ? arch.weight_bank.wx_kbit_per_pe : arch.weight_bank.wh_kbit_per_pe),
                      "room for " + std::to_string(short_bank->need) + " words of " +
                          std::to_string(arch.mac_array.of(x).lanes *
                                         ((x ? a.wx.bits : a.wh.bits) + d.param(idx))) +
                          " bits per PE in the RTL's " + name + " banks (they hold " +
                          std::to_string(short_bank->have) + ")");
  }
  d.rom_params = {{"SigFile", "sigmoid.mem"}, {"TanhFile", "tanh.mem"}};
  if (a.activation == ActivationKind::kPwl) {
    d.rom_params.emplace_back("SigSlopeFile", "sigmoid_slope.mem");
    d.rom_params.emplace_back("TanhSlopeFile", "tanh_slope.mem");
  }
  d.roms = activation_rom_images(a);
  return d;
}

}  // namespace

RtlDesign rtl_design(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                     const RtlParamFloors& floors) {
  check_rtl_scope(m, arch, w);
  return design_of(m, arch, w, floors);
}

RtlCase rtl_case(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                 const RawMatrix& x, const RtlParamFloors& floors) {
  check_rtl_scope(m, arch, w);
  const std::vector<PassGeometry> passes = pass_geometries(m, w);
  RtlCase c;
  c.design = design_of(m, arch, w, floors);
  c.map = plan_dram(passes, arch, w);
  c.dram = dram_image(m, arch, passes, x, c.map);
  c.outputs = final_outputs(c.map, arch, w);
  c.arch = arch;
  c.workload = w;
  c.csr = csr_program(m, arch, w, c.map);
  c.csr.push_back({kCsrCtrl, kCsrCtrlStart});
  return c;
}

}  // namespace sparrow
