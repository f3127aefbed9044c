// The gate unit (docs/timing.md, "The gate unit"; docs/arithmetic.md, steps 2 and 3). It keeps
// the row results of the MAC arrays (W_x results double-buffered by step parity, W_h results of
// the current step) with a completed-row count per PE, admits hidden units in increasing order,
// up to GateLanes per cycle, as soon as their eight rows are complete, and GateDepth cycles
// later writes h_u to the vector buffer and c_u to the cell-state memory. The biases of every
// pass arrive with the weights.
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
  localparam int UnitW = MaxH > 1 ? $clog2(MaxH) : 1;

  // ---- Biases.
  logic [7:0] bias_q[MaxPasses * Rows * Bb];

  always_ff @(posedge clk_i) begin
    if (beat_valid_i) begin
      for (int k = 0; k < MaxPasses; k++) begin
        for (int b = 0; b < BeatBytes; b++) begin
          logic [31:0] at, off;
          at = beat_off_i + 32'(b);
          off = desc_off_i[32*k+:32];
          if (at >= off && at < off + desc_bytes_i[32*k+:32]) begin
            bias_q[desc_addr_i[32*k+:32] + at - off] <= beat_data_i[8*b+:8];
          end
        end
      end
    end
  end

  // ---- Row results and completed-row counts.
  logic signed [ResW-1:0] xres_q[2 * Rows], hres_q[Rows];
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
          logic [31:0] q;
          r = a * Pes + p;
          q = 32'(res_row_i[r*RowW+:RowW]) * Pes + 32'(p);
          if (res_valid_i[r]) begin
            if (res_mat_i[r]) begin
              hres_q[q] <= res_val_i[r*ResW+:ResW];
              hdone_q[p*(RowW+1)+:RowW+1] <= hdone_q[p*(RowW+1)+:RowW+1] + 1'b1;
            end else begin
              xres_q[32'(res_step_i[r*StepW]) * Rows + q] <= res_val_i[r*ResW+:ResW];
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
  logic [StepW-1:0] gt_q;  // the step being admitted
  logic [15:0] gu_q;       // its next unit
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
  logic [MaxH*CellBits-1:0] cell_q;
  // Lane m, gate g at [64 * (4m + g)].
  logic [64*4*GateLanes-1:0] z, act;
  logic signed [63:0] c_new[GateLanes], tc[GateLanes], h_new[GateLanes];

  for (genvar m = 0; m < GateLanes; m++) begin : g_lane
    for (genvar g = 0; g < 4; g++) begin : g_gate
      always_comb begin
        logic [31:0] q, bi;
        logic signed [63:0] sx, sh, b;
        logic [8*Bb-1:0] braw;
        q = 4 * 32'(lane_unit[m]) + g;
        bi = (32'(pass_q) * 4 * 32'(hidden_i) + q) * Bb;
        for (int i = 0; i < Bb; i++) braw[8*i+:8] = bias_q[bi+32'(i)];
        b = 64'(signed'(braw));
        sx = 64'(xres_q[32'(gt_q[0]) * Rows + q]);
        sh = 64'(hres_q[q]);
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
          .InFrac     (PreFrac),
          .Pwl        (Pwl),
          .OutBits    (GateBits),
          .OutFrac    (GateFrac),
          .SlopeBits  (SlopeBits),
          .SlopeFrac  (SlopeFrac),
          .ValueFile  (TanhFile),
          .SlopeFile  (TanhSlopeFile)
        ) u_act (
          .in_i (z[64*(4*m+g)+:64]),
          .out_o(act[64*(4*m+g)+:64])
        );
      end else begin : g_sigmoid
        activation #(
          .RangeShift (SigRangeLog2 + PreFrac),
          .EntriesLog2(SigEntriesLog2),
          .InFrac     (PreFrac),
          .Pwl        (Pwl),
          .OutBits    (GateBits),
          .OutFrac    (GateFrac),
          .SlopeBits  (SlopeBits),
          .SlopeFrac  (SlopeFrac),
          .ValueFile  (SigFile),
          .SlopeFile  (SigSlopeFile)
        ) u_act (
          .in_i (z[64*(4*m+g)+:64]),
          .out_o(act[64*(4*m+g)+:64])
        );
      end
    end

    always_comb begin
      logic signed [63:0] c_prev;
      c_prev = 64'(signed'(cell_q[32'(UnitW'(lane_unit[m]))*CellBits+:CellBits]));
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
      .InFrac     (CellFrac),
      .Pwl        (Pwl),
      .OutBits    (GateBits),
      .OutFrac    (GateFrac),
      .SlopeBits  (SlopeBits),
      .SlopeFrac  (SlopeFrac),
      .ValueFile  (TanhFile),
      .SlopeFile  (TanhSlopeFile)
    ) u_tanh_c (
      .in_i (c_new[m]),
      .out_o(tc[m])
    );
  end

  // ---- The pipeline: stage 0 is written at the end of the admission cycle, stage GateDepth-1
  // is written to h and c at the end of cycle e + GateDepth.
  // Stage s, lane m at [(s * GateLanes + m) * width].
  logic [GateDepth*GateLanes-1:0] pv_q;
  logic [GateDepth*GateLanes*16-1:0] pu_q;
  logic [GateDepth*StepW-1:0] pt_q;
  logic [GateDepth*GateLanes*ActBits-1:0] ph_q;
  logic [GateDepth*GateLanes*CellBits-1:0] pc_q;
  logic [GateLanes*16-1:0] adm_u;
  logic [GateLanes*ActBits-1:0] adm_h;
  logic [GateLanes*CellBits-1:0] adm_c;
  localparam int Last = GateDepth - 1;

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
      cell_q <= '0;
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
          cell_q[32'(UnitW'(pu_q[(Last*GateLanes+m)*16+:16]))*CellBits+:CellBits]
              <= pc_q[(Last*GateLanes+m)*CellBits+:CellBits];
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
