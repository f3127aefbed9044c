// The driver: what the host puts in DRAM and writes to the registers (docs/registers.md) to
// program one run, independent of how it gets there. The SystemC host (host.cpp) writes it
// through TLM, the RTL host (rtl_host.cpp) hands the same writes to the Verilator testbench.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "csr/counters.h"
#include "csr/regmap.h"
#include "golden/lstm_fixed.h"
#include "timing/activity.h"
#include "weight_bank/weight_bank.h"

namespace sparrow {

// The hardware geometry of every pass of a compressed model: shapes, row lengths and bank
// sizes, what the registers and the load descriptors describe.
std::vector<PassGeometry> pass_geometries(const CompressedModel& m, const WorkloadConfig& w);

struct DramMap {
  uint64_t weight_base = 0;
  uint64_t input_base = 0;
  uint64_t output_base = 0;
  uint64_t bytes = 0;  // DRAM size
};

DramMap plan_dram(const std::vector<PassGeometry>& passes, const ArchConfig& arch,
                  const WorkloadConfig& w);

// The DRAM contents before START: the weight images and biases laid out by WeightLayout, the
// input sequence; bytes [0, map.output_base).
std::vector<uint8_t> dram_image(const CompressedModel& m, const ArchConfig& arch,
                                const std::vector<PassGeometry>& passes, const RawMatrix& x,
                                const DramMap& map);

// Where the last layer's output sequence lands: the outputs the host reads back, one row per
// step at row_stride (padding after each row).
struct DramRegion {
  uint64_t addr = 0;
  uint64_t bytes = 0;
};
DramRegion final_outputs(const DramMap& map, const ArchConfig& arch, const WorkloadConfig& w);

// The outputs in the bytes of final_outputs' region: (sequences x T) rows of output_size values.
RawMatrix output_matrix(const uint8_t* region, const ArchConfig& arch, const WorkloadConfig& w);

struct CsrWrite {
  uint32_t addr = 0;
  uint32_t value = 0;
};

// One load descriptor (docs/registers.md, "Load descriptors"): entry `index` of the table.
struct LoadDescriptor {
  int index = 0;
  RegionKind kind = RegionKind::kWx;
  int pe = 0;
  int pass = 0;
  uint64_t bytes = 0;
  uint64_t items = 0;        // bank words, or bias units
  uint64_t table_bytes = 0;  // side-table bytes at the head of a bank image
  int idx_bits = 0;
};

// The regions of the weight area that have bytes, in DRAM order.
std::vector<LoadDescriptor> load_descriptors(const ArchConfig& arch,
                                             const std::vector<PassGeometry>& passes,
                                             const WeightLayout& layout);

// The counters a run reads back after the interrupt: counter_registers() (csr/counters.h).
// A register's name as results and reports spell it: lower case ("mac_slots").
std::string counter_name(const CsrRegInfo& r);
// What counter register `name` (lower case: "cycles", "mac_slots", ...) reads after a run of
// this activity; std::logic_error for a name that is not a counter.
int64_t activity_counter(const Activity& activity, const std::string& name);

// One access of the register map's probe: a read or a write (of 0) at `addr`, and whether the
// map accepts it. Both models answer every probe as the map says (the SystemC CSR unit test, the
// Verilator testbench before each run).
struct CsrProbe {
  bool write = false;
  uint32_t addr = 0;
  bool accepted = true;
};
// Every word below kCsrEnd read and written (read-only registers refuse writes, the gaps refuse
// both; CTRL is not written), and the words around the descriptor table's base.
std::vector<CsrProbe> csr_map_probes();

// The register writes that program a run, in order, before START: the geometry, the addresses
// and the load descriptor table. InputError when the table does not fit the register space.
std::vector<CsrWrite> csr_program(const CompressedModel& m, const ArchConfig& arch,
                                  const WorkloadConfig& w, const DramMap& map);

}  // namespace sparrow
