// The accelerator: CSRs, controller, DMA, the MAC arrays with their weight banks, the vector
// buffer and the gate unit (docs/rtl.md). Its memory ports are the read and write channels of
// docs/timing.md.
module accelerator #(
  parameter int    Pes             = 4,
  parameter int    Lanes           = 2,
  parameter int    Shared          = 0,
  parameter int    GateLanes       = 1,
  parameter int    GateDepth       = 2,
  parameter int    BeatBytes       = 4,
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
  parameter int    MaxT            = 8,
  parameter int    MaxIn           = 16,
  parameter int    MaxH            = 16,
  parameter int    MaxPasses       = 1,
  parameter int    IdxMax          = 4,
  parameter int    BankBytes       = 256,
  parameter int    Columns         = 8
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
  // Memory read channel.
  output logic                   rd_req_valid_o,
  input  logic                   rd_req_ready_i,
  output logic [31:0]            rd_req_addr_o,
  output logic [31:0]            rd_req_bytes_o,
  input  logic                   rd_beat_valid_i,
  input  logic [8*BeatBytes-1:0] rd_beat_data_i,
  // Memory write channel.
  output logic                   wr_req_valid_o,
  input  logic                   wr_req_ready_i,
  output logic [31:0]            wr_req_addr_o,
  output logic [31:0]            wr_req_bytes_o,
  input  logic                   wr_beat_ready_i,
  output logic [8*BeatBytes-1:0] wr_beat_data_o,
  input  logic                   wr_done_i
);
  localparam int Arrays = Shared != 0 ? 1 : 2;
  localparam int Banks = 2 * Pes + 1;
  localparam int DescW = 32 * MaxPasses;
  localparam int StepW = $clog2(MaxT + 1);
  localparam int RowW = $clog2((4 * MaxH + Pes - 1) / Pes + 1);
  localparam int ColW = $clog2((MaxIn > MaxH ? MaxIn : MaxH) + 1) + IdxMax + 1;
  localparam int ScaledBits = (WxBits == 1 || WhBits == 1) ? ScaleBits : 0;
  localparam int ResW = AccBits + ScaledBits;
  localparam int PassW = (MaxPasses > 1) ? $clog2(MaxPasses) : 1;
  localparam int Regs = 40;
  // A PE's row-length table of one pass (VarRows): 4 MaxH / Pes rows, each entry wide enough
  // for the words of the widest row, ceil(max(MaxIn, MaxH) / Lanes).
  localparam int MaxCols = MaxIn > MaxH ? MaxIn : MaxH;
  localparam int LenEntry = $clog2((MaxCols + Lanes - 1) / Lanes + 1);
  localparam int LenSlot = 1 << $clog2(((4 * MaxH + Pes - 1) / Pes * LenEntry + 7) / 8);

  // ---- CSRs.
  logic [32*Regs-1:0] regs;
  logic [32*Banks*MaxPasses-1:0] desc_off, desc_bytes, desc_addr;
  logic [6*Banks*MaxPasses-1:0] desc_len_bits;
  logic start, done;
  logic [63:0] cycles, mac_slots, dram_read, dram_write, luts;

  csr #(
    .Banks    (Banks),
    .MaxPasses(MaxPasses),
    .VarRows  (VarRows)
  ) u_csr (
    .clk_i,
    .rst_ni,
    .awvalid_i   (csr_awvalid_i),
    .awready_o   (csr_awready_o),
    .awaddr_i    (csr_awaddr_i),
    .wvalid_i    (csr_wvalid_i),
    .wready_o    (csr_wready_o),
    .wdata_i     (csr_wdata_i),
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
    .desc_off_o  (desc_off),
    .desc_bytes_o(desc_bytes),
    .desc_addr_o (desc_addr),
    .desc_len_bits_o(desc_len_bits),
    .start_o     (start),
    .done_i      (done),
    .cycles_i    (cycles),
    .mac_slots_i (mac_slots),
    .dram_read_i (dram_read),
    .dram_write_i(dram_write),
    .lut_i       (luts)
  );

  function automatic logic [31:0] reg_at(input logic [32*Regs-1:0] r, input int addr);
    reg_at = r[32*(addr/4)+:32];
  endfunction

  // ---- Controller and DMA.
  logic pass_start, in_pass, dir, out_dir, x_go, h_go, loaded, wr_all, rd_fire, wr_fire;
  logic [PassW-1:0] pass;
  logic [15:0] in_size, x_wpr, x_seg;
  logic [5:0] x_idx;
  logic [31:0] in_base, in_row, out_base, out_row, out_bytes, wr_outstanding;
  logic [StepW:0] arrived, steps_done;
  logic [StepW-1:0] x_step, h_step, in_step, wr_step;
  logic [$clog2(GateLanes+1)-1:0] admitted;
  logic w_beat, in_beat, wr_par;
  logic [31:0] beat_off, wr_off;
  logic [Arrays-1:0] a_busy;
  logic [Arrays*16-1:0] a_words;
  logic [15:0] words;
  // The bias memory's descriptors have no row-length table.
  logic unused_bias_len;
  assign unused_bias_len = ^desc_len_bits[2*Pes*6*MaxPasses+:6*MaxPasses];

  always_comb begin
    words = '0;
    for (int a = 0; a < Arrays; a++) words = words + a_words[a*16+:16];
  end

  controller #(
    .Lanes    (Lanes),
    .Shared   (Shared),
    .MaxPasses(MaxPasses),
    .StepW    (StepW),
    .ActBits  (ActBits)
  ) u_controller (
    .clk_i,
    .rst_ni,
    .start_i           (start),
    .steps_i           ((StepW+1)'(reg_at(regs, 'h08))),
    .layers_i          (16'(reg_at(regs, 'h0c))),
    .bidir_i           (reg_at(regs, 'h10) == 32'd2),
    .input_size_i      (16'(reg_at(regs, 'h14))),
    .hidden_i          (16'(reg_at(regs, 'h18))),
    .wx_wpr0_i         (16'(reg_at(regs, 'h20))),
    .wx_wprn_i         (16'(reg_at(regs, 'h80))),
    .wx_idx0_i         (6'(reg_at(regs, 'h84))),
    .wx_idxn_i         (6'(reg_at(regs, 'h88))),
    .wx_seg0_i         (16'(reg_at(regs, 'h90))),
    .wx_segn_i         (16'(reg_at(regs, 'h94))),
    .input_base_i      (reg_at(regs, 'h30)),
    .output_base_i     (reg_at(regs, 'h38)),
    .loaded_i          (loaded),
    .arrived_i         (arrived),
    .steps_done_i      (steps_done),
    .wr_all_requested_i(wr_all),
    .wr_outstanding_i  (wr_outstanding),
    .rd_fire_i         (rd_fire),
    .rd_bytes_i        (rd_req_bytes_o),
    .wr_fire_i         (wr_fire),
    .wr_bytes_i        (wr_req_bytes_o),
    .admitted_i        (8'(admitted)),
    .x_busy_i          (a_busy[0]),
    .h_busy_i          (Arrays == 2 ? a_busy[Arrays-1] : 1'b0),
    .words_i           (words),
    .pass_start_o      (pass_start),
    .in_pass_o         (in_pass),
    .pass_o            (pass),
    .dir_o             (dir),
    .in_size_o         (in_size),
    .in_base_o         (in_base),
    .in_row_o          (in_row),
    .out_dir_o         (out_dir),
    .out_base_o        (out_base),
    .out_row_o         (out_row),
    .out_bytes_o       (out_bytes),
    .x_go_o            (x_go),
    .h_go_o            (h_go),
    .x_step_o          (x_step),
    .h_step_o          (h_step),
    .x_wpr_o           (x_wpr),
    .x_idx_o           (x_idx),
    .x_seg_o           (x_seg),
    .done_o            (done),
    .cycles_o          (cycles),
    .mac_slots_o       (mac_slots),
    .dram_read_o       (dram_read),
    .dram_write_o      (dram_write),
    .lut_o             (luts)
  );

  dma #(
    .BeatBytes(BeatBytes),
    .StepW    (StepW)
  ) u_dma (
    .clk_i,
    .rst_ni,
    .run_start_i       (start),
    .weight_base_i     (reg_at(regs, 'h28)),
    .weight_bytes_i    (reg_at(regs, 'h9c)),
    .pass_start_i      (pass_start),
    .in_pass_i         (in_pass),
    .steps_i           ((StepW+1)'(reg_at(regs, 'h08))),
    .in_dir_i          (dir),
    .in_base_i         (in_base),
    .in_row_i          (in_row),
    .out_dir_i         (out_dir),
    .out_base_i        (out_base),
    .out_row_i         (out_row),
    .out_bytes_i       (out_bytes),
    .steps_done_i      (steps_done),
    .rd_req_valid_o,
    .rd_req_ready_i,
    .rd_req_addr_o,
    .rd_req_bytes_o,
    .rd_beat_valid_i,
    .wr_req_valid_o,
    .wr_req_ready_i,
    .wr_req_addr_o,
    .wr_req_bytes_o,
    .wr_beat_ready_i,
    .wr_done_i,
    .w_beat_o          (w_beat),
    .in_beat_o         (in_beat),
    .beat_off_o        (beat_off),
    .in_step_o         (in_step),
    .loaded_o          (loaded),
    .arrived_o         (arrived),
    .wr_par_o          (wr_par),
    .wr_step_o         (wr_step),
    .wr_off_o          (wr_off),
    .wr_all_requested_o(wr_all),
    .wr_outstanding_o  (wr_outstanding),
    .rd_fire_o         (rd_fire),
    .wr_fire_o         (wr_fire)
  );

  // ---- MAC arrays.
  logic [Arrays-1:0] a_start, a_mat;
  logic [Arrays*StepW-1:0] a_step;
  logic [Arrays*16-1:0] a_wpr, a_seg;
  logic [Arrays*6-1:0] a_idx;
  logic [Arrays*Pes-1:0] rd_mat, res_valid, res_mat;
  logic [Arrays*Pes*StepW-1:0] rd_step, res_step;
  logic [Arrays*Pes*Lanes*ColW-1:0] rd_col;
  logic [Arrays*Pes*Lanes*ActBits-1:0] rd_val;
  logic [Arrays*Pes*RowW-1:0] res_row;
  logic [Arrays*Pes*ResW-1:0] res_val;

  always_comb begin
    a_start[0] = x_go || (Shared != 0 && h_go);
    a_mat[0] = Shared != 0 && h_go;
    a_step[0+:StepW] = a_mat[0] ? h_step : x_step;
    a_wpr[0+:16] = a_mat[0] ? 16'(reg_at(regs, 'h24)) : x_wpr;
    a_idx[0+:6] = a_mat[0] ? 6'(reg_at(regs, 'h8c)) : x_idx;
    a_seg[0+:16] = a_mat[0] ? 16'(reg_at(regs, 'h98)) : x_seg;
    if (Arrays == 2) begin
      a_start[Arrays-1] = h_go;
      a_mat[Arrays-1] = 1'b1;
      a_step[(Arrays-1)*StepW+:StepW] = h_step;
      a_wpr[(Arrays-1)*16+:16] = 16'(reg_at(regs, 'h24));
      a_idx[(Arrays-1)*6+:6] = 6'(reg_at(regs, 'h8c));
      a_seg[(Arrays-1)*16+:16] = 16'(reg_at(regs, 'h98));
    end
  end

  for (genvar a = 0; a < Arrays; a++) begin : g_array
    mac_array #(
      .Pes        (Pes),
      .Lanes      (Lanes),
      .HasX       ((Shared != 0 || a == 0) ? 1 : 0),
      .HasH       ((Shared != 0 || a == 1) ? 1 : 0),
      .SegBalanced(SegBalanced),
      .WxBits     (WxBits),
      .WhBits     (WhBits),
      .ActBits    (ActBits),
      .AccBits    (AccBits),
      .ScaleBits  (ScaleBits),
      .BankBytes  (BankBytes),
      .Columns    (Columns),
      .BeatBytes  (BeatBytes),
      .MaxPasses  (MaxPasses),
      .ColW       (ColW),
      .StepW      (StepW),
      .RowW       (RowW),
      .ResW       (ResW),
      .VarRows    (VarRows),
      .LenSlot    (LenSlot)
    ) u_mac_array (
      .clk_i,
      .rst_ni,
      .beat_valid_i(w_beat),
      .beat_off_i  (beat_off),
      .beat_data_i (rd_beat_data_i),
      .desc_off_i  (desc_off[0+:2*Pes*DescW]),
      .desc_bytes_i(desc_bytes[0+:2*Pes*DescW]),
      .desc_addr_i (desc_addr[0+:2*Pes*DescW]),
      .desc_len_bits_i(desc_len_bits[0+:2*Pes*6*MaxPasses]),
      .start_i     (a_start[a]),
      .start_mat_i (a_mat[a]),
      .start_pass_i(pass),
      .start_step_i(a_step[a*StepW+:StepW]),
      .hidden_i    (16'(reg_at(regs, 'h18))),
      .wpr_i       (a_wpr[a*16+:16]),
      .idx_bits_i  (a_idx[a*6+:6]),
      .seg_len_i   (a_seg[a*16+:16]),
      .rd_mat_o    (rd_mat[a*Pes+:Pes]),
      .rd_step_o   (rd_step[a*Pes*StepW+:Pes*StepW]),
      .rd_col_o    (rd_col[a*Pes*Lanes*ColW+:Pes*Lanes*ColW]),
      .rd_val_i    (rd_val[a*Pes*Lanes*ActBits+:Pes*Lanes*ActBits]),
      .res_valid_o (res_valid[a*Pes+:Pes]),
      .res_mat_o   (res_mat[a*Pes+:Pes]),
      .res_step_o  (res_step[a*Pes*StepW+:Pes*StepW]),
      .res_row_o   (res_row[a*Pes*RowW+:Pes*RowW]),
      .res_val_o   (res_val[a*Pes*ResW+:Pes*ResW]),
      .busy_o      (a_busy[a]),
      .words_o     (a_words[a*16+:16])
    );
  end

  // ---- Vector buffer and gate unit.
  logic [GateLanes-1:0] h_valid;
  logic [StepW-1:0] h_wstep;
  logic [GateLanes*16-1:0] h_unit;
  logic [GateLanes*ActBits-1:0] h_val;

  vector_buffer #(
    .MaxT     (MaxT),
    .MaxIn    (MaxIn),
    .MaxH     (MaxH),
    .ActBits  (ActBits),
    .BeatBytes(BeatBytes),
    .Pes      (Pes),
    .Arrays   (Arrays),
    .Lanes    (Lanes),
    .GateLanes(GateLanes),
    .ColW     (ColW),
    .StepW    (StepW)
  ) u_vector_buffer (
    .clk_i,
    .in_size_i (in_size),
    .state_i   (16'(reg_at(regs, 'h18))),
    .par_i     (pass[0]),
    .in_valid_i(in_beat),
    .in_step_i (in_step),
    .in_off_i  (beat_off),
    .in_data_i (rd_beat_data_i),
    .rd_mat_i  (rd_mat),
    .rd_step_i (rd_step),
    .rd_col_i  (rd_col),
    .rd_val_o  (rd_val),
    .h_valid_i (h_valid),
    .h_step_i  (h_wstep),
    .h_unit_i  (h_unit),
    .h_val_i   (h_val),
    .wr_par_i  (wr_par),
    .wr_step_i (wr_step),
    .wr_off_i  (wr_off),
    .wr_data_o (wr_beat_data_o)
  );

  gate_unit #(
    .Pes            (Pes),
    .Arrays         (Arrays),
    .GateLanes      (GateLanes),
    .GateDepth      (GateDepth),
    .MaxH           (MaxH),
    .MaxPasses      (MaxPasses),
    .BeatBytes      (BeatBytes),
    .StepW          (StepW),
    .RowW           (RowW),
    .ResW           (ResW),
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
    .rst_ni,
    .beat_valid_i(w_beat),
    .beat_off_i  (beat_off),
    .beat_data_i (rd_beat_data_i),
    .desc_off_i  (desc_off[2*Pes*DescW+:DescW]),
    .desc_bytes_i(desc_bytes[2*Pes*DescW+:DescW]),
    .desc_addr_i (desc_addr[2*Pes*DescW+:DescW]),
    .pass_start_i(pass_start),
    .pass_i      (pass),
    .hidden_i    (16'(reg_at(regs, 'h18))),
    .x_start_i   (x_go),
    .x_step_i    (x_step),
    .h_start_i   (h_go),
    .h_step_i    (h_step),
    .res_valid_i (res_valid),
    .res_mat_i   (res_mat),
    .res_step_i  (res_step),
    .res_row_i   (res_row),
    .res_val_i   (res_val),
    .h_valid_o   (h_valid),
    .h_step_o    (h_wstep),
    .h_unit_o    (h_unit),
    .h_val_o     (h_val),
    .steps_done_o(steps_done),
    .admitted_o  (admitted)
  );

endmodule
