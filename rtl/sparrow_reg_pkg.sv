// Generated from rtl/regmap.yaml by scripts/gen_regmap.py: do not edit; change the source and run
// the script (the test regmap.current checks this file).
// The register map (docs/registers.md): byte addresses, field bits, reset values, which
// words the host may write, and the load descriptor's layout.
package sparrow_reg_pkg;

  // The map has registers the RTL does not read (projection, sessions).
  /* verilator lint_off UNUSEDPARAM */
  localparam logic [15:0] CsrCtrl = 16'h0000;
  localparam int CsrCtrlStart = 0;
  localparam int CsrCtrlSoftReset = 1;
  localparam logic [15:0] CsrStatus = 16'h0004;
  localparam int CsrStatusBusy = 0;
  localparam int CsrStatusDone = 1;
  localparam int CsrStatusError = 2;
  localparam logic [15:0] CsrSeqLen = 16'h0008;
  localparam logic [15:0] CsrLayers = 16'h000c;
  localparam logic [15:0] CsrDirections = 16'h0010;
  localparam logic [15:0] CsrInputSize = 16'h0014;
  localparam logic [15:0] CsrHiddenSize = 16'h0018;
  localparam logic [15:0] CsrProjSize = 16'h001c;
  localparam logic [15:0] CsrWxWpr = 16'h0020;
  localparam logic [15:0] CsrWhWpr = 16'h0024;
  localparam logic [15:0] CsrWeightBase = 16'h0028;
  localparam logic [15:0] CsrInputBase = 16'h0030;
  localparam logic [15:0] CsrOutputBase = 16'h0038;
  localparam logic [15:0] CsrCycles = 16'h0040;
  localparam logic [15:0] CsrMacSlots = 16'h0048;
  localparam logic [15:0] CsrDramReadBytes = 16'h0050;
  localparam logic [15:0] CsrDramWriteBytes = 16'h0058;
  localparam logic [15:0] CsrLutLookups = 16'h0060;
  localparam logic [15:0] CsrSequences = 16'h0068;
  localparam logic [15:0] CsrBatch = 16'h006c;
  localparam logic [15:0] CsrIrqEnable = 16'h0070;
  localparam int CsrIrqEnableDone = 0;
  localparam logic [15:0] CsrIrqStatus = 16'h0074;
  localparam int CsrIrqStatusDone = 0;
  localparam logic [15:0] CsrWeightsStreamed = 16'h0078;
  localparam logic [15:0] CsrBatchSteps = 16'h007c;
  localparam logic [15:0] CsrWxWprN = 16'h0080;
  localparam logic [15:0] CsrWrWpr = 16'h0084;
  localparam logic [15:0] CsrWrSeg = 16'h0088;
  localparam logic [15:0] CsrBatchIn = 16'h008c;
  localparam logic [15:0] CsrWxSeg0 = 16'h0090;
  localparam logic [15:0] CsrWxSegN = 16'h0094;
  localparam logic [15:0] CsrWhSeg = 16'h0098;
  localparam logic [15:0] CsrWeightBytes = 16'h009c;
  localparam logic [15:0] CsrWxRowsPerPe = 16'h00a0;
  localparam logic [15:0] CsrWxRowsExtra = 16'h00a4;
  localparam logic [15:0] CsrInRow0 = 16'h00a8;
  localparam logic [15:0] CsrInLast0 = 16'h00ac;
  localparam logic [15:0] CsrOutRow = 16'h00b0;
  localparam logic [15:0] CsrLayerOut = 16'h00b4;
  localparam logic [15:0] CsrLayerStride = 16'h00b8;
  localparam logic [15:0] CsrBatchOut = 16'h00bc;
  localparam logic [15:0] CsrWxBusy = 16'h00c0;
  localparam logic [15:0] CsrWxStall = 16'h00c8;
  localparam logic [15:0] CsrWhBusy = 16'h00d0;
  localparam logic [15:0] CsrWhStall = 16'h00d8;
  localparam logic [15:0] CsrWhRowsPerPe = 16'h00e0;
  localparam logic [15:0] CsrWhRowsExtra = 16'h00e4;
  localparam logic [15:0] CsrWrRowsPerPe = 16'h00e8;
  localparam logic [15:0] CsrWrRowsExtra = 16'h00ec;
  localparam int CsrEnd = 32'h00f0;
  localparam int CsrRegs = 60;
  // Word r of the register file is bits [32 r, 32 r + 32); bit r of a mask is word r.
  localparam logic [32*CsrRegs-1:0] CsrReset = {
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000001, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000001, 32'h00000001, 32'h00000000, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000,
    32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000, 32'h00000000
  };
  // rw words, kept in the register file
  localparam logic [CsrRegs-1:0] CsrStored = 60'b111100000000111111111111111111011100000000001111111111111100;
  // rw and wo words: a host write is accepted
  localparam logic [CsrRegs-1:0] CsrWritable = 60'b111100000000111111111111111111111100000000001111111111111101;
  // words of a register: a host read is accepted
  localparam logic [CsrRegs-1:0] CsrMapped = 60'b111111111111111111111111111111111111111111111111111111111111;
  localparam logic [15:0] CsrDescBase = 16'h1000;
  localparam int CsrDescStride = 16;

  typedef enum logic [1:0] {
    RegionWx = 2'd0,
    RegionWh = 2'd1,
    RegionBias = 2'd2,
    RegionWr = 2'd3
  } region_e;

  typedef struct packed {
    logic [7:0] pass;  // the pass: layer x directions + direction
    logic [15:0] pe;  // the bank's PE
    logic [5:0] unused;
    region_e kind;  // 0 W_x bank, 1 W_h bank, 2 bias, 3 W_r bank
  } region_target_t;  // what the region loads

  typedef struct packed {
    logic [23:0] table_bytes;  // side-table bytes at the head of the bank image
    logic [7:0] idx_bits;  // the matrix's column-index width
  } region_format_t;  // the bank image's format

  typedef struct packed {
    region_target_t target;  // what the region loads
    logic [31:0] bytes;  // the region's bytes
    logic [31:0] items;  // bank words, or bias units (H: four rows' biases each)
    region_format_t format;  // the bank image's format
  } region_desc_t;  // the table's words, first word in the top bits

  /* verilator lint_on UNUSEDPARAM */
endpackage
