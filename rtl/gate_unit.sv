// The gate unit (docs/timing.md, "The gate unit"; docs/arithmetic.md, steps 2 and 3). It keeps
// the row results of the MAC arrays (W_x results double-buffered by step parity, W_h results of
// the current step) with a completed-row count per PE, admits hidden units in increasing order,
// up to GateLanes per cycle, as soon as their eight rows are complete, and GateDepth cycles
// later writes h_u to the vector buffer and c_u to the cell-state memory. The biases of every
// pass arrive with the weights.
//
// Every store is a RAM with one write port per cycle and asynchronous reads (LUT RAM): the row
// results in one RAM per PE (PE p only ever produces rows q = p mod Pes), read at the 4
// GateLanes consecutive rows of the units being admitted; the biases as byte columns (the
// weight banks' layout, one byte per column per memory beat), read as one window; the cell
// state in banks by unit mod a power of two >= GateLanes.
module gate_unit #(
  parameter int    Pes             = 16,
  parameter int    Arrays          = 2,
  parameter int    GateLanes       = 4,
  parameter int    GateDepth       = 4,
  parameter int    MaxH            = 64,
  parameter int    MaxPasses       = 1,
  parameter int    BeatBytes       = 16,
  parameter int    StepW           = 8,
  parameter int    RowW            = 8,
  parameter int    ResW            = 64,
  parameter int    ActBits         = 8,
  parameter int    ActFrac         = 6,
  parameter int    WxBits          = 8,
  parameter int    WxFrac          = 8,
  parameter int    WhBits          = 8,
  parameter int    WhFrac          = 8,
  parameter int    ScaleFrac       = 0,
  parameter int    BiasBits        = 16,
  parameter int    BiasFrac        = 12,
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
  parameter        SigFile         = "",
  parameter        SigSlopeFile    = "",
  parameter        TanhFile        = "",
  parameter        TanhSlopeFile   = "",
  localparam int PassW = (MaxPasses > 1) ? $clog2(MaxPasses) : 1,
  localparam int Bb = (BiasBits + 7) / 8
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  // Bias bytes from the weight transfer, with the bias descriptors.
  input  logic                             beat_valid_i,
  input  logic [31:0]                      beat_off_i,
  input  logic [8*BeatBytes-1:0]           beat_data_i,
  input  logic [32*MaxPasses-1:0]          desc_off_i,
  input  logic [32*MaxPasses-1:0]          desc_bytes_i,
  input  logic [32*MaxPasses-1:0]          desc_addr_i,
  // A pass starts (state cleared at the end of this cycle).
  input  logic                             pass_start_i,
  input  logic [PassW-1:0]                 pass_i,
  input  logic [15:0]                      hidden_i,
  // Phase starts: their result buffers restart.
  input  logic                             x_start_i,
  input  logic [StepW-1:0]                 x_step_i,
  input  logic                             h_start_i,
  input  logic [StepW-1:0]                 h_step_i,
  // Row results of every PE of every array.
  input  logic [Arrays*Pes-1:0]            res_valid_i,
  input  logic [Arrays*Pes-1:0]            res_mat_i,
  input  logic [Arrays*Pes*StepW-1:0]      res_step_i,
  input  logic [Arrays*Pes*RowW-1:0]       res_row_i,
  input  logic [Arrays*Pes*ResW-1:0]       res_val_i,
  // h_u writes (to the vector buffer).
  output logic [GateLanes-1:0]             h_valid_o,
  output logic [StepW-1:0]                 h_step_o,
  output logic [GateLanes*16-1:0]          h_unit_o,
  output logic [GateLanes*ActBits-1:0]     h_val_o,
  // Steps of this pass whose hidden units are all written.
  output logic [StepW:0]                   steps_done_o,
  // Units admitted this cycle.
  output logic [$clog2(GateLanes+1)-1:0]   admitted_o
);
  `include "fixed_point.svh"

  localparam int Rows = 4 * MaxH;
  localparam int Fx = ActFrac + (WxBits == 1 ? ScaleFrac : WxFrac);
  localparam int Fh = ActFrac + (WhBits == 1 ? ScaleFrac : WhFrac);
  localparam int Fxh = Fx > Fh ? Fx : Fh;
  localparam int F = Fxh > BiasFrac ? Fxh : BiasFrac;
  localparam int Fc = GateFrac + CellFrac > 2 * GateFrac ? GateFrac + CellFrac : 2 * GateFrac;
  localparam int AdmW = $clog2(GateLanes + 1);

  logic [StepW-1:0] gt_q;  // the step being admitted
  logic [15:0] gu_q;       // its next unit

  // ---- Biases: 4 GateLanes consecutive rows' biases are one window of the byte columns.
  localparam int BiasWin = 4 * GateLanes * Bb;
  localparam int BiasCols = 1 << $clog2(BeatBytes > BiasWin ? BeatBytes : BiasWin);
  localparam int BiasNeed = MaxPasses * Rows * Bb > 2 * BiasCols ? MaxPasses * Rows * Bb
                                                                  : 2 * BiasCols;
  localparam int BiasBytes = 1 << $clog2(BiasNeed);
  localparam int BiasAddrW = $clog2(BiasBytes);
  logic [BiasAddrW-1:0] bias_addr;
  logic [8*BiasCols-1:0] bias_win, bias_unused_b;
  // The window is wider than the slots' biases when a memory beat is.
  logic unused_bias;
  assign unused_bias = ^{bias_win, bias_unused_b};

  weight_bank #(
    .BankBytes(BiasBytes),
    .Columns  (BiasCols),
    .BeatBytes(BeatBytes),
    .MaxPasses(MaxPasses),
    .AsyncRead(1)
  ) u_bias (
    .clk_i,
    .beat_valid_i,
    .beat_off_i,
    .beat_data_i,
    .desc_off_i,
    .desc_bytes_i,
    .desc_addr_i,
    .rd_a_addr_i  (bias_addr),
    .rd_a_window_o(bias_win),
    .rd_b_addr_i  ('0),
    .rd_b_window_o(bias_unused_b)
  );

  // ---- Row results and completed-row counts. Slot k < 4 GateLanes of the admission window
  // (row q0 + k, q0 = 4 gu) is on PE (q0 + k) mod Pes, at that PE's row (q0 + k) / Pes; read
  // port i of PE p's RAMs reads its row qa + i + (p < qm) (qa = q0 / Pes, qm = q0 mod Pes),
  // which is slot k's row for i = k / Pes.
  localparam int RowsPe = (Rows + Pes - 1) / Pes;
  localparam int Slots = 4 * GateLanes;
  localparam int ResReads = (Slots + Pes - 1) / Pes;
  localparam int XAddrW = $clog2(2 * RowsPe);
  localparam int HAddrW = RowsPe > 1 ? $clog2(RowsPe) : 1;
  logic [ResReads*ResW-1:0] xres_rd[Pes], hres_rd[Pes];
  logic [ResReads*XAddrW-1:0] xres_raddr[Pes];
  logic [ResReads*HAddrW-1:0] hres_raddr[Pes];
  logic [31:0] qa, qm;
  localparam int HArr = Arrays - 1;  // the array that produces W_h rows
  assign qa = 4 * 32'(gu_q) / Pes;
  assign qm = 4 * 32'(gu_q) % Pes;
  assign bias_addr = BiasAddrW'((32'(pass_q) * 4 * 32'(hidden_i) + 4 * 32'(gu_q)) * Bb);

  for (genvar p = 0; p < Pes; p++) begin : g_res
    lut_ram #(
      .Width(ResW),
      .Depth(2 * RowsPe),
      .Reads(ResReads)
    ) u_xres (
      .clk_i,
      .we_i   (res_valid_i[p] && !res_mat_i[p]),
      .waddr_i(XAddrW'(32'(res_step_i[p*StepW]) * RowsPe + 32'(res_row_i[p*RowW+:RowW]))),
      .wdata_i(res_val_i[p*ResW+:ResW]),
      .raddr_i(xres_raddr[p]),
      .rdata_o(xres_rd[p])
    );
    lut_ram #(
      .Width(ResW),
      .Depth(RowsPe),
      .Reads(ResReads)
    ) u_hres (
      .clk_i,
      .we_i   (res_valid_i[HArr*Pes+p] && res_mat_i[HArr*Pes+p]),
      .waddr_i(HAddrW'(res_row_i[(HArr*Pes+p)*RowW+:RowW])),
      .wdata_i(res_val_i[(HArr*Pes+p)*ResW+:ResW]),
      .raddr_i(hres_raddr[p]),
      .rdata_o(hres_rd[p])
    );
    always_comb begin
      for (int i = 0; i < ResReads; i++) begin
        logic [31:0] r;
        r = qa + 32'(i) + (32'(p) < qm ? 32'd1 : 32'd0);
        xres_raddr[p][i*XAddrW+:XAddrW] = XAddrW'(32'(gt_q[0]) * RowsPe + r);
        hres_raddr[p][i*HAddrW+:HAddrW] = HAddrW'(r);
      end
    end
  end

  // Completed rows per PE: W_x of slot s at [s * Pes + p], W_h at [p].
  logic [2*Pes*(RowW+1)-1:0] xdone_q;
  logic [Pes*(RowW+1)-1:0] hdone_q;
  logic [StepW-1:0] xtag_q[2], htag_q;
  logic xval_q[2], hval_q;
  logic [PassW-1:0] pass_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      xval_q[0] <= 1'b0;
      xval_q[1] <= 1'b0;
      hval_q <= 1'b0;
    end else begin
      if (pass_start_i) begin
        xval_q[0] <= 1'b0;
        xval_q[1] <= 1'b0;
        hval_q <= 1'b0;
        pass_q <= pass_i;
      end
      for (int a = 0; a < Arrays; a++) begin
        for (int p = 0; p < Pes; p++) begin
          int r;
          r = a * Pes + p;
          if (res_valid_i[r]) begin
            if (res_mat_i[r]) begin
              hdone_q[p*(RowW+1)+:RowW+1] <= hdone_q[p*(RowW+1)+:RowW+1] + 1'b1;
            end else begin
              xdone_q[(32'(res_step_i[r*StepW]) * Pes + p)*(RowW+1)+:RowW+1]
                  <= xdone_q[(32'(res_step_i[r*StepW]) * Pes + p)*(RowW+1)+:RowW+1] + 1'b1;
            end
          end
        end
      end
      if (x_start_i) begin
        xtag_q[x_step_i[0]] <= x_step_i;
        xval_q[x_step_i[0]] <= 1'b1;
        xdone_q[32'(x_step_i[0])*Pes*(RowW+1)+:Pes*(RowW+1)] <= '0;
      end
      if (h_start_i) begin
        htag_q <= h_step_i;
        hval_q <= 1'b1;
        hdone_q <= '0;
      end
    end
  end
  // ---- Admission: units gu, gu + 1, ... whose rows are all complete, at most GateLanes.
  logic [StepW:0] steps_q;
  logic [GateLanes-1:0] admit;
  logic [15:0] lane_unit[GateLanes];

  function automatic logic unit_ready(input logic [15:0] u, input logic [StepW-1:0] t);
    logic ok;
    ok = xval_q[t[0]] && xtag_q[t[0]] == t && hval_q && htag_q == t;
    for (int g = 0; g < 4; g++) begin
      logic [31:0] q, p, j;
      q = 4 * 32'(u) + 32'(g);
      p = q % Pes;
      j = q / Pes;
      ok = ok && 32'(xdone_q[(32'(t[0]) * Pes + p)*(RowW+1)+:RowW+1]) > j
           && 32'(hdone_q[p*(RowW+1)+:RowW+1]) > j;
    end
    unit_ready = ok;
  endfunction

  always_comb begin
    logic run;
    run = 1'b1;
    admitted_o = '0;
    for (int m = 0; m < GateLanes; m++) begin
      lane_unit[m] = gu_q + 16'(m);
      run = run && lane_unit[m] < hidden_i && unit_ready(lane_unit[m], gt_q);
      admit[m] = run;
      if (run) admitted_o = admitted_o + AdmW'(1);
    end
  end

  // ---- Datapath of each admitted unit, in the cycle it is admitted: bias/accumulate, the
  // activations, the cell update and h. The GateDepth registers that follow carry it to the
  // write.
  // The pipeline registers (below); stage s, lane m at [(s * GateLanes + m) * width].
  logic [GateDepth*GateLanes-1:0] pv_q;
  logic [GateDepth*GateLanes*16-1:0] pu_q;
  logic [GateDepth*StepW-1:0] pt_q;
  logic [GateDepth*GateLanes*ActBits-1:0] ph_q;
  logic [GateDepth*GateLanes*CellBits-1:0] pc_q;
  logic [GateLanes*16-1:0] adm_u;
  logic [GateLanes*ActBits-1:0] adm_h;
  logic [GateLanes*CellBits-1:0] adm_c;
  localparam int Last = GateDepth - 1;

  // The cell state: unit u in bank u mod CellBanks. The lanes admitted, and the lanes written,
  // in a cycle hold consecutive units, so each bank has one read and one write. A pass's first
  // step reads zero.
  localparam int CellBanks = 1 << $clog2(GateLanes);
  localparam int CellDepth = (MaxH + CellBanks - 1) / CellBanks;
  localparam int CellAddrW = CellDepth > 1 ? $clog2(CellDepth) : 1;
  logic [CellBits-1:0] cell_rd[CellBanks], cell_wdata[CellBanks];
  logic [CellAddrW-1:0] cell_raddr[CellBanks], cell_waddr[CellBanks];
  logic [CellBanks-1:0] cell_we;

  for (genvar c = 0; c < CellBanks; c++) begin : g_cell
    lut_ram #(
      .Width(CellBits),
      .Depth(CellDepth),
      .Reads(1)
    ) u_ram (
      .clk_i,
      .we_i   (cell_we[c]),
      .waddr_i(cell_waddr[c]),
      .wdata_i(cell_wdata[c]),
      .raddr_i(cell_raddr[c]),
      .rdata_o(cell_rd[c])
    );
    always_comb begin
      cell_raddr[c] = CellAddrW'((32'(gu_q) + (32'(c) - 32'(gu_q)) % CellBanks) / CellBanks);
      cell_we[c] = 1'b0;
      cell_waddr[c] = '0;
      cell_wdata[c] = '0;
      for (int m = 0; m < GateLanes; m++) begin
        logic [31:0] u;
        u = 32'(pu_q[(Last*GateLanes+m)*16+:16]);
        if (pv_q[Last*GateLanes+m] && u % CellBanks == c) begin
          cell_we[c] = 1'b1;
          cell_waddr[c] = CellAddrW'(u / CellBanks);
          cell_wdata[c] = pc_q[(Last*GateLanes+m)*CellBits+:CellBits];
        end
      end
    end
  end

  // Lane m, gate g at [64 * (4m + g)].
  logic [64*4*GateLanes-1:0] z, act;
  logic signed [63:0] c_new[GateLanes], tc[GateLanes], h_new[GateLanes];
  // The activations' outputs at their format's width, sign-extended here.
  logic [GateBits*4*GateLanes-1:0] act_n;
  logic [GateBits*GateLanes-1:0] tc_n;

  always_comb begin
    for (int i = 0; i < 4 * GateLanes; i++) begin
      act[64*i+:64] = 64'(signed'(act_n[GateBits*i+:GateBits]));
    end
    for (int m = 0; m < GateLanes; m++) tc[m] = 64'(signed'(tc_n[GateBits*m+:GateBits]));
  end

  for (genvar m = 0; m < GateLanes; m++) begin : g_lane
    for (genvar g = 0; g < 4; g++) begin : g_gate
      localparam int K = 4 * m + g;  // the slot
      always_comb begin
        logic signed [63:0] sx, sh, b;
        b = 64'(signed'(bias_win[8*Bb*K+:8*Bb]));
        sx = 64'(signed'(xres_rd[(qm + K) % Pes][(K/Pes)*ResW+:ResW]));
        sh = 64'(signed'(hres_rd[(qm + K) % Pes][(K/Pes)*ResW+:ResW]));
        // Saturated values travel as the sign extension of their format's width, so synthesis
        // sizes the multipliers that follow by the formats.
        z[64*(4*m+g)+:64] = 64'(signed'(PreBits'(fx_saturate(fx_round_shift(
            (sx <<< (F - Fx)) + (sh <<< (F - Fh)) + (b <<< (F - BiasFrac)), F - PreFrac),
            PreBits))));
      end
      if (g == 2) begin : g_tanh
        activation #(
          .RangeShift (TanhRangeLog2 + PreFrac),
          .EntriesLog2(TanhEntriesLog2),
          .InBits     (PreBits),
          .InFrac     (PreFrac),
          .Pwl        (Pwl),
          .OutBits    (GateBits),
          .OutFrac    (GateFrac),
          .SlopeBits  (SlopeBits),
          .SlopeFrac  (SlopeFrac),
          .ValueFile  (TanhFile),
          .SlopeFile  (TanhSlopeFile)
        ) u_act (
          .in_i (PreBits'(z[64*(4*m+g)+:64])),
          .out_o(act_n[GateBits*(4*m+g)+:GateBits])
        );
      end else begin : g_sigmoid
        activation #(
          .RangeShift (SigRangeLog2 + PreFrac),
          .EntriesLog2(SigEntriesLog2),
          .InBits     (PreBits),
          .InFrac     (PreFrac),
          .Pwl        (Pwl),
          .OutBits    (GateBits),
          .OutFrac    (GateFrac),
          .SlopeBits  (SlopeBits),
          .SlopeFrac  (SlopeFrac),
          .ValueFile  (SigFile),
          .SlopeFile  (SigSlopeFile)
        ) u_act (
          .in_i (PreBits'(z[64*(4*m+g)+:64])),
          .out_o(act_n[GateBits*(4*m+g)+:GateBits])
        );
      end
    end

    always_comb begin
      logic signed [63:0] c_prev;
      c_prev = gt_q == 0 ? 64'sd0
                         : 64'(signed'(cell_rd[(32'(gu_q) + 32'(m)) % CellBanks]));
      c_new[m] = 64'(signed'(CellBits'(fx_saturate(fx_round_shift(
          ((signed'(act[64*(4*m+1)+:64]) * c_prev) <<< (Fc - GateFrac - CellFrac))
          + ((signed'(act[64*(4*m)+:64]) * signed'(act[64*(4*m+2)+:64])) <<< (Fc - 2 * GateFrac)),
          Fc - CellFrac), CellBits))));
      h_new[m] = 64'(signed'(ActBits'(fx_saturate(fx_round_shift(
          signed'(act[64*(4*m+3)+:64]) * tc[m], 2 * GateFrac - ActFrac), ActBits))));
    end

    activation #(
      .RangeShift (TanhRangeLog2 + CellFrac),
      .EntriesLog2(TanhEntriesLog2),
      .InBits     (CellBits),
      .InFrac     (CellFrac),
      .Pwl        (Pwl),
      .OutBits    (GateBits),
      .OutFrac    (GateFrac),
      .SlopeBits  (SlopeBits),
      .SlopeFrac  (SlopeFrac),
      .ValueFile  (TanhFile),
      .SlopeFile  (TanhSlopeFile)
    ) u_tanh_c (
      .in_i (CellBits'(c_new[m])),
      .out_o(tc_n[GateBits*m+:GateBits])
    );
  end
  // ---- The pipeline: stage 0 is written at the end of the admission cycle, stage GateDepth-1
  // is written to h and c at the end of cycle e + GateDepth.
  always_comb begin
    for (int m = 0; m < GateLanes; m++) begin
      adm_u[16*m+:16] = lane_unit[m];
      adm_h[ActBits*m+:ActBits] = ActBits'(h_new[m]);
      adm_c[CellBits*m+:CellBits] = CellBits'(c_new[m]);
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || pass_start_i) begin
      gt_q <= '0;
      gu_q <= '0;
      steps_q <= '0;
      pv_q <= '0;
    end else begin
      pv_q <= (GateDepth*GateLanes)'({pv_q, admit});
      pu_q <= (GateDepth*GateLanes*16)'({pu_q, adm_u});
      ph_q <= (GateDepth*GateLanes*ActBits)'({ph_q, adm_h});
      pc_q <= (GateDepth*GateLanes*CellBits)'({pc_q, adm_c});
      pt_q <= (GateDepth*StepW)'({pt_q, gt_q});
      if (admitted_o != 0) begin
        if (gu_q + 16'(admitted_o) == hidden_i) begin
          gu_q <= '0;
          gt_q <= gt_q + 1'b1;
        end else begin
          gu_q <= gu_q + 16'(admitted_o);
        end
      end
      for (int m = 0; m < GateLanes; m++) begin
        if (pv_q[Last*GateLanes+m]) begin
          if (pu_q[(Last*GateLanes+m)*16+:16] == hidden_i - 16'd1) steps_q <= steps_q + 1'b1;
        end
      end
    end
  end

  assign h_step_o = pt_q[Last*StepW+:StepW];
  assign h_valid_o = pv_q[Last*GateLanes+:GateLanes];
  assign h_unit_o = pu_q[Last*GateLanes*16+:GateLanes*16];
  assign h_val_o = ph_q[Last*GateLanes*ActBits+:GateLanes*ActBits];

  assign steps_done_o = steps_q;
endmodule
