// The accelerator: CSRs, controller, DMA, the weight loader, the MAC arrays with their weight
// banks, the vector buffer and the gate unit (docs/rtl.md). Its memory port is an AXI4 master
// (axi_master) carrying the read and write channels of docs/timing.md. The design point's formats
// and each array's PEs and lanes are parameters (XPes x XLanes for W_x or the shared array,
// HPes x HLanes for W_h; a shared array has one size);
// MaxT, MaxIn, MaxH, MaxPasses, XIdx, HIdx, RIdx (each bank's index field) and Items size it for
// the workloads it runs; XWords, HWords and RWords are the banks' depths (the host sizes them by
// weight_bank.*_kbit_per_pe); with Stream it also runs weights that do not fit the banks,
// streamed (WEIGHTS_STREAMED; a bank then holds one pass's words); with Proj it runs projection
// (PROJ_SIZE above 0: R phases on the W_h array, W_r in banks of their own beside the W_h banks,
// the U rings, the rows through the gate unit); XSlots = x_block + 1 is
// the W_x side's step slots (blocked input phases, separate arrays; 2 otherwise); MaxBatch the
// largest batch it runs (docs/timing.md, "Batches": a pass of MaxT x MaxBatch batch steps).
module accelerator #(
  parameter int    XPes            = 4,
  parameter int    XLanes          = 2,
  parameter int    HPes            = 4,
  parameter int    HLanes          = 2,
  parameter int    Shared          = 0,
  parameter int    GateLanes       = 1,
  parameter int    GateDepth       = 2,
  parameter int    BeatBytes       = 4,
  parameter int    BurstBytes      = 64,  // memory.burst_bytes: a power of two, <= 256 beats
  parameter int    SegBalanced     = 1,
  parameter int    VarRows         = 0,
  parameter int    ActBits         = 8,
  parameter int    ActFrac         = 6,
  parameter int    WxBits          = 8,
  parameter int    WxFrac          = 8,
  parameter int    WhBits          = 8,
  parameter int    WhFrac          = 8,
  parameter int    ScaleBits       = 2,
  parameter int    ScaleFrac       = 0,
  parameter int    BiasBits        = 16,
  parameter int    BiasFrac        = 12,
  parameter int    AccBits         = 32,
  parameter int    PreBits         = 16,
  parameter int    PreFrac         = 12,
  parameter int    GateBits        = 16,
  parameter int    GateFrac        = 14,
  parameter int    CellBits        = 16,
  parameter int    CellFrac        = 12,
  parameter int    Pwl             = 0,
  parameter int    SlopeBits       = 16,
  parameter int    SlopeFrac       = 15,
  parameter int    SigRangeLog2    = 3,
  parameter int    SigEntriesLog2  = 8,
  parameter int    TanhRangeLog2   = 2,
  parameter int    TanhEntriesLog2 = 8,
  parameter        SigFile         = "sigmoid.mem",
  parameter        SigSlopeFile    = "sigmoid_slope.mem",
  parameter        TanhFile        = "tanh.mem",
  parameter        TanhSlopeFile   = "tanh_slope.mem",
  parameter int    XWords          = 64,  // a W_x bank's words (a power of two)
  parameter int    HWords          = 64,
  parameter int    RWords          = 0,   // a W_r bank's words (Proj)
  parameter int    MaxT            = 8,
  parameter int    MaxIn           = 16,
  parameter int    MaxH            = 16,
  parameter int    MaxPasses       = 1,
  parameter int    XIdx            = 4,   // a W_x bank's index field
  parameter int    HIdx            = 4,
  parameter int    RIdx            = 0,   // (Proj)
  parameter int    Items           = 2,   // most bank words (or bias units) a beat completes
  parameter int    Stream          = 0,   // streamed weights (docs/timing.md, "Weights")
  parameter int    Proj            = 0,   // projection (LSTMP)
  parameter int    XSlots          = 2,   // S: x_block + 1 (docs/timing.md)
  parameter int    MaxBatch        = 1,   // sequences of a batch
  parameter int    DspPairs        = 0    // two MAC lanes per multiplier (a dot pair)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // AXI4-Lite CSR slave.
  input  logic                   csr_awvalid_i,
  output logic                   csr_awready_o,
  input  logic [15:0]            csr_awaddr_i,
  input  logic                   csr_wvalid_i,
  output logic                   csr_wready_o,
  input  logic [31:0]            csr_wdata_i,
  input  logic [3:0]             csr_wstrb_i,
  output logic                   csr_bvalid_o,
  input  logic                   csr_bready_i,
  output logic [1:0]             csr_bresp_o,
  input  logic                   csr_arvalid_i,
  output logic                   csr_arready_o,
  input  logic [15:0]            csr_araddr_i,
  output logic                   csr_rvalid_o,
  input  logic                   csr_rready_i,
  output logic [31:0]            csr_rdata_o,
  output logic [1:0]             csr_rresp_o,
  output logic                   irq_o,
  // AXI4 memory master: read address and data.
  output logic                   m_axi_arvalid_o,
  input  logic                   m_axi_arready_i,
  output logic [31:0]            m_axi_araddr_o,
  output logic [7:0]             m_axi_arlen_o,
  output logic [2:0]             m_axi_arsize_o,
  output logic [1:0]             m_axi_arburst_o,
  input  logic                   m_axi_rvalid_i,
  output logic                   m_axi_rready_o,
  input  logic [8*BeatBytes-1:0] m_axi_rdata_i,
  input  logic [1:0]             m_axi_rresp_i,
  input  logic                   m_axi_rlast_i,
  // AXI4 memory master: write address, data and response.
  output logic                   m_axi_awvalid_o,
  input  logic                   m_axi_awready_i,
  output logic [31:0]            m_axi_awaddr_o,
  output logic [7:0]             m_axi_awlen_o,
  output logic [2:0]             m_axi_awsize_o,
  output logic [1:0]             m_axi_awburst_o,
  output logic                   m_axi_wvalid_o,
  input  logic                   m_axi_wready_i,
  output logic [8*BeatBytes-1:0] m_axi_wdata_o,
  output logic [BeatBytes-1:0]   m_axi_wstrb_o,
  output logic                   m_axi_wlast_o,
  input  logic                   m_axi_bvalid_i,
  output logic                   m_axi_bready_o,
  input  logic [1:0]             m_axi_bresp_i
);
  `include "sparrow_assert.svh"

  localparam int MaxSteps = MaxT * MaxBatch;  // batch steps of a pass
  // The widest index field: the loader's items and the operand reads carry it.
  localparam int XHIdx = XIdx > HIdx ? XIdx : HIdx;
  localparam int IdxMax = Proj != 0 && RIdx > XHIdx ? RIdx : XHIdx;
  localparam int StepW = $clog2(MaxSteps + 1);
  localparam int XSlotW = $clog2(XSlots);
  // The state slots (docs/timing.md, "Batches": B + 1) and the W_x array's slot tag (a shared
  // array's names a state slot too).
  localparam int HSlotW = $clog2(MaxBatch + 1);
  localparam int XParW = Shared != 0 && HSlotW > XSlotW ? HSlotW : XSlotW;
  localparam int PassW = MaxPasses > 1 ? $clog2(MaxPasses) : 1;
  localparam int Regs = sparrow_reg_pkg::CsrEnd / 4;
  localparam int PassRegions = XPes + (Proj != 0 ? 2 : 1) * HPes + 1;  // W_x, W_h, W_r, bias
  localparam int MaxRegions = MaxPasses * PassRegions;
  localparam int Ab = (ActBits + 7) / 8;
  localparam int Bb = (BiasBits + 7) / 8;
  // The loader's items: bank words with IdxMax-bit index fields (each bank keeps its own width).
  localparam int XWordW = XLanes * (WxBits + IdxMax);
  localparam int HWordW = HLanes * (WhBits + IdxMax);
  localparam int ItemXH = XWordW > HWordW ? XWordW : HWordW;
  localparam int ItemW = ItemXH > 32 * Bb ? ItemXH : 32 * Bb;
  // Rows per PE (the array of fewer PEs holds the most), the side tables (row lengths or row
  // scales) and their entries.
  localparam int MinPes = XPes < HPes ? XPes : HPes;
  localparam int RowsPe = (4 * MaxH + MinPes - 1) / MinPes;
  localparam int RowW = $clog2(RowsPe + 1);
  localparam int Binarized = (WxBits == 1 || WhBits == 1) ? 1 : 0;
  localparam int EntryBytes = VarRows != 0 ? 1 : (ScaleBits + 7) / 8;
  localparam int TableWords = (VarRows != 0 || Binarized != 0)
      ? MaxPasses * ((RowsPe * EntryBytes + BeatBytes - 1) / BeatBytes) : 0;
  // The accumulator: the contract's width, or the width no row's sum can exceed.
  localparam int MaxCols = MaxIn > MaxH ? MaxIn : MaxH;
  localparam int XSumW =
      ActBits + WxBits + $clog2(XLanes) + $clog2((MaxCols + XLanes - 1) / XLanes + 1);
  localparam int HSumW =
      ActBits + WhBits + $clog2(HLanes) + $clog2((MaxCols + HLanes - 1) / HLanes + 1);
  localparam int SumW = XSumW > HSumW ? XSumW : HSumW;
  // The most words a row can have (no row of this capacity has more, and the accumulator's width
  // counts on it): ceil(MaxCols / L) for an array of L lanes.
  localparam int XWprMax = (MaxCols + XLanes - 1) / XLanes;
  localparam int HWprMax = (MaxCols + HLanes - 1) / HLanes;
  localparam int XWprW = $clog2(XWprMax + 1);
  localparam int HWprW = $clog2(HWprMax + 1);
  localparam int AccW = SumW < AccBits ? SumW : AccBits;
  localparam int ResW = AccW + (Binarized != 0 ? ScaleBits : 0);
  localparam int XCountW = $clog2(XPes + 1);
  localparam int HCountW = $clog2(HPes + 1);
  localparam int SlotW = $clog2(XPes * XLanes + (Shared != 0 ? 0 : HPes * HLanes) + 1);
  localparam int AdmW = $clog2(GateLanes + 1);
  localparam int UnitW = $clog2(MaxH + 1);
  localparam int HLaneW = HLanes > 1 ? $clog2(HLanes) : 1;

  // ---- CSRs.
  logic [32*Regs-1:0] regs;
  // The register at `addr` (a constant at every use: a plain slice of `regs`, no copy of it).
  function automatic logic [31:0] reg_at(input logic [15:0] addr);
    reg_at = regs[32*(32'(addr)/4)+:32];
  endfunction
  sparrow_reg_pkg::region_desc_t desc;
  logic [$clog2(MaxRegions > 1 ? MaxRegions : 2)-1:0] desc_addr;
  logic stream;
  logic start, done, abort, quiet, sreset_q, done_q, unit_rst_n, fits, mem_error, ld_fault;
  logic rd_cutting, walk_fault;
  logic [8:0] rd_issued;
  localparam int RegionW = $clog2(MaxRegions > 1 ? MaxRegions : 2);
  logic [2*RegionW-1:0] walk_addr;
  sparrow_reg_pkg::region_target_t [1:0] walk_target;
  logic [2*32-1:0] walk_bytes;
  logic [47:0] cycles, mac_slots, dram_read, dram_write, luts;
  logic [95:0] a_busy_cnt, a_stall_cnt;

  csr #(
    .MaxRegions(MaxRegions),
    .WalkReads (Stream != 0 ? 2 : 0)
  ) u_csr (
    .clk_i,
    .rst_ni,
    .awvalid_i   (csr_awvalid_i),
    .awready_o   (csr_awready_o),
    .awaddr_i    (csr_awaddr_i),
    .wvalid_i    (csr_wvalid_i),
    .wready_o    (csr_wready_o),
    .wdata_i     (csr_wdata_i),
    .wstrb_i     (csr_wstrb_i),
    .bvalid_o    (csr_bvalid_o),
    .bready_i    (csr_bready_i),
    .bresp_o     (csr_bresp_o),
    .arvalid_i   (csr_arvalid_i),
    .arready_o   (csr_arready_o),
    .araddr_i    (csr_araddr_i),
    .rvalid_o    (csr_rvalid_o),
    .rready_i    (csr_rready_i),
    .rdata_o     (csr_rdata_o),
    .rresp_o     (csr_rresp_o),
    .irq_o,
    .regs_o      (regs),
    .desc_addr_i (desc_addr),
    .desc_o      (desc),
    .walk_addr_i (walk_addr),
    .walk_target_o(walk_target),
    .walk_bytes_o(walk_bytes),
    .fits_i      (fits),
    .fault_i     (mem_error || ld_fault || walk_fault),
    .start_o     (start),
    .abort_o     (abort),
    .reset_i     (sreset_q),
    .done_i      (done),
    .cycles_i    (cycles),
    .mac_slots_i (mac_slots),
    .dram_read_i (dram_read),
    .dram_write_i(dram_write),
    .lut_i       (luts),
    .busy_i      (a_busy_cnt),
    .stall_i     (a_stall_cnt)
  );

  // Every unit but the CSRs resets for a cycle after a run ends, so that each run starts from
  // the reset state, and on CTRL.SOFT_RESET once the DMA is quiet.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      sreset_q <= 1'b0;
      done_q <= 1'b0;
    end else begin
      sreset_q <= abort && quiet && !sreset_q;
      done_q <= done;
    end
  end
  // The units' reset: the port's reset registered (so that no combinational path runs from the
  // port into the units), a soft reset, a run's end.
  logic rst_q;
  always_ff @(posedge clk_i) rst_q <= rst_ni;
  assign unit_rst_n = rst_q && !sreset_q && !done_q;

  logic [StepW-1:0] steps;
  logic [15:0] hidden, h_seg, wh_wpr, proj_size, state, wr_seg, wr_wpr;
  logic bidir, proj;
  assign steps = StepW'(reg_at(sparrow_reg_pkg::CsrBatchSteps));
  assign hidden = 16'(reg_at(sparrow_reg_pkg::CsrHiddenSize));
  // Projection: a build with Proj and PROJ_SIZE above 0; the state (the H phases' operand, the
  // outputs, the next layer's input) is then r_t, of PROJ_SIZE values.
  assign proj_size = Proj != 0 ? 16'(reg_at(sparrow_reg_pkg::CsrProjSize)) : '0;
  assign proj = proj_size != '0;
  assign state = proj ? proj_size : hidden;
  assign wr_seg = 16'(reg_at(sparrow_reg_pkg::CsrWrSeg));
  assign wr_wpr = 16'(reg_at(sparrow_reg_pkg::CsrWrWpr));
  assign h_seg = 16'(reg_at(sparrow_reg_pkg::CsrWhSeg));
  assign wh_wpr = 16'(reg_at(sparrow_reg_pkg::CsrWhWpr));
  assign bidir = reg_at(sparrow_reg_pkg::CsrDirections) == 32'd2;
  assign stream = Stream != 0 && reg_at(sparrow_reg_pkg::CsrWeightsStreamed) == 32'd1;

  // The run the registers describe fits this build (docs/rtl.md, "Registers"): steps, sizes and
  // passes within MaxT, MaxIn, MaxH and MaxPasses, one or two directions, at least one layer and
  // one sequence, batches of 1 to MaxBatch sequences (a pass of at most MaxT x MaxBatch batch
  // steps), projection only by a build with Proj (its size below H, its rows per PE covering it),
  // weights streamed only by a build with Stream, rows of 1 to XWprMax (HWprMax) words where they
  // have one length; and it is a run this hardware can finish: a weight area of at least one byte
  // inside the 32-bit address space, base addresses of 32 bits and every address and stride on a
  // bus word (a bidirectional state of whole bus words), and each array's rows per PE covering
  // the 4 H rows (rows_per_pe P + extra = 4 H, extra < P; P a constant). A START otherwise ends
  // at once with STATUS.ERROR.
  function automatic logic wpr_ok(input logic [31:0] wpr, input int most);
    wpr_ok = VarRows != 0 || (wpr != '0 && wpr <= 32'(most));
  endfunction
  function automatic logic rows_ok(input logic [31:0] per_pe, input logic [31:0] extra,
                                   input logic [33:0] rows, input int pes);
    rows_ok = extra < 32'(pes) && per_pe < 32'h10000
              && 34'(32'(per_pe[15:0]) * 32'(pes)) + 34'(extra) == rows;
  endfunction
  function automatic logic on_word(input logic [31:0] v);
    on_word = (v & 32'(BeatBytes - 1)) == '0;
  endfunction
  always_comb begin
    logic [31:0] t, i, h, l, d, n, wbase, wbytes, p, st, b, v;
    logic addr_ok, proj_ok;
    wbase = reg_at(sparrow_reg_pkg::CsrWeightBase);
    wbytes = reg_at(sparrow_reg_pkg::CsrWeightBytes);
    addr_ok = reg_at(sparrow_reg_pkg::CsrWeightBase + 16'd4) == '0
              && reg_at(sparrow_reg_pkg::CsrInputBase + 16'd4) == '0
              && reg_at(sparrow_reg_pkg::CsrOutputBase + 16'd4) == '0
              && wbytes != '0 && 33'(wbase) + 33'(wbytes) <= 33'h1_0000_0000
              && on_word(wbase) && on_word(reg_at(sparrow_reg_pkg::CsrInputBase))
              && on_word(reg_at(sparrow_reg_pkg::CsrOutputBase))
              && on_word(reg_at(sparrow_reg_pkg::CsrInRow0))
              && on_word(reg_at(sparrow_reg_pkg::CsrInLast0))
              && on_word(reg_at(sparrow_reg_pkg::CsrOutRow))
              && on_word(reg_at(sparrow_reg_pkg::CsrLayerOut))
              && on_word(reg_at(sparrow_reg_pkg::CsrLayerStride))
              && on_word(reg_at(sparrow_reg_pkg::CsrBatchIn))
              && on_word(reg_at(sparrow_reg_pkg::CsrBatchOut));
    t = reg_at(sparrow_reg_pkg::CsrSeqLen);
    i = reg_at(sparrow_reg_pkg::CsrInputSize);
    h = reg_at(sparrow_reg_pkg::CsrHiddenSize);
    l = reg_at(sparrow_reg_pkg::CsrLayers);
    d = reg_at(sparrow_reg_pkg::CsrDirections);
    n = reg_at(sparrow_reg_pkg::CsrSequences);
    p = reg_at(sparrow_reg_pkg::CsrProjSize);
    b = reg_at(sparrow_reg_pkg::CsrBatch);
    v = reg_at(sparrow_reg_pkg::CsrBatchSteps);
    st = p == '0 ? h : p;
    proj_ok = p == '0
              || (Proj != 0 && p < h && wpr_ok(reg_at(sparrow_reg_pkg::CsrWrWpr), HWprMax)
                  && rows_ok(reg_at(sparrow_reg_pkg::CsrWrRowsPerPe),
                             reg_at(sparrow_reg_pkg::CsrWrRowsExtra), {2'b00, p}, HPes));
    fits = t != '0 && t <= 32'(MaxT) && i != '0 && i <= 32'(MaxIn) && h != '0
           && h <= 32'(MaxH) && l != '0 && (d == 32'd1 || d == 32'd2) && n != '0
           && b != '0 && b <= 32'(MaxBatch) && v != '0 && v <= 32'(MaxSteps)
           && proj_ok
           && (reg_at(sparrow_reg_pkg::CsrWeightsStreamed) == '0 || stream)
           && l <= 32'(d == 32'd2 ? MaxPasses / 2 : MaxPasses)
           && (l == 32'd1 || (d == 32'd2 ? {st[30:0], 1'b0} : st) <= 32'(MaxIn))
           && addr_ok && (d != 32'd2 || on_word(32'(st[15:0]) * Ab))
           && wpr_ok(reg_at(sparrow_reg_pkg::CsrWxWpr), XWprMax)
           && wpr_ok(reg_at(sparrow_reg_pkg::CsrWhWpr), HWprMax)
           && (l == 32'd1 || wpr_ok(reg_at(sparrow_reg_pkg::CsrWxWprN), XWprMax))
           && rows_ok(reg_at(sparrow_reg_pkg::CsrWxRowsPerPe),
                      reg_at(sparrow_reg_pkg::CsrWxRowsExtra), {h, 2'b00}, XPes)
           && rows_ok(reg_at(sparrow_reg_pkg::CsrWhRowsPerPe),
                      reg_at(sparrow_reg_pkg::CsrWhRowsExtra), {h, 2'b00}, HPes);
  end

  // ---- Controller and DMA.
  logic pass_start, in_pass, x_go, h_go, r_go, loaded, wr_all, wr_idle, rd_fire, wr_fire, in_back;
  logic next_x, next_h, next_r, phase_done, phase_h, queue_valid, queue_pop;
  logic [RegionW+2:0] queue;
  logic out_back, w_beat, in_beat, out_par, pass_par_q;
  logic [PassW-1:0] pass;
  logic [15:0] in_size, x_seg, x_wpr, out_beat;
  logic [31:0] in_first, in_stride, out_first;
  // The DMA's transfers and beats, between it and the AXI4 master.
  logic rd_req_valid, rd_req_ready, rd_beat_valid, wr_req_valid, wr_req_ready, wr_beat_ready;
  logic wr_done;
  logic [31:0] rd_req_addr, rd_req_bytes, wr_req_addr, wr_req_bytes;
  logic [8*BeatBytes-1:0] rd_beat_data, wr_beat_data;
  logic [StepW-1:0] x_step, h_step, r_step, x_fin, xt_done, steps_done, units_done, out_step;
  logic [HSlotW-1:0] h_slot, r_slot;
  logic h_zero;
  logic [31:0] in_seq;
  logic [XSlotW-1:0] x_slot;
  logic [AdmW-1:0] admitted;
  logic [8*BeatBytes-1:0] beat_data;
  logic x_busy, h_busy;
  logic [XCountW-1:0] x_words;
  logic [HCountW-1:0] h_words;
  logic [SlotW-1:0] slots;

  // The MAC slots issued this cycle: each array's words times its lanes (constants).
  assign slots = SlotW'(32'(x_words) * XLanes) + SlotW'(32'(h_words) * HLanes);

  controller #(
    .Shared   (Shared),
    .MaxSteps (MaxSteps),
    .MaxPasses(MaxPasses),
    .SlotW    (SlotW),
    .AdmW     (AdmW),
    .Stream   (Stream),
    .Proj     (Proj),
    .XSlots   (XSlots),
    .MaxBatch (MaxBatch)
  ) u_controller (
    .clk_i,
    .rst_ni            (unit_rst_n),
    .start_i           (start),
    .steps_i           (steps),
    .layers_i          (16'(reg_at(sparrow_reg_pkg::CsrLayers))),
    .bidir_i           (bidir),
    .input_size_i      (16'(reg_at(sparrow_reg_pkg::CsrInputSize))),
    .state_i           (state),
    .proj_i            (proj),
    .wx_wpr0_i         (16'(reg_at(sparrow_reg_pkg::CsrWxWpr))),
    .wx_wprn_i         (16'(reg_at(sparrow_reg_pkg::CsrWxWprN))),
    .wx_seg0_i         (16'(reg_at(sparrow_reg_pkg::CsrWxSeg0))),
    .wx_segn_i         (16'(reg_at(sparrow_reg_pkg::CsrWxSegN))),
    .input_base_i      (reg_at(sparrow_reg_pkg::CsrInputBase)),
    .output_base_i     (reg_at(sparrow_reg_pkg::CsrOutputBase)),
    .in_row0_i         (reg_at(sparrow_reg_pkg::CsrInRow0)),
    .in_last0_i        (reg_at(sparrow_reg_pkg::CsrInLast0)),
    .out_row_i         (reg_at(sparrow_reg_pkg::CsrOutRow)),
    .state_bytes_i     (32'(state) * Ab),
    .layer_out_i       (reg_at(sparrow_reg_pkg::CsrLayerOut)),
    .layer_stride_i    (reg_at(sparrow_reg_pkg::CsrLayerStride)),
    .sequences_i       (reg_at(sparrow_reg_pkg::CsrSequences)),
    .batch_i           (16'(reg_at(sparrow_reg_pkg::CsrBatch))),
    .batch_in_i        (reg_at(sparrow_reg_pkg::CsrBatchIn)),
    .batch_out_i       (reg_at(sparrow_reg_pkg::CsrBatchOut)),
    .loaded_i          (loaded),
    .stream_i          (stream),
    .phase_done_i      (phase_done),
    .phase_h_i         (phase_h),
    .xt_done_i         (xt_done),
    .steps_done_i      (steps_done),
    .units_done_i      (units_done),
    .wr_all_requested_i(wr_all),
    .wr_idle_i         (wr_idle),
    .rd_fire_i         (rd_fire),
    .rd_bytes_i        (rd_req_bytes),
    .wr_fire_i         (wr_fire),
    .wr_bytes_i        (wr_req_bytes),
    .admitted_i        (admitted),
    .x_busy_i          (x_busy),
    .h_busy_i          (h_busy),
    .slots_i           (slots),
    .pass_start_o      (pass_start),
    .in_pass_o         (in_pass),
    .pass_o            (pass),
    .in_size_o         (in_size),
    .x_seg_o           (x_seg),
    .in_first_o        (in_first),
    .in_stride_o       (in_stride),
    .in_seq_o          (in_seq),
    .in_back_o         (in_back),
    .out_first_o       (out_first),
    .out_back_o        (out_back),
    .x_go_o            (x_go),
    .h_go_o            (h_go),
    .x_step_o          (x_step),
    .x_slot_o          (x_slot),
    .h_step_o          (h_step),
    .h_slot_o          (h_slot),
    .h_zero_o          (h_zero),
    .r_go_o            (r_go),
    .r_step_o          (r_step),
    .r_slot_o          (r_slot),
    .x_wpr_o           (x_wpr),
    .x_fin_o           (x_fin),
    .next_x_o          (next_x),
    .next_h_o          (next_h),
    .next_r_o          (next_r),
    .done_o            (done),
    .cycles_o          (cycles),
    .mac_slots_o       (mac_slots),
    .dram_read_o       (dram_read),
    .dram_write_o      (dram_write),
    .lut_o             (luts),
    .busy_o            (a_busy_cnt),
    .stall_o           (a_stall_cnt)
  );

  // The passes' output slots alternate over the whole run (a session's sequences included): the
  // first pass's is 0.
  always_ff @(posedge clk_i) begin
    if (start) pass_par_q <= 1'b1;
    else if (pass_start) pass_par_q <= !pass_par_q;
  end

  dma #(
    .BeatBytes  (BeatBytes),
    .MaxSteps   (MaxSteps),
    .Shared     (Shared),
    .MaxRegions (MaxRegions),
    .PassRegions(PassRegions),
    .Stream     (Stream),
    .Proj       (Proj),
    .MaxBatch   (MaxBatch)
  ) u_dma (
    .clk_i,
    .rst_ni            (unit_rst_n),
    .run_start_i       (start),
    .weight_base_i     (reg_at(sparrow_reg_pkg::CsrWeightBase)),
    .weight_bytes_i    (reg_at(sparrow_reg_pkg::CsrWeightBytes)),
    .stream_i          (stream),
    .next_x_i          (next_x),
    .next_h_i          (next_h),
    .next_r_i          (next_r),
    .proj_i            (proj),
    .walk_addr_o       (walk_addr),
    .walk_target_i     (walk_target),
    .walk_bytes_i      (walk_bytes),
    .walk_fault_o      (walk_fault),
    .queue_valid_o     (queue_valid),
    .queue_o           (queue),
    .queue_pop_i       (queue_pop),
    .pass_start_i      (pass_start),
    .pass_zero_i       (pass == '0),
    .in_pass_i         (in_pass),
    .steps_i           (steps),
    .batch_i           (16'(reg_at(sparrow_reg_pkg::CsrBatch))),
    .in_first_i        (in_first),
    .in_stride_i       (in_stride),
    .in_seq_i          (in_seq),
    .in_bytes_i        (32'(in_size) * Ab),
    .in_back_i         (in_back),
    .out_first_i       (out_first),
    .out_back_i        (out_back),
    .out_row_i         (reg_at(sparrow_reg_pkg::CsrOutRow)),
    .out_seq_i         (reg_at(sparrow_reg_pkg::CsrLayerOut)),
    .out_bytes_i       (32'(state) * Ab),
    .steps_done_i      (steps_done),
    .rd_req_valid_o    (rd_req_valid),
    .rd_req_ready_i    (rd_req_ready),
    .rd_req_addr_o     (rd_req_addr),
    .rd_req_bytes_o    (rd_req_bytes),
    .rd_beat_valid_i   (rd_beat_valid),
    .rd_beat_data_i    (rd_beat_data),
    .wr_req_valid_o    (wr_req_valid),
    .wr_req_ready_i    (wr_req_ready),
    .wr_req_addr_o     (wr_req_addr),
    .wr_req_bytes_o    (wr_req_bytes),
    .wr_beat_ready_i   (wr_beat_ready),
    .wr_done_i         (wr_done),
    .w_beat_o          (w_beat),
    .in_beat_o         (in_beat),
    .beat_data_o       (beat_data),
    .loaded_o          (loaded),
    .out_par_o         (out_par),
    .out_step_o        (out_step),
    .out_beat_o        (out_beat),
    .wr_all_requested_o(wr_all),
    .wr_idle_o         (wr_idle),
    .rd_fire_o         (rd_fire),
    .wr_fire_o         (wr_fire),
    .abort_i           (abort),
    .rd_issued_i       (rd_issued),
    .rd_cutting_i      (rd_cutting),
    .quiet_o           (quiet)
  );

  // ---- The AXI4 master: the DMA's transfers as bursts.
  axi_master #(
    .BeatBytes (BeatBytes),
    .BurstBytes(BurstBytes)
  ) u_axi (
    .clk_i,
    .rst_ni         (unit_rst_n),
    .rd_req_valid_i (rd_req_valid),
    .rd_req_ready_o (rd_req_ready),
    .rd_req_addr_i  (rd_req_addr),
    .rd_req_bytes_i (rd_req_bytes),
    .rd_beat_valid_o(rd_beat_valid),
    .rd_beat_data_o (rd_beat_data),
    .wr_req_valid_i (wr_req_valid),
    .wr_req_ready_o (wr_req_ready),
    .wr_req_addr_i  (wr_req_addr),
    .wr_req_bytes_i (wr_req_bytes),
    .wr_beat_ready_o(wr_beat_ready),
    .wr_beat_data_i (wr_beat_data),
    .wr_done_o      (wr_done),
    .error_o        (mem_error),
    .abort_i        (abort),
    .rd_issued_o    (rd_issued),
    .rd_cutting_o   (rd_cutting),
    .m_axi_arvalid_o,
    .m_axi_arready_i,
    .m_axi_araddr_o,
    .m_axi_arlen_o,
    .m_axi_arsize_o,
    .m_axi_arburst_o,
    .m_axi_rvalid_i,
    .m_axi_rready_o,
    .m_axi_rdata_i,
    .m_axi_rresp_i,
    .m_axi_rlast_i,
    .m_axi_awvalid_o,
    .m_axi_awready_i,
    .m_axi_awaddr_o,
    .m_axi_awlen_o,
    .m_axi_awsize_o,
    .m_axi_awburst_o,
    .m_axi_wvalid_o,
    .m_axi_wready_i,
    .m_axi_wdata_o,
    .m_axi_wstrb_o,
    .m_axi_wlast_o,
    .m_axi_bvalid_i,
    .m_axi_bready_o,
    .m_axi_bresp_i
  );

  // ---- The weight loader.
  sparrow_reg_pkg::region_target_t ld_target;
  logic ld_region_start, ld_table_we;
  logic [8*BeatBytes-1:0] ld_table_data;
  logic [Items-1:0] ld_valid;
  logic [Items*ItemW-1:0] ld_data;

  weight_loader #(
    .BeatBytes (BeatBytes),
    .XLanes    (XLanes),
    .HLanes    (HLanes),
    .WxBits    (WxBits),
    .WhBits    (WhBits),
    .IdxMax    (IdxMax),
    .XIdx      (XIdx),
    .HIdx      (HIdx),
    .RIdx      (RIdx),
    .BiasBytes (Bb),
    .MaxRegions(MaxRegions),
    .Items     (Items),
    .Stream    (Stream),
    .Proj      (Proj)
  ) u_loader (
    .clk_i,
    .rst_ni        (unit_rst_n),
    .start_i       (start),
    .stream_i      (stream),
    .queue_valid_i (queue_valid),
    .queue_i       (queue),
    .queue_pop_o   (queue_pop),
    .phase_done_o  (phase_done),
    .phase_h_o     (phase_h),
    .beat_valid_i  (w_beat),
    .beat_data_i   (beat_data),
    .desc_addr_o   (desc_addr),
    .desc_i        (desc),
    .target_o      (ld_target),
    .region_start_o(ld_region_start),
    .table_we_o    (ld_table_we),
    .table_data_o  (ld_table_data),
    .item_valid_o  (ld_valid),
    .item_data_o   (ld_data),
    .fault_o       (ld_fault)
  );

  // ---- MAC arrays: the W_x array (XPes x XLanes) runs X phases, and H (and R) phases too when
  // shared; the W_h array (HPes x HLanes) runs H and R phases. An H phase of batch step v reads
  // h_{v-B} (r_{v-B} with projection), kept in state slot v + 1 mod (B + 1) (h_slot), zero for
  // v < B; an R phase reads the U rings, its results going to its H phase's set (r_slot).
  logic x_start, x_mat, x_r, x_zero;
  logic [XParW-1:0] x_par;
  logic [XWprW-1:0] x_phase_wpr;
  logic [XPes-1:0] xa_rd_mat, xa_rd_r, xa_res_valid, xa_res_mat;
  logic [XPes*XParW-1:0] xa_rd_par, xa_res_par;
  logic [XPes*XSlotW-1:0] x_rd_slot, x_res_slot;  // their X slots
  logic [XPes*XLanes*IdxMax-1:0] xa_rd_idx;
  logic [XPes*XLanes*ActBits-1:0] xa_rd_val, x_ring_val;
  logic [XPes*RowW-1:0] xa_res_row;
  logic [XPes*ResW-1:0] xa_res_val;
  // The W_h side: the W_h array's, or the shared array's again.
  logic [HPes-1:0] ha_res_valid, ha_res_mat;
  logic [HPes*HSlotW-1:0] ha_rd_par, ha_res_par;
  logic [HPes*HLanes*IdxMax-1:0] ha_rd_idx;
  logic [HPes*HLanes*ActBits-1:0] h_ring_val, u_ring_val;
  logic [HPes*RowW-1:0] ha_res_row;
  logic [HPes*ResW-1:0] ha_res_val;
  logic [XLanes*(IdxMax+1)-1:0] x_valid, xa_h_valid, xa_u_valid;
  logic [HLanes*(IdxMax+1)-1:0] h_valid_len, u_valid_len;
  // The W_r rows per PE of the W_h array (or the shared array).
  logic [RowW-1:0] wr_rows;
  logic [15:0] wr_extra;
  assign wr_rows = RowW'(reg_at(sparrow_reg_pkg::CsrWrRowsPerPe));
  assign wr_extra = 16'(reg_at(sparrow_reg_pkg::CsrWrRowsExtra));

  // Streamed, a bank holds the pass being run, as pass 0.
  logic [PassW-1:0] bank_pass;
  assign bank_pass = stream ? '0 : pass;
  assign x_start = x_go || (Shared != 0 && (h_go || r_go));
  assign x_mat = Shared != 0 && (h_go || r_go);
  assign x_r = Shared != 0 && Proj != 0 && r_go;
  assign x_par = x_mat ? XParW'(x_r ? r_slot : h_slot) : XParW'(x_slot);
  assign x_zero = x_mat && !x_r && h_zero;
  always_comb begin
    for (int p = 0; p < XPes; p++) begin
      x_rd_slot[p*XSlotW+:XSlotW] = XSlotW'(xa_rd_par[p*XParW+:XParW]);
      x_res_slot[p*XSlotW+:XSlotW] = XSlotW'(xa_res_par[p*XParW+:XParW]);
    end
  end
  assign x_phase_wpr = XWprW'(x_r ? wr_wpr : (x_mat ? wh_wpr : x_wpr));

  mac_array #(
    .Pes       (XPes),
    .Lanes     (XLanes),
    .HasX      (1),
    .HasH      (Shared != 0 ? 1 : 0),
    .WxBits    (WxBits),
    .WhBits    (WhBits),
    .ActBits   (ActBits),
    .IdxMax    (IdxMax),
    .XIdx      (XIdx),
    .HIdx      (HIdx),
    .RIdx      (RIdx),
    .AccW      (AccW),
    .ScaleBits (ScaleBits),
    .XWords    (XWords),
    .HWords    (HWords),
    .RWords    (RWords),
    .Items     (Items),
    .ItemW     (ItemW),
    .MaxPasses (MaxPasses),
    .TableWords(TableWords),
    .EntryBytes(EntryBytes),
    .BeatBytes (BeatBytes),
    .VarRows   (VarRows),
    .RowW      (RowW),
    .WprW      (XWprW),
    .Stream    (Stream),
    .Proj      (Shared != 0 ? Proj : 0),
    .ParW      (XParW),
    .DspPairs  (DspPairs)
  ) u_x_array (
    .clk_i,
    .rst_ni        (unit_rst_n),
    .run_start_i   (start),
    .target_i      (ld_target),
    .region_start_i(ld_region_start),
    .table_we_i    (ld_table_we),
    .table_data_i  (ld_table_data),
    .item_valid_i  (ld_valid),
    .item_data_i   (ld_data),
    .rows_per_pe_i (x_r ? wr_rows : RowW'(reg_at(sparrow_reg_pkg::CsrWxRowsPerPe))),
    .rows_extra_i  (x_r ? wr_extra : 16'(reg_at(sparrow_reg_pkg::CsrWxRowsExtra))),
    .start_i       (x_start),
    .mat_i         (x_mat),
    .r_i           (x_r),
    .pass_i        (bank_pass),
    .par_i         (x_par),
    .zero_i        (x_zero),
    .wpr_i         (x_phase_wpr),
    .rd_mat_o      (xa_rd_mat),
    .rd_r_o        (xa_rd_r),
    .rd_par_o      (xa_rd_par),
    .rd_idx_o      (xa_rd_idx),
    .rd_val_i      (xa_rd_val),
    .x_valid_i     (x_valid),
    .h_valid_i     (xa_h_valid),
    .u_valid_i     (xa_u_valid),
    .res_valid_o   (xa_res_valid),
    .res_mat_o     (xa_res_mat),
    .res_par_o     (xa_res_par),
    .res_row_o     (xa_res_row),
    .res_val_o     (xa_res_val),
    .busy_o        (x_busy),
    .words_o       (x_words)
  );

  if (Shared == 0) begin : g_h_array
    logic [HPes-1:0] rd_mat, rd_r;
    logic [HPes*HLanes*ActBits-1:0] rd_val;
    logic unused;

    // Separate arrays: the W_x array reads x, the W_h array h (an R phase the U rings). The
    // multiplexer is gated by Proj: with the hierarchy kept, synthesis cannot see that a
    // build without projection never raises rd_r.
    assign xa_rd_val = x_ring_val;
    assign xa_h_valid = '0;
    assign xa_u_valid = '0;
    always_comb begin
      for (int p = 0; p < HPes; p++)
        rd_val[p*HLanes*ActBits+:HLanes*ActBits] = Proj != 0 && rd_r[p]
            ? u_ring_val[p*HLanes*ActBits+:HLanes*ActBits]
            : h_ring_val[p*HLanes*ActBits+:HLanes*ActBits];
    end
    assign unused = ^{xa_rd_mat, xa_rd_r, rd_mat};

    mac_array #(
      .Pes       (HPes),
      .Lanes     (HLanes),
      .HasX      (0),
      .HasH      (1),
      .WxBits    (WxBits),
      .WhBits    (WhBits),
      .ActBits   (ActBits),
      .IdxMax    (IdxMax),
      .XIdx      (XIdx),
      .HIdx      (HIdx),
      .RIdx      (RIdx),
      .AccW      (AccW),
      .ScaleBits (ScaleBits),
      .XWords    (XWords),
      .HWords    (HWords),
      .RWords    (RWords),
      .Items     (Items),
      .ItemW     (ItemW),
      .MaxPasses (MaxPasses),
      .TableWords(TableWords),
      .EntryBytes(EntryBytes),
      .BeatBytes (BeatBytes),
      .VarRows   (VarRows),
      .RowW      (RowW),
      .WprW      (HWprW),
      .Stream    (Stream),
      .Proj      (Proj),
      .ParW      (HSlotW),
      .DspPairs  (DspPairs)
    ) u_h_array (
      .clk_i,
      .rst_ni        (unit_rst_n),
      .run_start_i   (start),
      .target_i      (ld_target),
      .region_start_i(ld_region_start),
      .table_we_i    (ld_table_we),
      .table_data_i  (ld_table_data),
      .item_valid_i  (ld_valid),
      .item_data_i   (ld_data),
      .rows_per_pe_i (r_go ? wr_rows : RowW'(reg_at(sparrow_reg_pkg::CsrWhRowsPerPe))),
      .rows_extra_i  (r_go ? wr_extra : 16'(reg_at(sparrow_reg_pkg::CsrWhRowsExtra))),
      .start_i       (h_go || r_go),
      .mat_i         (1'b1),
      .r_i           (r_go),
      .pass_i        (bank_pass),
      .par_i         (r_go ? r_slot : h_slot),
      .zero_i        (!r_go && h_zero),
      .wpr_i         (HWprW'(r_go ? wr_wpr : wh_wpr)),
      .rd_mat_o      (rd_mat),
      .rd_r_o        (rd_r),
      .rd_par_o      (ha_rd_par),
      .rd_idx_o      (ha_rd_idx),
      .rd_val_i      (rd_val),
      .x_valid_i     ('0),
      .h_valid_i     (h_valid_len),
      .u_valid_i     (u_valid_len),
      .res_valid_o   (ha_res_valid),
      .res_mat_o     (ha_res_mat),
      .res_par_o     (ha_res_par),
      .res_row_o     (ha_res_row),
      .res_val_o     (ha_res_val),
      .busy_o        (h_busy),
      .words_o       (h_words)
    );
  end else begin : g_shared
    // A shared array (one size: HPes = XPes, HLanes = XLanes) reads what its phase needs and
    // produces the W_h rows too.
    always_comb begin
      for (int p = 0; p < XPes; p++)
        xa_rd_val[p*XLanes*ActBits+:XLanes*ActBits] = xa_rd_mat[p]
            ? (Proj != 0 && xa_rd_r[p] ? u_ring_val[p*HLanes*ActBits+:HLanes*ActBits]
                          : h_ring_val[p*HLanes*ActBits+:HLanes*ActBits])
            : x_ring_val[p*XLanes*ActBits+:XLanes*ActBits];
    end
    assign xa_h_valid = h_valid_len;
    assign xa_u_valid = u_valid_len;
    always_comb begin
      for (int p = 0; p < XPes; p++) begin
        ha_rd_par[p*HSlotW+:HSlotW] = HSlotW'(xa_rd_par[p*XParW+:XParW]);
        ha_res_par[p*HSlotW+:HSlotW] = HSlotW'(xa_res_par[p*XParW+:XParW]);
      end
    end
    assign ha_rd_idx = xa_rd_idx;
    assign ha_res_valid = xa_res_valid;
    assign ha_res_mat = xa_res_mat;
    assign ha_res_row = xa_res_row;
    assign ha_res_val = xa_res_val;
    assign h_busy = x_busy;
    assign h_words = '0;
  end
  // ---- Vector buffer and gate unit.
  logic [GateLanes-1:0] h_valid;
  logic h_to_u;
  logic [StepW-1:0] h_wstep;
  logic [HSlotW-1:0] h_wslot;
  logic [GateLanes*UnitW-1:0] h_unit;
  logic [GateLanes*HLaneW-1:0] h_lane;
  logic [GateLanes*IdxMax-1:0] h_off;
  logic [GateLanes*ActBits-1:0] h_val;

  vector_buffer #(
    .XPes       (XPes),
    .XLanes     (XLanes),
    .HPes       (HPes),
    .HLanes     (HLanes),
    .ActBits    (ActBits),
    .IdxMax     (IdxMax),
    .BeatBytes  (BeatBytes),
    .GateLanes  (GateLanes),
    .MaxSteps   (MaxSteps),
    .MaxIn      (MaxIn),
    .MaxH       (MaxH),
    .SegBalanced(SegBalanced),
    .Proj       (Proj),
    .XSlots     (XSlots),
    .MaxBatch   (MaxBatch)
  ) u_vector_buffer (
    .clk_i,
    .rst_ni      (unit_rst_n),
    .pass_start_i(pass_start),
    .in_size_i   (in_size),
    .x_seg_i     (x_seg),
    .steps_i     (steps),
    .h_size_i    (state),
    .h_seg_i     (h_seg),
    .u_size_i    (hidden),
    .u_seg_i     (wr_seg),
    .in_valid_i  (in_beat),
    .in_data_i   (beat_data),
    .x_fin_i     (x_fin),
    .xt_done_o   (xt_done),
    .x_rd_par_i  (x_rd_slot),
    .x_rd_idx_i  (xa_rd_idx),
    .x_val_o     (x_ring_val),
    .h_rd_par_i  (ha_rd_par),
    .h_rd_idx_i  (ha_rd_idx),
    .h_val_o     (h_ring_val),
    .u_val_o     (u_ring_val),
    .x_valid_o   (x_valid),
    .h_valid_o   (h_valid_len),
    .u_valid_o   (u_valid_len),
    .h_valid_i   (h_valid),
    .h_to_u_i    (h_to_u),
    .h_par_i     (pass_par_q),
    .h_step_i    (h_wstep),
    .h_slot_i    (h_wslot),
    .h_unit_i    (h_unit),
    .h_lane_i    (h_lane),
    .h_off_i     (h_off),
    .h_val_i     (h_val),
    .out_par_i   (out_par),
    .out_step_i  (out_step),
    .out_beat_i  (out_beat),
    .out_data_o  (wr_beat_data)
  );

  gate_unit #(
    .XPes           (XPes),
    .HPes           (HPes),
    .HLanes         (HLanes),
    .GateLanes      (GateLanes),
    .GateDepth      (GateDepth),
    .MaxSteps       (MaxSteps),
    .MaxH           (MaxH),
    .MaxPasses      (MaxPasses),
    .IdxMax         (IdxMax),
    .RowW           (RowW),
    .ResXW          (AccW + (WxBits == 1 ? ScaleBits : 0)),
    .ResHW          (AccW + (WhBits == 1 ? ScaleBits : 0)),
    .ResW           (ResW),
    .Items          (Items),
    .ItemW          (ItemW),
    .ActBits        (ActBits),
    .ActFrac        (ActFrac),
    .WxBits         (WxBits),
    .WxFrac         (WxFrac),
    .WhBits         (WhBits),
    .WhFrac         (WhFrac),
    .ScaleFrac      (ScaleFrac),
    .BiasBits       (BiasBits),
    .BiasFrac       (BiasFrac),
    .PreBits        (PreBits),
    .PreFrac        (PreFrac),
    .GateBits       (GateBits),
    .GateFrac       (GateFrac),
    .CellBits       (CellBits),
    .CellFrac       (CellFrac),
    .Pwl            (Pwl),
    .SlopeBits      (SlopeBits),
    .SlopeFrac      (SlopeFrac),
    .SigRangeLog2   (SigRangeLog2),
    .SigEntriesLog2 (SigEntriesLog2),
    .TanhRangeLog2  (TanhRangeLog2),
    .TanhEntriesLog2(TanhEntriesLog2),
    .SigFile        (SigFile),
    .SigSlopeFile   (SigSlopeFile),
    .TanhFile       (TanhFile),
    .TanhSlopeFile  (TanhSlopeFile),
    .Stream         (Stream),
    .Proj           (Proj),
    .XSlots         (XSlots),
    .MaxBatch       (MaxBatch)
  ) u_gate_unit (
    .clk_i,
    .rst_ni      (unit_rst_n),
    .run_start_i (start),
    .target_i    (ld_target),
    .region_start_i(ld_region_start),
    .item_valid_i(ld_valid),
    .item_data_i (ld_data),
    .pass_start_i(pass_start),
    .pass_zero_i (pass == '0),
    .hidden_i    (hidden),
    .h_seg_i     (proj ? wr_seg : h_seg),
    .batch_i     (16'(reg_at(sparrow_reg_pkg::CsrBatch))),
    .proj_i      (proj_size),
    .r_seg_i     (h_seg),
    .r_start_i   (r_go),
    .r_step_i    (r_step),
    .r_slot_i    (r_slot),
    .x_start_i   (x_go),
    .x_step_i    (x_step),
    .x_slot_i    (x_slot),
    .h_start_i   (h_go),
    .h_step_i    (h_step),
    .h_slot_i    (h_slot),
    .x_res_valid_i(xa_res_valid),
    .x_res_mat_i (xa_res_mat),
    .x_res_par_i (x_res_slot),
    .x_res_row_i (xa_res_row),
    .x_res_val_i (xa_res_val),
    .h_res_valid_i(ha_res_valid),
    .h_res_mat_i (ha_res_mat),
    .h_res_par_i (ha_res_par),
    .h_res_row_i (ha_res_row),
    .h_res_val_i (ha_res_val),
    .h_valid_o   (h_valid),
    .h_to_u_o    (h_to_u),
    .h_step_o    (h_wstep),
    .h_slot_o    (h_wslot),
    .h_unit_o    (h_unit),
    .h_lane_o    (h_lane),
    .h_off_o     (h_off),
    .h_val_o     (h_val),
    .steps_done_o(steps_done),
    .units_done_o(units_done),
    .admitted_o  (admitted)
  );

  `SPARROW_ASSERT(BeatHoldsWholeValues, BeatBytes % Ab == 0)
  `SPARROW_ASSERT(SharedArrayOneSize, Shared == 0 || (XPes == HPes && XLanes == HLanes))
  `SPARROW_ASSERT(SharedArrayTwoSlots, Shared == 0 || XSlots == 2)
endmodule
