// The accelerator: CSRs, controller, DMA, the weight loader, the MAC arrays with their weight
// banks, the vector buffer and the gate unit (docs/rtl.md). Its memory port is an AXI4 master
// (axi_master) carrying the read and write channels of docs/timing.md. The design point's formats, lanes and PEs are parameters;
// MaxT, MaxIn, MaxH, MaxPasses, IdxMax and Items size it for the workloads it runs; XWords and
// HWords are the banks' depths (the host sizes them by weight_bank.*_kbit_per_pe).
module accelerator #(
  parameter int    Pes             = 4,
  parameter int    Lanes           = 2,
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
  parameter int    MaxT            = 8,
  parameter int    MaxIn           = 16,
  parameter int    MaxH            = 16,
  parameter int    MaxPasses       = 1,
  parameter int    IdxMax          = 4,
  parameter int    Items           = 2    // most bank words (or bias units) a beat completes
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

  localparam int Arrays = Shared != 0 ? 1 : 2;
  localparam int StepW = $clog2(MaxT + 1);
  localparam int PassW = MaxPasses > 1 ? $clog2(MaxPasses) : 1;
  localparam int Regs = sparrow_reg_pkg::CsrEnd / 4;
  localparam int MaxRegions = MaxPasses * (2 * Pes + 1);
  localparam int Ab = (ActBits + 7) / 8;
  localparam int Bb = (BiasBits + 7) / 8;
  // The on-chip bank words.
  localparam int XWordW = Lanes * (WxBits + IdxMax);
  localparam int HWordW = Lanes * (WhBits + IdxMax);
  localparam int ItemXH = XWordW > HWordW ? XWordW : HWordW;
  localparam int ItemW = ItemXH > 32 * Bb ? ItemXH : 32 * Bb;
  // Rows per PE, the side tables (row lengths or row scales) and their entries.
  localparam int RowsPe = (4 * MaxH + Pes - 1) / Pes;
  localparam int RowW = $clog2(RowsPe + 1);
  localparam int Binarized = (WxBits == 1 || WhBits == 1) ? 1 : 0;
  localparam int EntryBytes = VarRows != 0 ? 1 : (ScaleBits + 7) / 8;
  localparam int TableWords = (VarRows != 0 || Binarized != 0)
      ? MaxPasses * ((RowsPe * EntryBytes + BeatBytes - 1) / BeatBytes) : 0;
  // The accumulator: the contract's width, or the width no row's sum can exceed.
  localparam int MaxCols = MaxIn > MaxH ? MaxIn : MaxH;
  localparam int RowWords = (MaxCols + Lanes - 1) / Lanes;
  localparam int VMax = WxBits > WhBits ? WxBits : WhBits;
  localparam int SumW = ActBits + VMax + $clog2(Lanes) + $clog2(RowWords + 1);
  localparam int AccW = SumW < AccBits ? SumW : AccBits;
  localparam int ResW = AccW + (Binarized != 0 ? ScaleBits : 0);
  localparam int CountW = $clog2(Pes + 1);
  localparam int AdmW = $clog2(GateLanes + 1);
  localparam int UnitW = $clog2(MaxH + 1);
  localparam int LaneW = Lanes > 1 ? $clog2(Lanes) : 1;

  // ---- CSRs.
  logic [32*Regs-1:0] regs;
  // The register at `addr` (a constant at every use: a plain slice of `regs`, no copy of it).
  function automatic logic [31:0] reg_at(input logic [15:0] addr);
    reg_at = regs[32*(32'(addr)/4)+:32];
  endfunction
  sparrow_reg_pkg::region_desc_t desc;
  logic [$clog2(MaxRegions > 1 ? MaxRegions : 2)-1:0] desc_addr;
  logic start, done, abort, quiet, sreset_q, done_q, unit_rst_n, fits, mem_error;
  logic [47:0] cycles, mac_slots, dram_read, dram_write, luts;
  logic [95:0] a_busy_cnt, a_stall_cnt;

  csr #(.MaxRegions(MaxRegions)) u_csr (
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
    .fits_i      (fits),
    .mem_error_i (mem_error),
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
  assign unit_rst_n = rst_ni && !sreset_q && !done_q;

  logic [StepW-1:0] steps;
  logic [15:0] hidden, h_seg, wh_wpr;
  logic bidir;
  assign steps = StepW'(reg_at(sparrow_reg_pkg::CsrSeqLen));
  assign hidden = 16'(reg_at(sparrow_reg_pkg::CsrHiddenSize));
  assign h_seg = 16'(reg_at(sparrow_reg_pkg::CsrWhSeg));
  assign wh_wpr = 16'(reg_at(sparrow_reg_pkg::CsrWhWpr));
  assign bidir = reg_at(sparrow_reg_pkg::CsrDirections) == 32'd2;

  // The run the registers describe fits this build (docs/rtl.md, "Registers"): steps, sizes and
  // passes within MaxT, MaxIn, MaxH and MaxPasses, one or two directions, at least one layer and
  // one sequence, batches of one sequence, no projection. A START otherwise ends at once with
  // STATUS.ERROR.
  always_comb begin
    logic [31:0] t, i, h, l, d, n;
    t = reg_at(sparrow_reg_pkg::CsrSeqLen);
    i = reg_at(sparrow_reg_pkg::CsrInputSize);
    h = reg_at(sparrow_reg_pkg::CsrHiddenSize);
    l = reg_at(sparrow_reg_pkg::CsrLayers);
    d = reg_at(sparrow_reg_pkg::CsrDirections);
    n = reg_at(sparrow_reg_pkg::CsrSequences);
    fits = t != '0 && t <= 32'(MaxT) && i != '0 && i <= 32'(MaxIn) && h != '0
           && h <= 32'(MaxH) && l != '0 && (d == 32'd1 || d == 32'd2) && n != '0
           && reg_at(sparrow_reg_pkg::CsrBatch) == 32'd1
           && reg_at(sparrow_reg_pkg::CsrProjSize) == '0
           && l <= 32'(d == 32'd2 ? MaxPasses / 2 : MaxPasses)
           && (l == 32'd1 || (d == 32'd2 ? {h[30:0], 1'b0} : h) <= 32'(MaxIn));
  end

  // ---- Controller and DMA.
  logic pass_start, in_pass, x_go, h_go, loaded, wr_all, wr_idle, rd_fire, wr_fire, in_back;
  logic out_back, w_beat, in_beat, out_par, pass_par_q;
  logic [PassW-1:0] pass;
  logic [15:0] in_size, x_seg, x_wpr, out_beat;
  logic [31:0] in_first, in_stride, out_first;
  // The DMA's transfers and beats, between it and the AXI4 master.
  logic rd_req_valid, rd_req_ready, rd_beat_valid, wr_req_valid, wr_req_ready, wr_beat_ready;
  logic wr_done;
  logic [31:0] rd_req_addr, rd_req_bytes, wr_req_addr, wr_req_bytes;
  logic [8*BeatBytes-1:0] rd_beat_data, wr_beat_data;
  logic [StepW-1:0] x_step, h_step, x_fin, xt_done, steps_done, out_step;
  logic [AdmW-1:0] admitted;
  logic [8*BeatBytes-1:0] beat_data;
  logic [Arrays-1:0] a_busy;
  logic [Arrays*CountW-1:0] a_words;
  logic [CountW:0] words;

  always_comb begin
    words = '0;
    for (int a = 0; a < Arrays; a++) words = words + (CountW+1)'(a_words[a*CountW+:CountW]);
  end

  controller #(
    .Lanes    (Lanes),
    .Shared   (Shared),
    .MaxT     (MaxT),
    .MaxPasses(MaxPasses),
    .CountW   (CountW),
    .AdmW     (AdmW)
  ) u_controller (
    .clk_i,
    .rst_ni            (unit_rst_n),
    .start_i           (start),
    .steps_i           (steps),
    .layers_i          (16'(reg_at(sparrow_reg_pkg::CsrLayers))),
    .bidir_i           (bidir),
    .input_size_i      (16'(reg_at(sparrow_reg_pkg::CsrInputSize))),
    .hidden_i          (hidden),
    .wx_wpr0_i         (16'(reg_at(sparrow_reg_pkg::CsrWxWpr))),
    .wx_wprn_i         (16'(reg_at(sparrow_reg_pkg::CsrWxWprN))),
    .wx_seg0_i         (16'(reg_at(sparrow_reg_pkg::CsrWxSeg0))),
    .wx_segn_i         (16'(reg_at(sparrow_reg_pkg::CsrWxSegN))),
    .input_base_i      (reg_at(sparrow_reg_pkg::CsrInputBase)),
    .output_base_i     (reg_at(sparrow_reg_pkg::CsrOutputBase)),
    .in_row0_i         (reg_at(sparrow_reg_pkg::CsrInRow0)),
    .in_last0_i        (reg_at(sparrow_reg_pkg::CsrInLast0)),
    .out_row_i         (reg_at(sparrow_reg_pkg::CsrOutRow)),
    .state_bytes_i     (32'(hidden) * Ab),
    .layer_out_i       (reg_at(sparrow_reg_pkg::CsrLayerOut)),
    .layer_stride_i    (reg_at(sparrow_reg_pkg::CsrLayerStride)),
    .sequences_i       (reg_at(sparrow_reg_pkg::CsrSequences)),
    .loaded_i          (loaded),
    .xt_done_i         (xt_done),
    .steps_done_i      (steps_done),
    .wr_all_requested_i(wr_all),
    .wr_idle_i         (wr_idle),
    .rd_fire_i         (rd_fire),
    .rd_bytes_i        (rd_req_bytes),
    .wr_fire_i         (wr_fire),
    .wr_bytes_i        (wr_req_bytes),
    .admitted_i        (admitted),
    .x_busy_i          (a_busy[0]),
    .h_busy_i          (a_busy[Arrays-1]),
    .words_i           (words),
    .pass_start_o      (pass_start),
    .in_pass_o         (in_pass),
    .pass_o            (pass),
    .in_size_o         (in_size),
    .x_seg_o           (x_seg),
    .in_first_o        (in_first),
    .in_stride_o       (in_stride),
    .in_back_o         (in_back),
    .out_first_o       (out_first),
    .out_back_o        (out_back),
    .x_go_o            (x_go),
    .h_go_o            (h_go),
    .x_step_o          (x_step),
    .h_step_o          (h_step),
    .x_wpr_o           (x_wpr),
    .x_fin_o           (x_fin),
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
    .BeatBytes(BeatBytes),
    .MaxT     (MaxT)
  ) u_dma (
    .clk_i,
    .rst_ni            (unit_rst_n),
    .run_start_i       (start),
    .weight_base_i     (reg_at(sparrow_reg_pkg::CsrWeightBase)),
    .weight_bytes_i    (reg_at(sparrow_reg_pkg::CsrWeightBytes)),
    .pass_start_i      (pass_start),
    .in_pass_i         (in_pass),
    .steps_i           (steps),
    .in_first_i        (in_first),
    .in_stride_i       (in_stride),
    .in_bytes_i        (32'(in_size) * Ab),
    .in_back_i         (in_back),
    .out_first_i       (out_first),
    .out_back_i        (out_back),
    .out_row_i         (reg_at(sparrow_reg_pkg::CsrOutRow)),
    .out_bytes_i       (32'(hidden) * Ab),
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
    .Lanes     (Lanes),
    .WxBits    (WxBits),
    .WhBits    (WhBits),
    .IdxMax    (IdxMax),
    .BiasBytes (Bb),
    .MaxRegions(MaxRegions),
    .Items     (Items)
  ) u_loader (
    .clk_i,
    .rst_ni        (unit_rst_n),
    .start_i       (start),
    .beat_valid_i  (w_beat),
    .beat_data_i   (beat_data),
    .desc_addr_o   (desc_addr),
    .desc_i        (desc),
    .target_o      (ld_target),
    .region_start_o(ld_region_start),
    .table_we_o    (ld_table_we),
    .table_data_o  (ld_table_data),
    .item_valid_o  (ld_valid),
    .item_data_o   (ld_data)
  );

  // ---- MAC arrays: array 0 runs X phases (and H phases when shared), array 1 H phases.
  logic [Arrays-1:0] a_start, a_mat, a_par, a_zero;
  logic [Arrays*16-1:0] a_wpr;
  logic [Arrays*Pes-1:0] rd_mat, rd_par, res_valid, res_mat, res_par;
  logic [Lanes*(IdxMax+1)-1:0] x_valid, h_valid_len;
  logic [Arrays*Pes*Lanes*IdxMax-1:0] rd_idx;
  logic [Arrays*Pes*Lanes*ActBits-1:0] rd_val;
  logic [Arrays*Pes*RowW-1:0] res_row;
  logic [Arrays*Pes*ResW-1:0] res_val;

  always_comb begin
    // An H phase of step t reads h_{t-1}, kept in slot (t - 1) mod 2, zero at t = 0.
    a_start[0] = x_go || (Shared != 0 && h_go);
    a_mat[0] = Shared != 0 && h_go;
    a_par[0] = a_mat[0] ? !h_step[0] : x_step[0];
    a_zero[0] = a_mat[0] && h_step == '0;
    a_wpr[0+:16] = a_mat[0] ? wh_wpr : x_wpr;
    if (Arrays == 2) begin
      a_start[Arrays-1] = h_go;
      a_mat[Arrays-1] = 1'b1;
      a_par[Arrays-1] = !h_step[0];
      a_zero[Arrays-1] = h_step == '0;
      a_wpr[(Arrays-1)*16+:16] = wh_wpr;
    end
  end

  for (genvar a = 0; a < Arrays; a++) begin : g_array
    mac_array #(
      .Pes       (Pes),
      .Lanes     (Lanes),
      .HasX      ((Shared != 0 || a == 0) ? 1 : 0),
      .HasH      ((Shared != 0 || a == 1) ? 1 : 0),
      .WxBits    (WxBits),
      .WhBits    (WhBits),
      .ActBits   (ActBits),
      .IdxMax    (IdxMax),
      .AccW      (AccW),
      .ScaleBits (ScaleBits),
      .XWords    (XWords),
      .HWords    (HWords),
      .Items     (Items),
      .ItemW     (ItemW),
      .MaxPasses (MaxPasses),
      .TableWords(TableWords),
      .EntryBytes(EntryBytes),
      .BeatBytes (BeatBytes),
      .VarRows   (VarRows),
      .RowW      (RowW),
      .WprW      (16)
    ) u_mac_array (
      .clk_i,
      .rst_ni        (unit_rst_n),
      .run_start_i   (start),
      .target_i      (ld_target),
      .region_start_i(ld_region_start),
      .table_we_i    (ld_table_we),
      .table_data_i  (ld_table_data),
      .item_valid_i  (ld_valid),
      .item_data_i   (ld_data),
      .rows_per_pe_i (RowW'(reg_at(sparrow_reg_pkg::CsrRowsPerPe))),
      .rows_extra_i  (16'(reg_at(sparrow_reg_pkg::CsrRowsExtra))),
      .start_i       (a_start[a]),
      .mat_i         (a_mat[a]),
      .pass_i        (pass),
      .par_i         (a_par[a]),
      .zero_i        (a_zero[a]),
      .wpr_i         (a_wpr[a*16+:16]),
      .rd_mat_o      (rd_mat[a*Pes+:Pes]),
      .rd_par_o      (rd_par[a*Pes+:Pes]),
      .rd_idx_o      (rd_idx[a*Pes*Lanes*IdxMax+:Pes*Lanes*IdxMax]),
      .rd_val_i      (rd_val[a*Pes*Lanes*ActBits+:Pes*Lanes*ActBits]),
      .x_valid_i     (x_valid),
      .h_valid_i     (h_valid_len),
      .res_valid_o   (res_valid[a*Pes+:Pes]),
      .res_mat_o     (res_mat[a*Pes+:Pes]),
      .res_par_o     (res_par[a*Pes+:Pes]),
      .res_row_o     (res_row[a*Pes*RowW+:Pes*RowW]),
      .res_val_o     (res_val[a*Pes*ResW+:Pes*ResW]),
      .busy_o        (a_busy[a]),
      .words_o       (a_words[a*CountW+:CountW])
    );
  end

  // ---- Vector buffer and gate unit.
  logic [GateLanes-1:0] h_valid;
  logic [StepW-1:0] h_wstep;
  logic [GateLanes*UnitW-1:0] h_unit;
  logic [GateLanes*LaneW-1:0] h_lane;
  logic [GateLanes*IdxMax-1:0] h_off;
  logic [GateLanes*ActBits-1:0] h_val;

  vector_buffer #(
    .Pes        (Pes),
    .Lanes      (Lanes),
    .Arrays     (Arrays),
    .ActBits    (ActBits),
    .IdxMax     (IdxMax),
    .BeatBytes  (BeatBytes),
    .GateLanes  (GateLanes),
    .MaxT       (MaxT),
    .MaxIn      (MaxIn),
    .MaxH       (MaxH),
    .SegBalanced(SegBalanced)
  ) u_vector_buffer (
    .clk_i,
    .rst_ni      (unit_rst_n),
    .pass_start_i(pass_start),
    .in_size_i   (in_size),
    .x_seg_i     (x_seg),
    .steps_i     (steps),
    .h_size_i    (hidden),
    .h_seg_i     (h_seg),
    .in_valid_i  (in_beat),
    .in_data_i   (beat_data),
    .x_fin_i     (x_fin),
    .xt_done_o   (xt_done),
    .rd_mat_i    (rd_mat),
    .rd_par_i    (rd_par),
    .rd_idx_i    (rd_idx),
    .rd_val_o    (rd_val),
    .x_valid_o   (x_valid),
    .h_valid_o   (h_valid_len),
    .h_valid_i   (h_valid),
    .h_par_i     (pass_par_q),
    .h_step_i    (h_wstep),
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
    .Pes            (Pes),
    .Arrays         (Arrays),
    .Lanes          (Lanes),
    .GateLanes      (GateLanes),
    .GateDepth      (GateDepth),
    .MaxT           (MaxT),
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
    .TanhSlopeFile  (TanhSlopeFile)
  ) u_gate_unit (
    .clk_i,
    .rst_ni      (unit_rst_n),
    .run_start_i (start),
    .target_i    (ld_target),
    .item_valid_i(ld_valid),
    .item_data_i (ld_data),
    .pass_start_i(pass_start),
    .pass_zero_i (pass == '0),
    .hidden_i    (hidden),
    .h_seg_i     (h_seg),
    .x_start_i   (x_go),
    .x_step_i    (x_step),
    .h_start_i   (h_go),
    .h_step_i    (h_step),
    .res_valid_i (res_valid),
    .res_mat_i   (res_mat),
    .res_par_i   (res_par),
    .res_row_i   (res_row),
    .res_val_i   (res_val),
    .h_valid_o   (h_valid),
    .h_step_o    (h_wstep),
    .h_unit_o    (h_unit),
    .h_lane_o    (h_lane),
    .h_off_o     (h_off),
    .h_val_o     (h_val),
    .steps_done_o(steps_done),
    .admitted_o  (admitted)
  );

  `SPARROW_ASSERT(BeatHoldsWholeValues, BeatBytes % Ab == 0)
endmodule
