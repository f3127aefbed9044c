// Generated from rtl/regmap.yaml by scripts/gen_regmap.py: do not edit; change the source and run
// the script (the test regmap.current checks this file).
// The register map of both models (docs/registers.md): byte addresses of 32-bit registers, their
// fields, access and reset values, and the load descriptor table.
#pragma once

#include <cstdint>

namespace sparrow {

enum CsrReg : uint32_t {
  kCsrCtrl = 0x00,
  kCsrStatus = 0x04,
  kCsrSeqLen = 0x08,
  kCsrLayers = 0x0c,
  kCsrDirections = 0x10,
  kCsrInputSize = 0x14,
  kCsrHiddenSize = 0x18,
  kCsrProjSize = 0x1c,
  kCsrWxWpr = 0x20,
  kCsrWhWpr = 0x24,
  kCsrWeightBase = 0x28,
  kCsrInputBase = 0x30,
  kCsrOutputBase = 0x38,
  kCsrCycles = 0x40,
  kCsrMacSlots = 0x48,
  kCsrDramReadBytes = 0x50,
  kCsrDramWriteBytes = 0x58,
  kCsrLutLookups = 0x60,
  kCsrSequences = 0x68,
  kCsrBatch = 0x6c,
  kCsrIrqEnable = 0x70,
  kCsrIrqStatus = 0x74,
  kCsrWeightsStreamed = 0x78,
  kCsrBatchSteps = 0x7c,
  kCsrWxWprN = 0x80,
  kCsrWrWpr = 0x84,
  kCsrWrSeg = 0x88,
  kCsrBatchIn = 0x8c,
  kCsrWxSeg0 = 0x90,
  kCsrWxSegN = 0x94,
  kCsrWhSeg = 0x98,
  kCsrWeightBytes = 0x9c,
  kCsrWxRowsPerPe = 0xa0,
  kCsrWxRowsExtra = 0xa4,
  kCsrInRow0 = 0xa8,
  kCsrInLast0 = 0xac,
  kCsrOutRow = 0xb0,
  kCsrLayerOut = 0xb4,
  kCsrLayerStride = 0xb8,
  kCsrBatchOut = 0xbc,
  kCsrWxBusy = 0xc0,
  kCsrWxStall = 0xc8,
  kCsrWhBusy = 0xd0,
  kCsrWhStall = 0xd8,
  kCsrWhRowsPerPe = 0xe0,
  kCsrWhRowsExtra = 0xe4,
  kCsrWrRowsPerPe = 0xe8,
  kCsrWrRowsExtra = 0xec,
  kCsrEnd = 0xf0,
};

// CTRL.START: start a run (ignored while busy)
inline constexpr uint32_t kCsrCtrlStart = 1u << 0;
// CTRL.SOFT_RESET: return to the reset state but for the rw registers and the descriptor table:
// STATUS, IRQ_STATUS and the counters clear. During a run it aborts the run: the device requests
// nothing more from memory, completes the transfers already requested (read data dropped), then
// resets; STATUS.BUSY stays 1 until then
inline constexpr uint32_t kCsrCtrlSoftReset = 1u << 1;
// STATUS.BUSY: a run is in progress
inline constexpr uint32_t kCsrStatusBusy = 1u << 0;
// STATUS.DONE: the last run finished (until the next START or SOFT_RESET)
inline constexpr uint32_t kCsrStatusDone = 1u << 1;
// STATUS.ERROR: with DONE: the run did not happen (the registers describe no run of this hardware:
// the SystemC model checks the geometry, the RTL that it fits its build's capacity and that it can
// finish it, docs/rtl.md) or stopped at a transfer the memory refused (or, on the RTL, at a load
// descriptor it cannot take)
inline constexpr uint32_t kCsrStatusError = 1u << 2;
// IRQ_ENABLE.DONE: interrupt when a run ends
inline constexpr uint32_t kCsrIrqEnableDone = 1u << 0;
// IRQ_STATUS.DONE: a run ended (STATUS.DONE was set)
inline constexpr uint32_t kCsrIrqStatusDone = 1u << 0;

enum class CsrAccess { kRw, kRo, kWo, kW1c };

struct CsrRegInfo {
  const char* name;
  uint32_t offset;
  int words;  // 2: a 64-bit register, low word first
  CsrAccess access;
  uint32_t reset;
};

inline constexpr CsrRegInfo kCsrRegs[] = {
    {"CTRL", 0x00, 1, CsrAccess::kWo, 0},
    {"STATUS", 0x04, 1, CsrAccess::kRo, 0},
    {"SEQ_LEN", 0x08, 1, CsrAccess::kRw, 0},
    {"LAYERS", 0x0c, 1, CsrAccess::kRw, 0},
    {"DIRECTIONS", 0x10, 1, CsrAccess::kRw, 0},
    {"INPUT_SIZE", 0x14, 1, CsrAccess::kRw, 0},
    {"HIDDEN_SIZE", 0x18, 1, CsrAccess::kRw, 0},
    {"PROJ_SIZE", 0x1c, 1, CsrAccess::kRw, 0},
    {"WX_WPR", 0x20, 1, CsrAccess::kRw, 0},
    {"WH_WPR", 0x24, 1, CsrAccess::kRw, 0},
    {"WEIGHT_BASE", 0x28, 2, CsrAccess::kRw, 0},
    {"INPUT_BASE", 0x30, 2, CsrAccess::kRw, 0},
    {"OUTPUT_BASE", 0x38, 2, CsrAccess::kRw, 0},
    {"CYCLES", 0x40, 2, CsrAccess::kRo, 0},
    {"MAC_SLOTS", 0x48, 2, CsrAccess::kRo, 0},
    {"DRAM_READ_BYTES", 0x50, 2, CsrAccess::kRo, 0},
    {"DRAM_WRITE_BYTES", 0x58, 2, CsrAccess::kRo, 0},
    {"LUT_LOOKUPS", 0x60, 2, CsrAccess::kRo, 0},
    {"SEQUENCES", 0x68, 1, CsrAccess::kRw, 1},
    {"BATCH", 0x6c, 1, CsrAccess::kRw, 1},
    {"IRQ_ENABLE", 0x70, 1, CsrAccess::kRw, 0},
    {"IRQ_STATUS", 0x74, 1, CsrAccess::kW1c, 0},
    {"WEIGHTS_STREAMED", 0x78, 1, CsrAccess::kRw, 0},
    {"BATCH_STEPS", 0x7c, 1, CsrAccess::kRw, 1},
    {"WX_WPR_N", 0x80, 1, CsrAccess::kRw, 0},
    {"WR_WPR", 0x84, 1, CsrAccess::kRw, 0},
    {"WR_SEG", 0x88, 1, CsrAccess::kRw, 0},
    {"BATCH_IN", 0x8c, 1, CsrAccess::kRw, 0},
    {"WX_SEG_0", 0x90, 1, CsrAccess::kRw, 0},
    {"WX_SEG_N", 0x94, 1, CsrAccess::kRw, 0},
    {"WH_SEG", 0x98, 1, CsrAccess::kRw, 0},
    {"WEIGHT_BYTES", 0x9c, 1, CsrAccess::kRw, 0},
    {"WX_ROWS_PER_PE", 0xa0, 1, CsrAccess::kRw, 0},
    {"WX_ROWS_EXTRA", 0xa4, 1, CsrAccess::kRw, 0},
    {"IN_ROW_0", 0xa8, 1, CsrAccess::kRw, 0},
    {"IN_LAST_0", 0xac, 1, CsrAccess::kRw, 0},
    {"OUT_ROW", 0xb0, 1, CsrAccess::kRw, 0},
    {"LAYER_OUT", 0xb4, 1, CsrAccess::kRw, 0},
    {"LAYER_STRIDE", 0xb8, 1, CsrAccess::kRw, 0},
    {"BATCH_OUT", 0xbc, 1, CsrAccess::kRw, 0},
    {"WX_BUSY", 0xc0, 2, CsrAccess::kRo, 0},
    {"WX_STALL", 0xc8, 2, CsrAccess::kRo, 0},
    {"WH_BUSY", 0xd0, 2, CsrAccess::kRo, 0},
    {"WH_STALL", 0xd8, 2, CsrAccess::kRo, 0},
    {"WH_ROWS_PER_PE", 0xe0, 1, CsrAccess::kRw, 0},
    {"WH_ROWS_EXTRA", 0xe4, 1, CsrAccess::kRw, 0},
    {"WR_ROWS_PER_PE", 0xe8, 1, CsrAccess::kRw, 0},
    {"WR_ROWS_EXTRA", 0xec, 1, CsrAccess::kRw, 0},
};

// The load descriptor table.
inline constexpr uint32_t kCsrDescBase = 0x1000;
inline constexpr uint32_t kCsrDescStride = 16;
inline constexpr uint32_t kCsrDescEnd = 0x10000;

enum class RegionKind : uint32_t {
  kWx = 0,
  kWh = 1,
  kBias = 2,
  kWr = 3,
};

// A descriptor word's field: bits [lsb, lsb + width).
struct CsrField {
  int lsb, width;
  constexpr uint32_t put(uint64_t v) const {
    return uint32_t((v & ((uint64_t{1} << width) - 1)) << lsb);
  }
  constexpr uint32_t get(uint32_t word) const {
    return uint32_t((uint64_t{word} >> lsb) & ((uint64_t{1} << width) - 1));
  }
  constexpr bool fits(uint64_t v) const { return v < (uint64_t{1} << width); }
};

// TARGET: what the region loads
inline constexpr uint32_t kCsrDescTarget = 0;
// TARGET.KIND: 0 W_x bank, 1 W_h bank, 2 bias, 3 W_r bank
inline constexpr CsrField kCsrDescTargetKind{0, 2};
// TARGET.PE: the bank's PE
inline constexpr CsrField kCsrDescTargetPe{8, 16};
// TARGET.PASS: the pass: layer x directions + direction
inline constexpr CsrField kCsrDescTargetPass{24, 8};
// BYTES: the region's bytes
inline constexpr uint32_t kCsrDescBytes = 4;
// ITEMS: bank words, or bias units (H: four rows' biases each)
inline constexpr uint32_t kCsrDescItems = 8;
// FORMAT: the bank image's format
inline constexpr uint32_t kCsrDescFormat = 12;
// FORMAT.IDX_BITS: the matrix's column-index width
inline constexpr CsrField kCsrDescFormatIdxBits{0, 8};
// FORMAT.TABLE_BYTES: side-table bytes at the head of the bank image
inline constexpr CsrField kCsrDescFormatTableBytes{8, 24};

}  // namespace sparrow
