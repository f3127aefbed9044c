// The controller (docs/timing.md): starts the passes in order (the first when the weights are
// loaded, a layer's first pass behind the layer fence), sequence after sequence of a session (the
// weights loaded once; a sequence's first pass reads its inputs, so no fence), and on each array
// starts every phase in the first cycle its dependencies allow: X_t when the transposer has moved
// x_t into the X operand rings and step t - S is complete (S = XSlots, the X rings' and W_x
// results' slots: x_block + 1), H_t when step t - 1 is, each after the array's previous phase
// finished issuing. Everything a pass start changes takes effect in that
// same cycle ("effective" values), as in the contract, where a pass's H_0 may start in the cycle
// the previous pass ends. It also keeps the pass's DRAM addresses (from the layer bases and the
// registers the host derived, no multiplications) and the run's counters.
//
// Projection (proj_i, in a build with Proj): an R_t phase follows H_t on the W_h array (on a
// shared array X_{t+1} comes between them), once step t's hidden units are written
// (units_done_i); step t is complete (steps_done_i) when the gate unit has written its r.
//
// Streamed weights (stream_i, in a build with Stream): the first pass starts a cycle after START
// (its weight reads were requested at START, and no phase can start before they arrive; cycle 0
// counts as a stall cycle of each array, as the contract has the pass start at 0). A phase waits
// for its weights (the loader's phase_done_i of its read, registered: two cycles after its last
// beat arrived), and a phase's start requests the weights of its array's next phase (next_x_o,
// next_h_o). With blocked input phases (x_block = XSlots - 1 above 1, separate arrays) only the
// X phase that starts a block (X_t, t mod x_block = 0) reads weights and waits for them.
//
// Batches (batch_i = B above 1, in a build with MaxBatch >= B; docs/timing.md, "Batches"): a pass
// runs V = B T batch steps (steps_i), and every "step" above is a batch step v. H_v waits for
// step v - B and reads its state (zero for v < B) from H slot v - B mod (B + 1) (the state ring
// holds B + 1 steps: H_v reads h_{v-B} while steps v - B + 1 .. v are written); streamed, H_v and
// R_v read weights only when v mod B = 0 and X_v when v mod (B x_block) = 0, the others using the
// banks' weights. The counters of v mod B, v mod (B + 1) and the block go by additions, and a
// batch's sequences advance the session by B (the host's BATCH_IN and BATCH_OUT bytes).
module controller #(
  parameter int  Shared    = 0,
  parameter int  MaxSteps  = 8,   // steps of a pass: MaxT x MaxBatch batch steps
  parameter int  MaxPasses = 1,
  parameter int  SlotW     = 8,   // MAC slots per cycle of both arrays
  parameter int  AdmW      = 3,   // units admitted per cycle
  parameter int  Stream    = 0,   // the build streams weights
  parameter int  Proj      = 0,   // the build runs projection
  parameter int  XSlots    = 2,   // S = x_block + 1
  parameter int  MaxBatch  = 1,
  localparam int StepW = $clog2(MaxSteps + 1),
  localparam int HSlots = MaxBatch + 1,
  localparam int HSlotW = $clog2(HSlots),
  localparam int XSlotW = $clog2(XSlots),
  localparam int XBlock = XSlots - 1,
  localparam int XBlockW = XBlock > 1 ? $clog2(XBlock) : 1,
  localparam int PassW = MaxPasses > 1 ? $clog2(MaxPasses) : 1,
  localparam int CntW  = 48
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // From the CSRs.
  input  logic               start_i,
  input  logic [StepW-1:0]   steps_i,
  input  logic [15:0]        layers_i,
  input  logic               bidir_i,
  input  logic [15:0]        input_size_i,
  input  logic [15:0]        state_i,         // a layer's state size: H, or P with projection
  input  logic               proj_i,          // the run has projection
  input  logic [15:0]        wx_wpr0_i,
  input  logic [15:0]        wx_wprn_i,
  input  logic [15:0]        wx_seg0_i,
  input  logic [15:0]        wx_segn_i,
  input  logic [31:0]        input_base_i,
  input  logic [31:0]        output_base_i,
  input  logic [31:0]        in_row0_i,       // the first layer's input row stride
  input  logic [31:0]        in_last0_i,
  input  logic [31:0]        out_row_i,       // the output row stride
  input  logic [31:0]        state_bytes_i,   // bytes of one direction's state in an output row
  input  logic [31:0]        layer_out_i,
  input  logic [31:0]        layer_stride_i,  // SEQUENCES x LAYER_OUT
  input  logic [31:0]        sequences_i,
  input  logic [15:0]        batch_i,         // B
  input  logic [31:0]        batch_in_i,      // a batch's input bytes
  input  logic [31:0]        batch_out_i,     // a batch's output bytes of one layer
  // From the units.
  input  logic               loaded_i,
  input  logic               stream_i,
  input  logic               phase_done_i,  // a phase's weights have all arrived (streamed)
  input  logic               phase_h_i,     // ... the W_h array's (separate arrays)
  input  logic [StepW-1:0]   xt_done_i,     // effective: steps transposed this pass
  input  logic [StepW-1:0]   steps_done_i,  // registered, current pass
  input  logic [StepW-1:0]   units_done_i,  // registered, current pass: hidden units written
  input  logic               wr_all_requested_i,
  input  logic               wr_idle_i,     // no output write outstanding
  input  logic               rd_fire_i,
  input  logic [31:0]        rd_bytes_i,
  input  logic               wr_fire_i,
  input  logic [31:0]        wr_bytes_i,
  input  logic [AdmW-1:0]    admitted_i,
  // The arrays: still issuing (array 0: W_x or the shared array; array 1: W_h), the MAC slots
  // of the words in their multiply stages this cycle (words x lanes, both arrays).
  input  logic               x_busy_i,
  input  logic               h_busy_i,
  input  logic [SlotW-1:0]   slots_i,
  // The pass: its first cycle, the effective pass and its geometry and addresses.
  output logic               pass_start_o,
  output logic               in_pass_o,
  output logic [PassW-1:0]   pass_o,
  output logic [15:0]        in_size_o,
  output logic [15:0]        x_seg_o,
  output logic [31:0]        in_first_o,   // step 0's input row (processing order)
  output logic [31:0]        in_stride_o,
  output logic [31:0]        in_seq_o,     // from one sequence's input rows to the next's
  output logic               in_back_o,    // rows walk backwards (the reverse direction)
  // The registered current pass, for the write channel.
  output logic [31:0]        out_first_o,
  output logic               out_back_o,
  // Phase starts: array 0 (W_x, or the shared array) and array 1 (W_h).
  output logic               x_go_o,
  output logic               h_go_o,
  output logic [StepW-1:0]   x_step_o,
  output logic [XSlotW-1:0]  x_slot_o,      // x_step_o mod S
  output logic [StepW-1:0]   h_step_o,
  output logic [HSlotW-1:0]  h_slot_o,      // the state slot H_v reads: v + 1 mod (B + 1)
  output logic               h_zero_o,      // ... none: v < B
  output logic               r_go_o,        // an R phase starts (W_h array, or shared)
  output logic [StepW-1:0]   r_step_o,
  output logic [HSlotW-1:0]  r_slot_o,      // the H slot of the R phase's step (its results')
  output logic [15:0]        x_wpr_o,
  // X phases of the pass that have finished issuing, this cycle included.
  output logic [StepW-1:0]   x_fin_o,
  // Streamed: the weights of the array's next phase are requested this cycle: a W_x read, a
  // W_h read, a W_r read.
  output logic               next_x_o,
  output logic               next_h_o,
  output logic               next_r_o,
  // Done and the counters.
  output logic               done_o,
  output logic [CntW-1:0]    cycles_o,
  output logic [CntW-1:0]    mac_slots_o,
  output logic [CntW-1:0]    dram_read_o,
  output logic [CntW-1:0]    dram_write_o,
  output logic [CntW-1:0]    lut_o,
  // Per array (0: W_x or the shared array, 1: W_h).
  output logic [2*CntW-1:0]  busy_o,
  output logic [2*CntW-1:0]  stall_o
);
  `include "sparrow_assert.svh"

  // B: a constant 1 in a build without batches, so that none of their logic is built.
  logic [15:0] batch;
  assign batch = MaxBatch > 1 ? batch_i : 16'd1;

  logic busy_q, in_pass_q, x_act_q, layer0_q, r_pend_q;
  logic [15:0] next_pass_q;  // passes started
  logic [StepW-1:0] x_next_q, h_next_q, x_fin_q;
  logic [XSlotW-1:0] x_slot_q;  // x_next mod S
  logic [XBlockW-1:0] x_blk_q;  // (x_next div B) mod x_block: X_{x_next} reads weights at 0
  // x_next mod B, h_next mod B, H_{h_next}'s slot, the last H phase's slot and whether its step
  // was a multiple of B (its R phase reads weights).
  logic [15:0] xb_q, hb_q;
  logic [HSlotW-1:0] hs_q, rs_q;
  logic hf_q;
  logic [31:0] lbase_q, ibase_q;  // the current layer's output and input bases
  // The sequence, its input base and its first layer's output base.
  logic [31:0] seq_q, sin_q, sout_q;
  logic [CntW-1:0] now_q, slots_q, rd_q, wr_q, lut_q;
  logic [2*CntW-1:0] abusy_q, astall_q;

  logic [15:0] passes;
  assign passes = bidir_i ? {layers_i[14:0], 1'b0} : layers_i;

  logic pass_over, start_pass, in_pass, fence_ok, new_layer, first_layer, back, r_pend, proj;
  logic [StepW-1:0] units_eff;
  logic seq_end, more, new_seq;
  logic [15:0] cur, nxt, eff;
  logic [StepW-1:0] x_next, h_next, steps_eff, x_fin;
  logic [XSlotW-1:0] x_slot;
  logic [XBlockW-1:0] x_blk;
  logic [15:0] xb, hb;
  logic [HSlotW-1:0] hs;
  logic x_reads;
  logic [31:0] lbase, ibase, layer_first, sin, sout;

  assign cur = next_pass_q - 16'd1;
  always_comb begin
    // The next pass within its sequence: after a sequence's last pass, the next sequence's first.
    seq_end = next_pass_q == passes;
    more = seq_q + 32'(batch) < sequences_i;
    nxt = seq_end ? '0 : next_pass_q;
    pass_over = in_pass_q && steps_done_i == steps_i && wr_all_requested_i;
    // A layer's first pass: pass 0, any pass of a unidirectional run, an even pass otherwise.
    new_layer = nxt == '0 || !bidir_i || !nxt[0];
    fence_ok = nxt == '0 || !new_layer || wr_idle_i;
    start_pass = busy_q && loaded_i && (!in_pass_q || pass_over) && (!seq_end || more)
                 && fence_ok;
    new_seq = start_pass && seq_end;
    in_pass = start_pass || (in_pass_q && !pass_over);
    eff = start_pass ? nxt : cur;
    x_next = start_pass ? '0 : x_next_q;
    x_slot = start_pass ? '0 : x_slot_q;
    x_blk = start_pass ? '0 : x_blk_q;
    xb = MaxBatch == 1 || start_pass ? '0 : xb_q;
    hb = MaxBatch == 1 || start_pass ? '0 : hb_q;
    hs = start_pass ? HSlotW'(1) : hs_q;
    h_next = start_pass ? '0 : h_next_q;
    steps_eff = start_pass ? '0 : steps_done_i;
    units_eff = start_pass ? '0 : units_done_i;
    r_pend = !start_pass && r_pend_q;
    // Sequence k's inputs follow sequence k - 1's (T rows); its output sequence of layer l is
    // LAYER_OUT after sequence k - 1's, and LAYER_STRIDE after its layer l - 1's. A batch's
    // first sequence follows the previous batch's B sequences.
    sin = new_seq ? sin_q + batch_in_i : sin_q;
    sout = new_seq ? sout_q + batch_out_i : sout_q;
    // The layer bases: a new layer reads the previous layer's outputs.
    ibase = ibase_q;
    lbase = lbase_q;
    if (start_pass && new_layer) begin
      ibase = nxt == '0 ? sin : lbase_q;
      lbase = nxt == '0 ? sout : lbase_q + layer_stride_i;
    end
    first_layer = start_pass && new_layer ? nxt == '0 : layer0_q;
    back = bidir_i && eff[0];

    pass_start_o = start_pass;
    in_pass_o = in_pass;
    pass_o = PassW'(eff);
    in_size_o = first_layer ? input_size_i : 16'(bidir_i ? {state_i[14:0], 1'b0} : state_i);
    x_seg_o = first_layer ? wx_seg0_i : wx_segn_i;
    x_wpr_o = first_layer ? wx_wpr0_i : wx_wprn_i;
    in_stride_o = first_layer ? in_row0_i : out_row_i;
    in_seq_o = first_layer ? in_last0_i + in_row0_i : layer_out_i;
    in_back_o = back;
    layer_first = first_layer ? in_last0_i : layer_out_i - out_row_i;
    in_first_o = ibase + (back ? layer_first : 32'd0);
  end

  // The write channel works on the registered pass: its direction's first output row (apart
  // from the pass logic above, which the write handshake feeds).
  assign out_back_o = bidir_i && cur[0];
  assign out_first_o = lbase_q + (out_back_o ? layer_out_i - out_row_i + state_bytes_i : 32'd0);

  // Streamed: the weights of each array's next phase are in the banks (a shared array's next
  // phase is X or H in turn).
  logic x_wt_q, h_wt_q, stream;
  assign stream = Stream != 0 && stream_i;
  assign proj = Proj != 0 && proj_i;

  always_comb begin
    // X_t: x_t transposed, step t - S complete; H_t: step t - B complete (and R_{t-1} started);
    // R_t (pending once H_t started): step t's units written.
    x_reads = xb == '0 && x_blk == '0;
    x_go_o = in_pass && x_next < steps_i && xt_done_i > x_next
             && 32'(steps_eff) + XSlots - 1 >= 32'(x_next) && !x_busy_i
             && (!stream || x_wt_q || !x_reads);
    h_go_o = in_pass && h_next < steps_i && 32'(steps_eff) + 32'(batch) > 32'(h_next)
             && !r_pend;
    r_go_o = Proj != 0 && in_pass && r_pend && units_eff >= h_next;
    next_r_o = 1'b0;
    if (Shared != 0) begin
      // One array: X_0, H_0, X_1, R_0, H_1, X_2, R_1, ... (without projection no R).
      x_go_o = x_go_o && x_next == h_next;
      h_go_o = h_go_o && h_next < x_next && !x_busy_i && (!stream || x_wt_q || hb != '0);
      r_go_o = r_go_o && (x_next != h_next || x_next == steps_i) && !x_busy_i
               && (!stream || x_wt_q || !hf_q);
      // A phase's start requests the next phase's weights if that phase reads them.
      next_x_o = stream && h_go_o && h_next + StepW'(1) < steps_i && hb == batch - 16'd1;
      next_h_o = stream && ((x_go_o && (!proj || x_next == '0) && xb == '0)
                            || (r_go_o && h_next < steps_i && hb == '0));
      if (Proj != 0)
        next_r_o = stream && proj && ((h_go_o && h_next + StepW'(1) == steps_i && hb == '0)
                                      || (x_go_o && x_next != '0 && hf_q));
    end else begin
      h_go_o = h_go_o && !h_busy_i && (!stream || h_wt_q || hb != '0);
      r_go_o = r_go_o && !h_busy_i && (!stream || h_wt_q || !hf_q);
      next_x_o = stream && x_go_o && x_next + StepW'(1) < steps_i
                 && xb == batch - 16'd1 && 32'(x_blk) == XBlock - 1;
      next_h_o = stream && ((h_go_o && !proj && h_next + StepW'(1) < steps_i
                             && hb == batch - 16'd1)
                            || (r_go_o && h_next < steps_i && hb == '0));
      if (Proj != 0) next_r_o = stream && proj && h_go_o && hb == '0;
    end
    x_step_o = x_next;
    x_slot_o = x_slot;
    h_step_o = h_next;
    h_slot_o = hs;
    h_zero_o = 32'(h_next) < 32'(batch);
    r_step_o = h_next - StepW'(1);
    r_slot_o = rs_q;
    // An X phase has finished issuing in the first cycle its array is idle after it.
    x_fin = start_pass ? '0 : x_fin_q + StepW'(x_act_q && !x_busy_i);
    x_fin_o = x_fin;

    done_o = busy_q && seq_end && !more && (!in_pass_q || pass_over) && wr_idle_i;
  end

  // Per array: a phase issues from its start for its span (docs/timing.md, "Counters and
  // breakdowns"); its stall is the cycles of the pass since the array's previous phase (or the
  // pass start) before it starts: the cycles of a pass the array does not issue while a phase
  // of the pass is still to start on it.
  logic [1:0] a_go, a_iss, a_stall;
  always_comb begin
    a_go[0] = x_go_o || (Shared != 0 && (h_go_o || r_go_o));
    a_go[1] = Shared == 0 && (h_go_o || r_go_o);
    a_iss[0] = a_go[0] || x_busy_i;
    a_iss[1] = a_go[1] || (Shared == 0 && h_busy_i);
    a_stall[0] = in_pass && !a_iss[0]
                 && (x_next < steps_i || (Shared != 0 && (h_next < steps_i || r_pend)));
    a_stall[1] = Shared == 0 && in_pass && !a_iss[1] && (h_next < steps_i || r_pend);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      in_pass_q <= 1'b0;
      x_act_q <= 1'b0;
    end else if (start_i) begin
      busy_q <= 1'b1;
      in_pass_q <= 1'b0;
      x_act_q <= 1'b0;
      r_pend_q <= 1'b0;
      next_pass_q <= '0;
      seq_q <= '0;
      sin_q <= input_base_i;
      sout_q <= output_base_i;
      x_next_q <= '0;
      x_slot_q <= '0;
      x_blk_q <= '0;
      xb_q <= '0;
      hb_q <= '0;
      hs_q <= HSlotW'(1);
      h_next_q <= '0;
      x_fin_q <= '0;
      now_q <= CntW'(1);  // start_i is high in cycle 0
      slots_q <= '0;
      rd_q <= rd_fire_i ? CntW'(rd_bytes_i) : '0;  // the weight read
      wr_q <= '0;
      lut_q <= '0;
      abusy_q <= '0;
      // Streamed, the first pass starts in cycle 0 in the contract: a stall cycle of each array.
      astall_q <= stream ? {CntW'(Shared == 0), CntW'(1)} : '0;
      x_wt_q <= 1'b0;
      h_wt_q <= 1'b0;
    end else if (busy_q) begin
      now_q <= now_q + CntW'(1);
      in_pass_q <= in_pass;
      if (start_pass) next_pass_q <= nxt + 16'd1;
      if (new_seq) seq_q <= seq_q + 32'(batch);
      sin_q <= sin;
      sout_q <= sout;
      x_next_q <= x_go_o ? x_next + StepW'(1) : x_next;
      x_slot_q <= !x_go_o ? x_slot : 32'(x_slot) == XSlots - 1 ? '0 : x_slot + XSlotW'(1);
      xb_q <= !x_go_o ? xb : xb == batch - 16'd1 ? '0 : xb + 16'd1;
      x_blk_q <= !x_go_o || xb != batch - 16'd1 ? x_blk
                 : 32'(x_blk) == XBlock - 1 ? '0 : x_blk + XBlockW'(1);
      h_next_q <= h_go_o ? h_next + StepW'(1) : h_next;
      hb_q <= !h_go_o ? hb : hb == batch - 16'd1 ? '0 : hb + 16'd1;
      hs_q <= !h_go_o ? hs : 32'(hs) == 32'(batch) ? '0 : hs + HSlotW'(1);
      if (h_go_o) begin
        rs_q <= hs;
        hf_q <= hb == '0;
      end
      // H_t's start leaves R_t pending (projection), R_t's start clears it.
      r_pend_q <= h_go_o ? proj : r_pend && !r_go_o;
      x_fin_q <= x_fin;
      // An X phase is in flight from its start until its array is idle.
      x_act_q <= x_go_o || (x_act_q && x_busy_i);
      ibase_q <= ibase;
      lbase_q <= lbase;
      layer0_q <= first_layer;
      slots_q <= slots_q + CntW'(slots_i);
      rd_q <= rd_q + (rd_fire_i ? CntW'(rd_bytes_i) : '0);
      wr_q <= wr_q + (wr_fire_i ? CntW'(wr_bytes_i) : '0);
      lut_q <= lut_q + CntW'(admitted_i) * CntW'(5);
      for (int a = 0; a < 2; a++) begin
        abusy_q[a*CntW+:CntW] <= abusy_q[a*CntW+:CntW] + CntW'(a_iss[a]);
        astall_q[a*CntW+:CntW] <= astall_q[a*CntW+:CntW] + CntW'(a_stall[a]);
      end
      if (done_o) busy_q <= 1'b0;
      // A phase's start uses its weights; its array's next phase waits for its own read.
      if (Shared != 0) begin
        x_wt_q <= (x_wt_q && !x_go_o && !h_go_o && !r_go_o) || phase_done_i;
      end else begin
        x_wt_q <= (x_wt_q && !x_go_o) || (phase_done_i && !phase_h_i);
        h_wt_q <= (h_wt_q && !h_go_o && !r_go_o) || (phase_done_i && phase_h_i);
      end
    end
  end

  assign cycles_o = now_q;
  assign mac_slots_o = slots_q;
  assign dram_read_o = rd_q;
  assign dram_write_o = wr_q;
  assign lut_o = lut_q;
  assign busy_o = abusy_q;
  assign stall_o = astall_q;

  // The pass index needs clog2(MaxPasses) bits.
  logic unused_eff;
  assign unused_eff = ^eff;

  `SPARROW_ASSERT(OnePhasePerArray, x_go_o |-> !x_busy_i)
  `SPARROW_ASSERT(SharedOneAtATime, Shared != 0 |-> !(x_go_o && h_go_o) && !(x_go_o && r_go_o))
  `SPARROW_ASSERT(HOrR, !(h_go_o && r_go_o))
  `SPARROW_ASSERT(OneReadPerPhase, phase_done_i |-> !(Shared != 0 ? x_wt_q : (phase_h_i ? h_wt_q : x_wt_q)))
endmodule
