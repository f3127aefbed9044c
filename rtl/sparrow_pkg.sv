// Types and constants shared by the accelerator's modules (docs/rtl.md): the register map, the
// load descriptors, the region kinds, the AXI responses. Widths that follow the design point are
// module parameters; what is fixed by the architecture lives here.
package sparrow_pkg;

  // ---- Register map (byte addresses of 32-bit registers; docs/rtl.md "Registers").
  localparam logic [15:0] CsrCtrl = 16'h0000;  // write 1: start; write 2: clear done and irq
  localparam logic [15:0] CsrStatus = 16'h0004;  // bit 0 busy, bit 1 done
  localparam logic [15:0] CsrSeqLen = 16'h0008;
  localparam logic [15:0] CsrLayers = 16'h000c;
  localparam logic [15:0] CsrDirections = 16'h0010;
  localparam logic [15:0] CsrInputSize = 16'h0014;
  localparam logic [15:0] CsrHiddenSize = 16'h0018;
  localparam logic [15:0] CsrWxWordsPerRow = 16'h0020;
  localparam logic [15:0] CsrWhWordsPerRow = 16'h0024;
  localparam logic [15:0] CsrWeightBase = 16'h0028;  // 64-bit: low word, high word at +4
  localparam logic [15:0] CsrInputBase = 16'h0030;
  localparam logic [15:0] CsrOutputBase = 16'h0038;
  localparam int CsrCycles = 32'h0040;  // 64-bit counters, read-only
  localparam logic [15:0] CsrMacSlots = 16'h0048;
  localparam logic [15:0] CsrDramRead = 16'h0050;
  localparam logic [15:0] CsrDramWrite = 16'h0058;
  localparam logic [15:0] CsrLut = 16'h0060;
  // The RTL's geometry registers.
  localparam logic [15:0] CsrWxWordsPerRowN = 16'h0080;  // W_x words per row, later layers
  localparam logic [15:0] CsrWxSeg0 = 16'h0090;  // segment lengths (columns per lane)
  localparam logic [15:0] CsrWxSegN = 16'h0094;
  localparam logic [15:0] CsrWhSeg = 16'h0098;
  localparam logic [15:0] CsrWeightBytes = 16'h009c;
  localparam logic [15:0] CsrRowsPerPe = 16'h00a0;  // floor(4 H / Pes)
  localparam logic [15:0] CsrRowsExtra = 16'h00a4;  // 4 H mod Pes: PEs below it hold one more
  localparam logic [15:0] CsrInRow0 = 16'h00a8;  // input row bytes of the first layer
  localparam logic [15:0] CsrInLast0 = 16'h00ac;  // (steps - 1) x those bytes
  localparam logic [15:0] CsrOutRow = 16'h00b0;  // output row stride (all directions)
  localparam logic [15:0] CsrLayerOut = 16'h00b4;  // bytes of one layer's output sequence
  localparam int CsrRegsEnd = 32'h00b8;
  localparam logic [15:0] CsrDescBase = 16'h1000;  // load descriptor e at + 16 e

  // ---- Load descriptors: one per region of the weight area, in DRAM order (docs/rtl.md).
  typedef enum logic [1:0] {
    RegionWx = 2'd0,
    RegionWh = 2'd1,
    RegionBias = 2'd2
  } region_e;

  typedef struct packed {
    logic [7:0]  pass;
    logic [15:0] pe;
    logic [5:0]  unused;
    region_e     kind;
  } region_target_t;  // word 0

  typedef struct packed {
    logic [23:0] table_bytes;  // side-table bytes at the head of a bank image
    logic [7:0]  idx_bits;     // the matrix's index field width in DRAM
  } region_format_t;  // word 3

  typedef struct packed {
    region_target_t target;
    logic [31:0]    bytes;   // the region's bytes (it starts at a beat boundary)
    logic [31:0]    items;   // bank words, or bias units (four rows' biases)
    region_format_t format;
  } region_desc_t;

  // ---- AXI responses.
  localparam logic [1:0] AxiOkay = 2'b00;
  localparam logic [1:0] AxiSlvErr = 2'b10;

endpackage
