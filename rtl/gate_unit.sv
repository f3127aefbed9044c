// The gate unit (docs/timing.md, "The gate unit"; docs/arithmetic.md, steps 2 and 3). It keeps
// the MAC arrays' row results (W_x results of XSlots steps, step t's in slot t mod XSlots: two,
// or x_block + 1 with blocked X phases; W_h results of the current step) with a completed-row count per PE, admits hidden units in increasing order, up
// to GateLanes per cycle, as soon as their eight rows are complete, and GateDepth cycles later
// writes h_u (to the vector buffer, with its lane and offset there) and c_u.
//
// Storage: each matrix's row results in the layout of the array that produces them (row_results:
// a LUT RAM per PE of that array, read at the rows of the units being admitted and put in slot
// order, so the W_x and W_h arrays may have PEs of their own number); the biases (a unit's four per entry) and the cell state in RAMs of BiasBanks and
// CellBanks banks by unit, so the units admitted in a cycle read different banks, each read a
// cycle ahead (the unit admitted next is known a cycle ahead). The datapath: z and the four
// activations in the admission cycle, the cell update in the next, tanh(c) and h in the one
// after (as far as GateDepth allows), then registers up to GateDepth.
//
// Projection (Proj, a run with PROJ_SIZE above 0; docs/timing.md, "The gate unit"): h_t goes to
// the vector buffer's U rings (h_to_u_o), and after a step's units the admission goes on with
// the R phase's rows, which the W_h results buffer then holds: rows q, q + 1, ... once complete,
// at most GateLanes a cycle, each r_q = sat(round(s_q)) written a cycle later (at e_q + 1) to
// the state, the step complete (steps_done_o) a cycle after its last row's write.
//
// Batches (batch_i = B, a build with MaxBatch >= B; docs/timing.md, "Batches"): the steps are
// batch steps v, admitted in order as one sequence. The W_h results of B + 1 steps are kept, step
// v's (and its R phase's) in the set of its H slot (v + 1 mod (B + 1), the state slot its H phase
// read), so the arrays' slot tags name the set; the cell state holds B sequences, sequence
// v mod B at rows of its own, zero for v < B; h_v goes to state slot v mod (B + 1).
module gate_unit #(
  parameter int  XPes            = 16,  // PEs of the array producing W_x rows (shared: both)
  parameter int  HPes            = 16,  // PEs of the array producing W_h rows
  parameter int  HLanes          = 8,   // lanes of the W_h array: h_t's segments
  parameter int  GateLanes       = 4,
  parameter int  GateDepth       = 4,
  parameter int  MaxSteps        = 8,
  parameter int  MaxH            = 64,
  parameter int  MaxPasses       = 1,
  parameter int  IdxMax          = 4,
  parameter int  RowW            = 8,
  parameter int  ResXW           = 32,  // W_x row results
  parameter int  ResHW           = 32,  // W_h row results
  parameter int  ResW            = 32,  // the row-result ports (the wider of the two)
  parameter int  Items           = 2,   // bias units per beat at most
  parameter int  Stream          = 0,   // the build streams weights
  parameter int  Proj            = 0,   // the build runs projection
  parameter int  XSlots          = 2,   // W_x result buffers (x_block + 1)
  parameter int  MaxBatch        = 1,
  parameter int  ItemW           = 64,
  parameter int  ActBits         = 8,
  parameter int  ActFrac         = 6,
  parameter int  WxBits          = 8,
  parameter int  WxFrac          = 8,
  parameter int  WhBits          = 8,
  parameter int  WhFrac          = 8,
  parameter int  ScaleFrac       = 0,
  parameter int  BiasBits        = 16,
  parameter int  BiasFrac        = 12,
  parameter int  PreBits         = 16,
  parameter int  PreFrac         = 12,
  parameter int  GateBits        = 16,
  parameter int  GateFrac        = 14,
  parameter int  CellBits        = 16,
  parameter int  CellFrac        = 12,
  parameter int  Pwl             = 0,
  parameter int  SlopeBits       = 16,
  parameter int  SlopeFrac       = 15,
  parameter int  SigRangeLog2    = 3,
  parameter int  SigEntriesLog2  = 8,
  parameter int  TanhRangeLog2   = 2,
  parameter int  TanhEntriesLog2 = 8,
  parameter      SigFile         = "",
  parameter      SigSlopeFile    = "",
  parameter      TanhFile        = "",
  parameter      TanhSlopeFile   = "",
  localparam int StepW = $clog2(MaxSteps + 1),
  localparam int XSlotW = $clog2(XSlots),
  localparam int UnitW = $clog2(MaxH + 1),
  localparam int LaneW = HLanes > 1 ? $clog2(HLanes) : 1,
  localparam int OffW  = IdxMax,
  localparam int AdmW  = $clog2(GateLanes + 1),
  localparam int HSlots = MaxBatch + 1,
  localparam int HSlotW = $clog2(HSlots)
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  input  logic                             run_start_i,
  // Bias units from the loader (with Stream, a region of pass 0 begins at the first unit: a
  // session's sequence whose streamed weights bring pass 0's again).
  input  sparrow_reg_pkg::region_target_t      target_i,
  input  logic                             region_start_i,
  input  logic [Items-1:0]                 item_valid_i,
  input  logic [Items*ItemW-1:0]           item_data_i,
  // A pass starts (its state cleared at the end of this cycle), and whether it is a sequence's
  // first (pass 0); the run's hidden size and the W_h segment length (lane j's segment of h_t
  // holds units j S .. j S + S - 1).
  input  logic                             pass_start_i,
  input  logic                             pass_zero_i,
  input  logic [15:0]                      hidden_i,
  input  logic [15:0]                      h_seg_i,
  input  logic [15:0]                      batch_i,
  // With projection: its size (0: none), the state's segment length (r_q is lane q / S,
  // offset q mod S; h_seg_i is then the U rings'), and the R phase starts.
  input  logic [15:0]                      proj_i,
  input  logic [15:0]                      r_seg_i,
  input  logic                             r_start_i,
  input  logic [StepW-1:0]                 r_step_i,
  input  logic [HSlotW-1:0]                r_slot_i,
  // Phase starts: their result buffers restart.
  input  logic                             x_start_i,
  input  logic [StepW-1:0]                 x_step_i,
  input  logic [XSlotW-1:0]                x_slot_i,  // x_step_i mod XSlots
  input  logic                             h_start_i,
  input  logic [StepW-1:0]                 h_step_i,
  input  logic [HSlotW-1:0]                h_slot_i,
  // Row results of the W_x array's PEs and of the W_h array's (a shared array's on both: its
  // W_x rows have res_mat 0, its W_h rows 1).
  input  logic [XPes-1:0]                  x_res_valid_i,
  input  logic [XPes-1:0]                  x_res_mat_i,
  input  logic [XPes*XSlotW-1:0]           x_res_par_i,
  input  logic [XPes*RowW-1:0]             x_res_row_i,
  input  logic [XPes*ResW-1:0]             x_res_val_i,
  input  logic [HPes-1:0]                  h_res_valid_i,
  input  logic [HPes-1:0]                  h_res_mat_i,
  input  logic [HPes*HSlotW-1:0]           h_res_par_i,
  input  logic [HPes*RowW-1:0]             h_res_row_i,
  input  logic [HPes*ResW-1:0]             h_res_val_i,
  // h_u writes (or r_q's); to the U rings.
  output logic [GateLanes-1:0]             h_valid_o,
  output logic                             h_to_u_o,
  output logic [StepW-1:0]                 h_step_o,
  output logic [HSlotW-1:0]                h_slot_o,  // the step's state slot
  output logic [GateLanes*UnitW-1:0]       h_unit_o,
  output logic [GateLanes*LaneW-1:0]       h_lane_o,
  output logic [GateLanes*OffW-1:0]        h_off_o,
  output logic [GateLanes*ActBits-1:0]     h_val_o,
  // Steps of this pass whose state is complete (registered): hidden units all written, and
  // with projection the r rows; steps whose hidden units are; units admitted this cycle.
  output logic [StepW-1:0]                 steps_done_o,
  output logic [StepW-1:0]                 units_done_o,
  output logic [AdmW-1:0]                  admitted_o
);
  `include "sparrow_assert.svh"

  localparam int G = GateLanes;
  // W_h result sets: one without batches (the slot tags are then ignored).
  localparam int HSets = MaxBatch > 1 ? HSlots : 1;
  localparam int HSetW = HSets > 1 ? $clog2(HSets) : 1;

  localparam int Slots = 4 * G;
  localparam int Bb = (BiasBits + 7) / 8;

  // B: a constant 1 in a build without batches, so that none of their logic is built.
  logic [15:0] batch;
  assign batch = MaxBatch > 1 ? batch_i : 16'd1;

  // ---- Fractional alignment of the contract (docs/arithmetic.md).
  localparam int Fx = ActFrac + (WxBits == 1 ? ScaleFrac : WxFrac);
  localparam int Fh = ActFrac + (WhBits == 1 ? ScaleFrac : WhFrac);
  localparam int Fxh = Fx > Fh ? Fx : Fh;
  localparam int F = Fxh > BiasFrac ? Fxh : BiasFrac;
  localparam int Fc = GateFrac + CellFrac > 2 * GateFrac ? GateFrac + CellFrac : 2 * GateFrac;
  localparam int ZxW = ResXW + F - Fx, ZhW = ResHW + F - Fh, ZbW = BiasBits + F - BiasFrac;
  localparam int ZW = (ZxW > ZhW ? (ZxW > ZbW ? ZxW : ZbW) : (ZhW > ZbW ? ZhW : ZbW)) + 2;
  localparam int FcW = GateBits + CellBits + Fc - GateFrac - CellFrac;
  localparam int IgW = 2 * GateBits + Fc - 2 * GateFrac;
  localparam int CW = (FcW > IgW ? FcW : IgW) + 2;
  localparam int HW = 2 * GateBits + 1;
  // The three rounding points (docs/arithmetic.md; the validator keeps each shift >= 0).
  localparam int ZShift = F - PreFrac, ZHalf = ZShift > 0 ? ZShift - 1 : 0;
  localparam int CShift = Fc - CellFrac, CHalf = CShift > 0 ? CShift - 1 : 0;
  localparam int HShift = 2 * GateFrac - ActFrac, HHalf = HShift > 0 ? HShift - 1 : 0;
  localparam int RShift = Fh - ActFrac, RHalf = RShift > 0 ? RShift - 1 : 0;

  // Each is the contract's step: aligned terms summed, rounded half up by a shift, saturated.
  function automatic logic signed [ZW-1:0] z_of(input logic signed [ResXW-1:0] sx,
                                                input logic signed [ResHW-1:0] sh,
                                                input logic signed [BiasBits-1:0] b);
    logic signed [ZW-1:0] v, hi, lo;
    v = (ZW'(sx) <<< (F - Fx)) + (ZW'(sh) <<< (F - Fh)) + (ZW'(b) <<< (F - BiasFrac));
    if (ZShift > 0) v = (v + (ZW'(1) <<< ZHalf)) >>> ZShift;
    hi = (ZW'(1) <<< (PreBits - 1)) - ZW'(1);
    lo = -(ZW'(1) <<< (PreBits - 1));
    z_of = v > hi ? hi : (v < lo ? lo : v);
  endfunction

  function automatic logic signed [CellBits-1:0] cell_of(input logic signed [GateBits-1:0] i,
                                                         input logic signed [GateBits-1:0] f,
                                                         input logic signed [GateBits-1:0] g,
                                                         input logic signed [CellBits-1:0] c);
    logic signed [GateBits+CellBits-1:0] fc;
    logic signed [2*GateBits-1:0] ig;
    logic signed [CW-1:0] v, hi, lo;
    fc = (GateBits+CellBits)'(f) * (GateBits+CellBits)'(c);
    ig = (2*GateBits)'(i) * (2*GateBits)'(g);
    v = (CW'(fc) <<< (Fc - GateFrac - CellFrac)) + (CW'(ig) <<< (Fc - 2 * GateFrac));
    if (CShift > 0) v = (v + (CW'(1) <<< CHalf)) >>> CShift;
    hi = (CW'(1) <<< (CellBits - 1)) - CW'(1);
    lo = -(CW'(1) <<< (CellBits - 1));
    cell_of = CellBits'(v > hi ? hi : (v < lo ? lo : v));
  endfunction

  function automatic logic signed [ActBits-1:0] h_of(input logic signed [GateBits-1:0] o,
                                                     input logic signed [GateBits-1:0] t);
    logic signed [HW-1:0] v, hi, lo;
    v = HW'((2*GateBits)'(o) * (2*GateBits)'(t));
    if (HShift > 0) v = (v + (HW'(1) <<< HHalf)) >>> HShift;
    hi = (HW'(1) <<< (ActBits - 1)) - HW'(1);
    lo = -(HW'(1) <<< (ActBits - 1));
    h_of = ActBits'(v > hi ? hi : (v < lo ? lo : v));
  endfunction

  // r = sat(round_shift(s, Fh - ActFrac)) of a W_r row (docs/arithmetic.md, step 4).
  function automatic logic signed [ActBits-1:0] r_of(input logic signed [ResHW-1:0] sr);
    logic signed [ResHW:0] v, hi, lo;
    v = (ResHW+1)'(sr);
    if (RShift > 0) v = (v + ((ResHW+1)'(1) <<< RHalf)) >>> RShift;
    hi = ((ResHW+1)'(1) <<< (ActBits - 1)) - (ResHW+1)'(1);
    lo = -((ResHW+1)'(1) <<< (ActBits - 1));
    r_of = ActBits'(v > hi ? hi : (v < lo ? lo : v));
  endfunction

  // ---- The step being admitted and its next unit; their next values (read addresses). With
  // projection, pr_q: the rows of step pt_q are being admitted (gt_q is the next step), gq_q the
  // next row.
  logic [StepW-1:0] gt_q, pt_q;
  logic [XSlotW-1:0] gslot_q, gslot_d;  // gt_q mod XSlots
  // Batches: gt_q's W_h result set (gt + 1 mod (B + 1)), its state slot (gt mod (B + 1)), its
  // sequence (gt mod B) and whether it is the sequence's first step; pt_q's set and state slot.
  logic [HSlotW-1:0] gset_q, gset_d, gst_q, pset_q, pset_d, pst_q;
  logic [15:0] gb_q, gb_d;
  logic gfirst_q;
  logic [UnitW-1:0] gu_q, gu_d, gq_q;
  logic [AdmW-1:0] adm;
  logic proj, pr_q, pr_d;
  assign proj = Proj != 0 && proj_i != '0;

  // ---- Row results and completed-row counts, of each matrix in its array's layout.
  logic wrap;
  logic [Slots-1:0] xready, hready, sready;
  logic [Slots*ResXW-1:0] xslot;
  logic [Slots*ResHW-1:0] hslot;
  logic [1:0] xshift, hshift;
  logic [StepW-1:0] xtag_q[XSlots], htag_q[HSets];
  logic xval_q[XSlots], hval_q[HSets], hr_q[HSets];  // hr_q: a W_h set holds an R phase's rows
  logic [HSetW-1:0] hset, hset_d, hstart;
  logic [HPes*HSetW-1:0] hres_set;
  logic [XPes-1:0] xwe;
  logic [HPes-1:0] hwe;
  logic [XPes*ResXW-1:0] xwdata;
  logic [HPes*ResHW-1:0] hwdata;

  // The admission ends a step's units, or its rows.
  assign wrap = pr_q ? 32'(gq_q) + 32'(adm) == 32'(proj_i)
                     : 32'(gu_q) + 32'(adm) == 32'(hidden_i);
  assign sready = xready & hready;
  always_comb begin
    for (int p = 0; p < XPes; p++) begin
      xwe[p] = x_res_valid_i[p] && !x_res_mat_i[p];
      xwdata[p*ResXW+:ResXW] = ResXW'(x_res_val_i[p*ResW+:ResW]);
    end
    for (int p = 0; p < HPes; p++) begin
      hwe[p] = h_res_valid_i[p] && h_res_mat_i[p];
      hwdata[p*ResHW+:ResHW] = ResHW'(h_res_val_i[p*ResW+:ResW]);
    end
  end

  row_results #(
    .Pes  (XPes),
    .Sets (XSlots),
    .Slots(Slots),
    .MaxH (MaxH),
    .RowW (RowW),
    .Width(ResXW),
    .AdmW (AdmW)
  ) u_xrows (
    .clk_i,
    .rst_ni,
    .pass_start_i,
    .start_i    (x_start_i),
    .start_set_i(x_slot_i),
    .res_valid_i(xwe),
    .res_set_i  (x_res_par_i),
    .res_row_i  (x_res_row_i),
    .res_val_i  (xwdata),
    .set_i      (gslot_q),
    .set_next_i (gslot_d),
    .adm_i      (pr_q ? '0 : adm),
    .single_i   (1'b0),
    .wrap_i     (wrap),
    .ready_o    (xready),
    .val_o      (xslot),
    .shift_o    (xshift)
  );

  // The W_h set read (the step's, or its rows'), started and written.
  always_comb begin
    hset = HSets > 1 ? HSetW'(pr_q ? pset_q : gset_q) : '0;
    hset_d = HSets > 1 ? HSetW'(pr_d ? pset_d : gset_d) : '0;
    hstart = HSets > 1 ? HSetW'(Proj != 0 && r_start_i ? r_slot_i : h_slot_i) : '0;
    for (int p = 0; p < HPes; p++)
      hres_set[p*HSetW+:HSetW] = HSets > 1 ? HSetW'(h_res_par_i[p*HSlotW+:HSlotW]) : '0;
  end

  row_results #(
    .Pes  (HPes),
    .Sets (HSets),
    .Slots(Slots),
    .MaxH (MaxH),
    .RowW (RowW),
    .Width(ResHW),
    .AdmW (AdmW)
  ) u_hrows (
    .clk_i,
    .rst_ni,
    .pass_start_i,
    .start_i    (h_start_i || (Proj != 0 && r_start_i)),
    .start_set_i(hstart),
    .res_valid_i(hwe),
    .res_set_i  (hres_set),
    .res_row_i  (h_res_row_i),
    .res_val_i  (hwdata),
    .set_i      (hset),
    .set_next_i (hset_d),
    .adm_i      (adm),
    .single_i   (pr_q),
    .wrap_i     (wrap),
    .ready_o    (hready),
    .val_o      (hslot),
    .shift_o    (hshift)
  );

  // A projection's rows gq .. gq + G - 1: slots hshift .. hshift + G - 1 (4 G slots cover them).
  logic [G-1:0] rready;
  logic [G*ResHW-1:0] rslot;
  always_comb begin
    for (int m = 0; m < G; m++) begin
      rready[m] = hready[32'(hshift)+m];
      rslot[m*ResHW+:ResHW] = hslot[(32'(hshift)+m)*ResHW+:ResHW];
    end
  end


  // ---- Admission: units gu, gu + 1, ... whose eight rows are complete, at most GateLanes; or
  // rows gq, gq + 1, ... of the R phase.
  logic step_ok, rows_ok;
  logic [G-1:0] admit, radmit;
  assign step_ok = !pr_q && xval_q[gslot_q] && xtag_q[gslot_q] == gt_q && hval_q[hset]
                   && !hr_q[hset] && htag_q[hset] == gt_q;
  assign rows_ok = Proj != 0 && pr_q && hval_q[hset] && hr_q[hset] && htag_q[hset] == pt_q;

  always_comb begin
    logic run, rrun;
    run = step_ok;
    rrun = rows_ok;
    adm = '0;
    for (int m = 0; m < G; m++) begin
      run = run && 32'(gu_q) + m < 32'(hidden_i) && &sready[4*m+:4];
      rrun = rrun && 32'(gq_q) + m < 32'(proj_i) && rready[m];
      admit[m] = run;
      radmit[m] = rrun;
      if (run || rrun) adm = AdmW'(m + 1);
    end
  end
  assign admitted_o = pr_q ? '0 : adm;

  always_comb begin
    gu_d = gu_q;
    gb_d = gb_q;
    if (adm != '0 && !pr_q) begin
      gu_d = wrap ? '0 : gu_q + UnitW'(adm);
      if (wrap) gb_d = gb_q == batch - 16'd1 ? '0 : gb_q + 16'd1;
    end
    if (pass_start_i) begin
      gu_d = '0;
      gb_d = '0;
    end
    if (MaxBatch == 1) gb_d = '0;
  end

  // Which steps' results the buffers hold: a phase start empties its buffer.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      for (int k = 0; k < XSlots; k++) xval_q[k] <= 1'b0;
      for (int k = 0; k < HSets; k++) hval_q[k] <= 1'b0;
    end else begin
      if (pass_start_i) begin
        for (int k = 0; k < XSlots; k++) xval_q[k] <= 1'b0;
        for (int k = 0; k < HSets; k++) hval_q[k] <= 1'b0;
      end
      if (x_start_i) begin
        xtag_q[x_slot_i] <= x_step_i;
        xval_q[x_slot_i] <= 1'b1;
      end
      if (h_start_i) begin
        htag_q[hstart] <= h_step_i;
        hval_q[hstart] <= 1'b1;
        hr_q[hstart] <= 1'b0;
      end
      if (Proj != 0 && r_start_i) begin
        htag_q[hstart] <= r_step_i;
        hval_q[hstart] <= 1'b1;
        hr_q[hstart] <= 1'b1;
      end
    end
  end

  // ---- Where the admitted units go in the H rings: unit u is lane u / S, offset u mod S. The
  // first unit's (lane, offset) is kept; lane m adds (m / S, m mod S), a chain over m.
  logic [LaneW-1:0] lane0_q;
  logic [15:0] off0_q;
  logic [LaneW-1:0] dlane[G+1];
  logic [15:0] doff[G+1];
  logic [LaneW-1:0] adm_lane[G];
  logic [15:0] adm_off[G];

  // The segment of what is being admitted: h_t's (the U rings' with projection), or r_t's.
  logic [15:0] seg;
  assign seg = Proj != 0 && pr_q ? r_seg_i : h_seg_i;

  always_comb begin
    dlane[0] = '0;
    doff[0] = '0;
    for (int m = 1; m <= G; m++) begin
      if (doff[m-1] + 16'd1 >= seg) begin
        doff[m] = doff[m-1] + 16'd1 - seg;
        dlane[m] = dlane[m-1] + LaneW'(1);
      end else begin
        doff[m] = doff[m-1] + 16'd1;
        dlane[m] = dlane[m-1];
      end
    end
    for (int m = 0; m < G; m++) begin
      if (off0_q + doff[m] >= seg) begin
        adm_off[m] = off0_q + doff[m] - seg;
        adm_lane[m] = lane0_q + dlane[m] + LaneW'(1);
      end else begin
        adm_off[m] = off0_q + doff[m];
        adm_lane[m] = lane0_q + dlane[m];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || pass_start_i) begin
      lane0_q <= '0;
      off0_q <= '0;
    end else if (adm != '0) begin
      if (wrap) begin
        lane0_q <= '0;
        off0_q <= '0;
      end else if (off0_q + doff[adm] >= seg) begin
        off0_q <= off0_q + doff[adm] - seg;
        lane0_q <= lane0_q + dlane[adm] + LaneW'(1);
      end else begin
        off0_q <= off0_q + doff[adm];
        lane0_q <= lane0_q + dlane[adm];
      end
    end
  end

  // ---- Biases: unit entries (four rows' biases) in BiasBanks banks by the unit's index in the
  // run (pass k's units follow pass k - 1's), read a cycle ahead at the units admitted next.
  localparam int BiasBanks = 1 << $clog2(G > Items ? G : Items);
  localparam int BiasBankW = BiasBanks > 1 ? $clog2(BiasBanks) : 1;
  localparam int BiasUnits = (MaxPasses * MaxH + BiasBanks - 1) / BiasBanks;
  localparam int BiasAddrW = BiasUnits > 1 ? $clog2(BiasUnits) : 1;
  localparam int BiasW = 32 * Bb;
  localparam int GlobW = $clog2(MaxPasses * MaxH + G + 1);
  logic [GlobW-1:0] bfill_q, bfill, bbase_q, bnext;
  logic [BiasBankW-1:0] brot_q;
  logic [BiasBanks*BiasW-1:0] bias_rd;
  logic bias_mine;
  logic [$clog2(Items+1)-1:0] bias_n;

  assign bias_mine = target_i.kind == sparrow_reg_pkg::RegionBias;
  assign bnext = bbase_q + GlobW'(gu_d);
  assign bfill = Stream != 0 && bias_mine && region_start_i && target_i.pass == '0 ? '0 : bfill_q;

  always_comb begin
    bias_n = '0;
    for (int k = 0; k < Items; k++) if (item_valid_i[k]) bias_n = $bits(bias_n)'(k + 1);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || run_start_i) begin
      bfill_q <= '0;
      bbase_q <= '0;
    end else begin
      if (bias_mine) bfill_q <= bfill + GlobW'(bias_n);
      // Pass k's biases follow pass k - 1's; every sequence of a session starts at pass 0's.
      if (pass_start_i) bbase_q <= pass_zero_i ? '0 : bbase_q + GlobW'(hidden_i);
    end
    brot_q <= BiasBankW'(bnext);
  end

  for (genvar b = 0; b < BiasBanks; b++) begin : g_bias
    logic we;
    logic [BiasAddrW-1:0] waddr, raddr;
    logic [BiasW-1:0] wdata;
    always_comb begin
      logic [GlobW-1:0] g;
      we = 1'b0;
      waddr = '0;
      wdata = '0;
      for (int k = 0; k < Items; k++) begin
        g = bfill + GlobW'(k);
        if (bias_mine && item_valid_i[k] && BiasBankW'(g) == BiasBankW'(b)) begin
          we = 1'b1;
          waddr = BiasAddrW'(g >> $clog2(BiasBanks));
          wdata = BiasW'(item_data_i[k*ItemW+:ItemW]);
        end
      end
      // The unit this bank holds among bnext .. bnext + BiasBanks - 1.
      g = bnext + GlobW'(BiasBankW'(BiasBankW'(b) - BiasBankW'(bnext)));
      raddr = BiasAddrW'(g >> $clog2(BiasBanks));
    end
    ram_sdp #(
      .Width(BiasW),
      .Depth(BiasUnits)
    ) u_ram (
      .clk_i,
      .we_i   (we),
      .waddr_i(waddr),
      .wdata_i(wdata),
      .raddr_i(raddr),
      .rdata_o(bias_rd[b*BiasW+:BiasW])
    );
  end

  // ---- Cell state: CellBanks banks by unit, read a cycle ahead (through a write in the same
  // cycle), zero at a sequence's first step; in batches sequence b's units at rows b CellRows on.
  localparam int CellBanks = 1 << $clog2(G);
  localparam int CellBankW = CellBanks > 1 ? $clog2(CellBanks) : 1;
  localparam int CellRows = (MaxH + CellBanks - 1) / CellBanks;
  localparam int CellDepth = MaxBatch * CellRows;
  localparam int CellAddrW = CellDepth > 1 ? $clog2(CellDepth) : 1;
  logic [15:0] w_seq;  // the sequence of the step written
  logic [CellBanks*CellBits-1:0] cell_rd;
  logic [CellBankW-1:0] crot_q;
  logic [G-1:0] w_valid;
  logic [G*UnitW-1:0] w_unit;
  logic [G*CellBits-1:0] w_cell;

  always_ff @(posedge clk_i) crot_q <= CellBankW'(gu_d);

  for (genvar b = 0; b < CellBanks; b++) begin : g_cell
    logic we;
    logic [CellAddrW-1:0] waddr, raddr;
    logic [CellBits-1:0] wdata;
    always_comb begin
      we = 1'b0;
      waddr = '0;
      wdata = '0;
      for (int m = 0; m < G; m++) begin
        logic [UnitW-1:0] u;
        u = w_unit[m*UnitW+:UnitW];
        if (w_valid[m] && CellBankW'(u) == CellBankW'(b)) begin
          we = 1'b1;
          waddr = CellAddrW'(32'(w_seq) * CellRows + (32'(u) >> $clog2(CellBanks)));
          wdata = w_cell[m*CellBits+:CellBits];
        end
      end
      raddr = CellAddrW'(32'(gb_d) * CellRows
                         + (32'(UnitW'(gu_d + UnitW'(CellBankW'(CellBankW'(b) - CellBankW'(gu_d)))))
                            >> $clog2(CellBanks)));
    end
    ram_sdp #(
      .Width      (CellBits),
      .Depth      (CellDepth),
      .Transparent(1'b1)
    ) u_ram (
      .clk_i,
      .we_i   (we),
      .waddr_i(waddr),
      .wdata_i(wdata),
      .raddr_i(raddr),
      .rdata_o(cell_rd[b*CellBits+:CellBits])
    );
  end

  // ---- The datapath. Stage 1 (admission cycle): z and the activations; stage 2: the cell
  // update; stage 3: tanh(c) and h. A register follows stage 1 if GateDepth >= 2 and stage 2 if
  // GateDepth >= 3; the rest of the GateDepth registers follow stage 3 (the write stage).
  localparam int MetaW = UnitW + LaneW + OffW;
  // Block-RAM activation ROMs where the depth has room: the four of stage 1 (their read is the
  // register after stage 1) from GateDepth 3, tanh(c) (read across the register after stage 2)
  // from GateDepth 4.
  localparam bit Sync1 = GateDepth >= 3;
  localparam bit Sync2 = GateDepth >= 4;
  logic [G-1:0] v1, v2, v3;
  logic [G*MetaW-1:0] meta1, meta2, meta3;
  logic [G*GateBits-1:0] o2, o3;
  logic [G*4*GateBits-1:0] act1, act2;
  logic [G*CellBits-1:0] cp1, cp2, c2, c3;
  logic [G*ActBits-1:0] h3;
  // The step of the units in each stage: {step, state slot, sequence}.
  localparam int TagW = StepW + HSlotW + 16;
  logic [TagW-1:0] t1, t2, t3;
  assign t1 = {gt_q, gst_q, gb_q};

  assign v1 = admit;

  for (genvar m = 0; m < G; m++) begin : g_lane
    logic [BiasW-1:0] bunit;
    logic signed [GateBits-1:0] tc;

    assign bunit = bias_rd[32'(BiasBankW'(brot_q + BiasBankW'(m)))*BiasW+:BiasW];
    assign meta1[m*MetaW+:MetaW] = {gu_q + UnitW'(m), adm_lane[m], OffW'(adm_off[m])};
    assign cp1[m*CellBits+:CellBits] =
        gfirst_q ? '0 : cell_rd[32'(CellBankW'(crot_q + CellBankW'(m)))*CellBits+:CellBits];

    for (genvar g = 0; g < 4; g++) begin : g_gate
      localparam int S = 4 * m + g;
      logic signed [PreBits-1:0] z;
      assign z = PreBits'(z_of(ResXW'(xslot[S*ResXW+:ResXW]), ResHW'(hslot[S*ResHW+:ResHW]),
                               BiasBits'(bunit[8*Bb*g+:BiasBits])));
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
          .SlopeFile  (TanhSlopeFile),
          .Sync       (Sync1)
        ) u_act (
          .clk_i,
          .in_i (z),
          .out_o(act1[(4*m+g)*GateBits+:GateBits])
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
          .SlopeFile  (SigSlopeFile),
          .Sync       (Sync1)
        ) u_act (
          .clk_i,
          .in_i (z),
          .out_o(act1[(4*m+g)*GateBits+:GateBits])
        );
      end
    end

    // Stage 2: c = f c_prev + i g (gates i, f, g, o at 0, 1, 2, 3).
    assign c2[m*CellBits+:CellBits] = cell_of(act2[(4*m)*GateBits+:GateBits],
                                              act2[(4*m+1)*GateBits+:GateBits],
                                              act2[(4*m+2)*GateBits+:GateBits],
                                              cp2[m*CellBits+:CellBits]);
    assign o2[m*GateBits+:GateBits] = act2[(4*m+3)*GateBits+:GateBits];

    // Stage 3: h = o tanh(c).
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
      .SlopeFile  (TanhSlopeFile),
      .Sync       (Sync2)
    ) u_tanh_c (
      .clk_i,
      .in_i (Sync2 ? c2[m*CellBits+:CellBits] : c3[m*CellBits+:CellBits]),
      .out_o(tc)
    );
    assign h3[m*ActBits+:ActBits] = h_of(o3[m*GateBits+:GateBits], tc);
  end

  if (GateDepth >= 2) begin : g_reg1
    always_ff @(posedge clk_i) begin
      if (!rst_ni || pass_start_i) v2 <= '0;
      else v2 <= v1;
      meta2 <= meta1;
      cp2 <= cp1;
      t2 <= t1;
    end
  end else begin : g_comb1
    assign v2 = v1;
    assign meta2 = meta1;
    assign cp2 = cp1;
    assign t2 = t1;
  end
  // Synchronous activation ROMs are stage 1's register themselves.
  if (GateDepth >= 2 && !Sync1) begin : g_act_reg
    always_ff @(posedge clk_i) act2 <= act1;
  end else begin : g_act_wire
    assign act2 = act1;
  end

  if (GateDepth >= 3) begin : g_reg2
    always_ff @(posedge clk_i) begin
      if (!rst_ni || pass_start_i) v3 <= '0;
      else v3 <= v2;
      meta3 <= meta2;
      o3 <= o2;
      c3 <= c2;
      t3 <= t2;
    end
  end else begin : g_comb2
    assign v3 = v2;
    assign meta3 = meta2;
    assign o3 = o2;
    assign c3 = c2;
    assign t3 = t2;
  end

  // ---- The registers after stage 3, up to GateDepth in all: the write stage.
  localparam int Tail = GateDepth - (GateDepth >= 3 ? 2 : GateDepth - 1);
  localparam int PackW = MetaW + ActBits + CellBits;
  logic [G-1:0] tv_q[Tail];
  logic [G*PackW-1:0] tail_q[Tail];
  logic [TagW-1:0] tstep_q[Tail];

  always_ff @(posedge clk_i) begin
    if (!rst_ni || pass_start_i) begin
      for (int s = 0; s < Tail; s++) tv_q[s] <= '0;
    end else begin
      tv_q[0] <= v3;
      for (int s = 1; s < Tail; s++) tv_q[s] <= tv_q[s-1];
    end
  end

  always_ff @(posedge clk_i) begin
    for (int m = 0; m < G; m++) begin
      tail_q[0][m*PackW+:PackW] <= {meta3[m*MetaW+:MetaW], h3[m*ActBits+:ActBits],
                                    c3[m*CellBits+:CellBits]};
    end
    tstep_q[0] <= t3;
    for (int s = 1; s < Tail; s++) begin
      tail_q[s] <= tail_q[s-1];
      tstep_q[s] <= tstep_q[s-1];
    end
  end

  // ---- The projection's write stage: the rows admitted last cycle, r_q to the state.
  logic [G-1:0] pv_q;
  logic [G*MetaW-1:0] pmeta_q;
  logic [G*ActBits-1:0] pval_q;
  logic plast_q;

  if (Proj != 0) begin : g_proj
    always_ff @(posedge clk_i) begin
      if (!rst_ni || pass_start_i) begin
        pv_q <= '0;
        plast_q <= 1'b0;
      end else begin
        pv_q <= radmit;
        plast_q <= pr_q && adm != '0 && wrap;
      end
      for (int m = 0; m < G; m++) begin
        pmeta_q[m*MetaW+:MetaW] <= {gq_q + UnitW'(m), adm_lane[m], OffW'(adm_off[m])};
        pval_q[m*ActBits+:ActBits] <= r_of(ResHW'(rslot[m*ResHW+:ResHW]));
      end
    end
  end else begin : g_no_proj
    assign pv_q = '0;
    assign pmeta_q = '0;
    assign pval_q = '0;
    assign plast_q = 1'b0;
    logic unused_proj;
    assign unused_proj = ^{proj_i, r_seg_i, r_start_i, r_step_i, radmit, pt_q, rslot};
  end

  // The writes: the units' (the cell state too), else the rows' (they never meet: a step's rows
  // are admitted after its units are written, the next step's units after its rows are).
  logic [G-1:0] r_valid;
  assign r_valid = pv_q;
  always_comb begin
    w_valid = tv_q[Tail-1];
    for (int m = 0; m < G; m++) begin
      logic [PackW-1:0] v;
      v = tail_q[Tail-1][m*PackW+:PackW];
      w_unit[m*UnitW+:UnitW] = v[PackW-1-:UnitW];
      h_lane_o[m*LaneW+:LaneW] = v[PackW-1-UnitW-:LaneW];
      h_off_o[m*OffW+:OffW] = v[PackW-1-UnitW-LaneW-:OffW];
      h_val_o[m*ActBits+:ActBits] = v[CellBits+:ActBits];
      w_cell[m*CellBits+:CellBits] = v[CellBits-1:0];
      h_unit_o[m*UnitW+:UnitW] = w_unit[m*UnitW+:UnitW];
      if (Proj != 0 && r_valid != '0) begin
        {h_unit_o[m*UnitW+:UnitW], h_lane_o[m*LaneW+:LaneW], h_off_o[m*OffW+:OffW]} =
            pmeta_q[m*MetaW+:MetaW];
        h_val_o[m*ActBits+:ActBits] = pval_q[m*ActBits+:ActBits];
      end
    end
  end

  assign h_valid_o = w_valid | r_valid;
  assign h_to_u_o = proj && r_valid == '0;
  assign h_step_o = Proj != 0 && r_valid != '0 ? pt_q : tstep_q[Tail-1][TagW-1-:StepW];
  assign h_slot_o = Proj != 0 && r_valid != '0 ? pst_q : tstep_q[Tail-1][16+:HSlotW];
  assign w_seq = tstep_q[Tail-1][15:0];

  // ---- Admission state and completed steps.
  logic [StepW-1:0] steps_q, units_q;
  logic unit_last;

  always_comb begin
    unit_last = 1'b0;
    for (int m = 0; m < G; m++)
      if (w_valid[m] && 32'(w_unit[m*UnitW+:UnitW]) == 32'(hidden_i) - 1) unit_last = 1'b1;
  end

  // The step slot, result sets and phase of the next cycle (the row results are read a cycle
  // ahead).
  always_comb begin
    gslot_d = gslot_q;
    gset_d = gset_q;
    pset_d = pset_q;
    pr_d = pr_q;
    if (!rst_ni || pass_start_i) begin
      gslot_d = '0;
      gset_d = HSlotW'(1);
      pr_d = 1'b0;
    end else begin
      if (adm != '0 && !pr_q && wrap) begin
        gslot_d = 32'(gslot_q) == XSlots - 1 ? '0 : gslot_q + XSlotW'(1);
        gset_d = 32'(gset_q) == 32'(batch) ? '0 : gset_q + HSlotW'(1);
        // With projection the step's rows follow.
        pr_d = proj;
        pset_d = gset_q;
      end
      if (adm != '0 && pr_q && wrap) pr_d = 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    gslot_q <= gslot_d;
    gset_q <= gset_d;
    pset_q <= pset_d;
    pr_q <= pr_d;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || pass_start_i) begin
      gt_q <= '0;
      gu_q <= '0;
      steps_q <= '0;
      units_q <= '0;
      pt_q <= '0;
      gq_q <= '0;
      gst_q <= '0;
      gb_q <= '0;
      gfirst_q <= 1'b1;
    end else begin
      gu_q <= gu_d;
      gb_q <= gb_d;
      if (adm != '0 && !pr_q && wrap) begin
        gt_q <= gt_q + StepW'(1);
        gst_q <= 32'(gst_q) == 32'(batch) ? '0 : gst_q + HSlotW'(1);
        gfirst_q <= 32'(gt_q) + 1 < 32'(batch);
        pt_q <= gt_q;
        pst_q <= gst_q;
      end
      if (adm != '0 && pr_q) gq_q <= wrap ? '0 : gq_q + UnitW'(adm);
      if (unit_last) units_q <= units_q + StepW'(1);
      if (proj ? plast_q : unit_last) steps_q <= steps_q + StepW'(1);
    end
  end

  assign steps_done_o = steps_q;
  assign units_done_o = units_q;

  // Only the kind of a load target matters here; units start on a multiple of four rows.
  logic unused;
  assign unused = ^{target_i, xshift};

  `SPARROW_ASSERT(AdmitsInOrder, adm != '0 |-> step_ok || rows_ok)
  `SPARROW_ASSERT(OneWriteKind, !(w_valid != '0 && r_valid != '0))
endmodule
