// The DMA (docs/timing.md, "The memory channels"): read requests (the weights at cycle 0, then
// each pass's input rows, one request per cycle in step order from the pass start), the read
// beats (registered, then to the weight loader or the input store: the weights' beats come
// first), write requests (one per completed step) and the write beats (the output store is read
// a cycle ahead of each beat). Both channels serve transfers in request order, so the beat side
// walks the same sequence as the request side. Addresses advance by additions only.
//
// Streamed weights (stream_i; docs/timing.md, "Weights"): nothing is read at cycle 0. A phase's
// weight read is requested at its pass's start (each array's first phase: the W_x array's before
// the W_h array's, both before the pass's inputs) or when the array's previous phase starts
// (after the pass's inputs; of two requests, the earlier first, W_x first in one cycle). The
// walker presents a phase's read as one transfer per region of the descriptor table, one a
// cycle: the regions of a phase are consecutive in the table and in DRAM, each on a bus word,
// so the transfers pipeline back to back on the channel as the contract's one transfer does
// (each keeps the channel at least a cycle, so a transfer is presented no later than the channel
// could start it). The W_x read of pass k starts at the region after pass k - 1's W_h read (at
// region 0 for a sequence's first pass) and runs to the bias; the W_h read follows it and runs
// while the regions are W_h banks of the pass; with projection (proj_i) the W_r read follows it
// and runs while the regions are W_r banks of the pass, and pass k + 1's W_x read starts after
// it. Each region presented goes to a queue the weight
// loader reads, marked with whether it is its phase's last and whether the bank already holds
// the pass (the loader then writes nothing: the bytes are the same).
//
// Batches (batch_i = B): a pass's steps are batch steps v = t B + b, so the input reads and the
// output writes walk (t, b): sequence b's row of step t is sequence 0's plus b times the
// sequence stride (in_seq_i, out_seq_i), and step t's row of sequence 0 follows step t - 1's by
// the row stride, as without batches.
module dma #(
  parameter int  BeatBytes  = 16,
  parameter int  MaxSteps   = 8,
  parameter int  Shared     = 0,
  parameter int  MaxRegions = 33,
  parameter int  PassRegions = 33,  // a pass's regions at most: XPes + 1 + HPes
  parameter int  Stream     = 0,   // the build streams weights (else none of the walker is built)
  parameter int  Proj       = 0,   // the build runs projection (W_r reads)
  parameter int  MaxBatch   = 1,
  localparam int StepW   = $clog2(MaxSteps + 1),
  localparam int RegionW = MaxRegions > 1 ? $clog2(MaxRegions) : 1,
  localparam int QueueW  = RegionW + 3  // a queued region: {W_h, fresh, last, region}
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // The run and the weight region.
  input  logic                    run_start_i,
  input  logic [31:0]             weight_base_i,
  input  logic [31:0]             weight_bytes_i,
  // Streamed weights: the run's mode, the W_x and W_h phase reads requested within a pass
  // (the phase after the array's phase starting this cycle), and the descriptor table's TARGET
  // and BYTES at two entries (the region presented and the one after it).
  input  logic                    stream_i,
  input  logic                    next_x_i,
  input  logic                    next_h_i,
  input  logic                    next_r_i,  // a W_r read, on the W_h array's side
  input  logic                    proj_i,
  output logic [2*RegionW-1:0]    walk_addr_o,
  input  sparrow_reg_pkg::region_target_t [1:0] walk_target_i,
  input  logic [2*32-1:0]         walk_bytes_i,
  output logic                    walk_fault_o,  // a region of no bytes: the run stops
  // The walked regions, in the order their beats come, for the weight loader.
  output logic                    queue_valid_o,
  output logic [QueueW-1:0]       queue_o,
  input  logic                    queue_pop_i,
  // The pass being read (effective this cycle): its first cycle, whether it is a sequence's
  // first pass, its input rows.
  input  logic                    pass_start_i,
  input  logic                    pass_zero_i,
  input  logic                    in_pass_i,
  input  logic [StepW-1:0]        steps_i,
  input  logic [15:0]             batch_i,
  input  logic [31:0]             in_first_i,
  input  logic [31:0]             in_stride_i,
  input  logic [31:0]             in_seq_i,
  input  logic [31:0]             in_bytes_i,
  input  logic                    in_back_i,
  // The pass being written (the registered current pass) and its completed steps.
  input  logic [31:0]             out_first_i,
  input  logic                    out_back_i,
  input  logic [31:0]             out_row_i,    // stride between time steps
  input  logic [31:0]             out_seq_i,    // stride between a batch's sequences
  input  logic [31:0]             out_bytes_i,  // bytes of one step's outputs
  input  logic [StepW-1:0]        steps_done_i,
  // Memory.
  output logic                    rd_req_valid_o,
  input  logic                    rd_req_ready_i,
  output logic [31:0]             rd_req_addr_o,
  output logic [31:0]             rd_req_bytes_o,
  input  logic                    rd_beat_valid_i,
  input  logic [8*BeatBytes-1:0]  rd_beat_data_i,
  output logic                    wr_req_valid_o,
  input  logic                    wr_req_ready_i,
  output logic [31:0]             wr_req_addr_o,
  output logic [31:0]             wr_req_bytes_o,
  input  logic                    wr_beat_ready_i,
  input  logic                    wr_done_i,
  // Read beats, registered and routed.
  output logic                    w_beat_o,
  output logic                    in_beat_o,
  output logic [8*BeatBytes-1:0]  beat_data_o,
  output logic                    loaded_o,  // the weights are in the banks
  // The write beat to present next cycle: pass parity, step, beat.
  output logic                    out_par_o,
  output logic [StepW-1:0]        out_step_o,
  output logic [15:0]             out_beat_o,
  // All of the current pass's writes requested by the end of this cycle; no write outstanding
  // after this cycle.
  output logic                    wr_all_requested_o,
  output logic                    wr_idle_o,
  output logic                    rd_fire_o,
  output logic                    wr_fire_o,
  // CTRL.SOFT_RESET: request nothing more; quiet once every read burst that went out and every
  // write transfer requested is complete (a read transfer being cut stops after its burst being
  // presented, so a long weight load does not run to its end).
  input  logic                    abort_i,
  input  logic [8:0]              rd_issued_i,   // a read burst's beats as its address goes out
  input  logic                    rd_cutting_i,  // a read transfer's later bursts still to go
  output logic                    quiet_o
);
  `include "sparrow_assert.svh"

  // B: a constant 1 in a build without batches, so that none of their logic is built.
  logic [15:0] batch;
  assign batch = MaxBatch > 1 ? batch_i : 16'd1;

  localparam int Shift = BeatBytes > 1 ? $clog2(BeatBytes) : 0;

  // ceil(bytes / BeatBytes), without overflow for any 32-bit count.
  function automatic logic [31:0] beats_of(input logic [31:0] bytes);
    beats_of = (bytes >> Shift) + 32'((bytes & 32'(BeatBytes - 1)) != '0);
  endfunction

  // ---- Streamed weights: the phase reads pending, and the walker.
  // The pass-start reads are requested at START for the run's first pass (the controller starts
  // it a cycle later, which nothing before its reads complete can tell), else at the pass start.
  logic first_q, ps_q, px_q, ph_q, hfirst_q, act_q, act_h_q, fresh_q, phr_q, act_r_q;
  logic [RegionW-1:0] reg_q, xr_q, hr_q, nr_q, rr_q;
  logic [31:0] off_q, xo_q, ho_q, no_q, ro_q;
  logic [2:0] held_q;
  logic [15:0] held_pass_q[3];
  logic stream, ps_go, ps, px, ph, phr, hfirst, w_has, w_h, w_r, w_last, w_fresh, w_sel, w_fire;
  logic in_sel, proj;
  logic [1:0] w_kind;  // the group presented: 0 W_x, 1 W_h, 2 W_r
  assign proj = Proj != 0 && proj_i;
  assign stream = Stream != 0 && stream_i;
  logic [RegionW-1:0] w_reg, x_first;
  logic [31:0] w_off, x_first_off, w_bytes, w_round, w_xfer;
  sparrow_reg_pkg::region_target_t w_tgt, w_next;

  always_comb begin
    ps_go = stream && (run_start_i || (pass_start_i && !first_q));
    x_first = run_start_i || pass_zero_i ? '0 : nr_q;
    x_first_off = run_start_i || pass_zero_i ? '0 : no_q;
    ps = stream && (ps_go || ps_q);
    px = stream && (ps_go || px_q || next_x_i);
    ph = stream && ((ps_go && Shared == 0) || ph_q || next_h_i || (Proj != 0 && next_r_i));
    // The W_h side's pending read is of W_r.
    phr = Proj != 0 && (next_h_i || next_r_i ? next_r_i : !ps_go && phr_q);
    // Of two reads pending, the one requested first (W_x first when requested together).
    if (ps_go) hfirst = 1'b0;
    else if (px_q && ph_q) hfirst = hfirst_q;
    else hfirst = ph_q;
    // The region to present: the group being walked, else the first of the next group.
    w_has = stream && (act_q || px || ph);
    w_h = act_q ? act_h_q : ph && (!px || hfirst);
    w_r = Proj != 0 && (act_q ? act_r_q : w_h && phr);
    w_kind = w_r ? 2'd2 : {1'b0, w_h};
    if (act_q) begin
      w_reg = reg_q;
      w_off = off_q;
    end else if (w_r) begin
      w_reg = rr_q;
      w_off = ro_q;
    end else if (w_h) begin
      w_reg = hr_q;
      w_off = ho_q;
    end else begin
      w_reg = ps_go ? x_first : xr_q;
      w_off = ps_go ? x_first_off : xo_q;
    end
    walk_addr_o = {w_reg + RegionW'(1), w_reg};
  end

  // What the table says of the region and the one after it.
  always_comb begin
    w_tgt = walk_target_i[0];
    w_next = walk_target_i[1];
    w_bytes = walk_bytes_i[31:0];
    w_round = beats_of(w_bytes) << Shift;
    // A W_x read ends with the bias, a W_h (W_r) read where the pass's W_h (W_r) banks end;
    // all at the end of the weight area.
    w_last = w_tgt.kind == sparrow_reg_pkg::RegionBias
             || (w_h && (w_next.kind != (w_r ? sparrow_reg_pkg::RegionWr
                                              : sparrow_reg_pkg::RegionWh)
                         || w_next.pass != w_tgt.pass))
             || 33'(w_off) + 33'(w_bytes) >= 33'(weight_bytes_i);
    w_xfer = w_last ? w_bytes : w_round;
    w_fresh = act_q ? fresh_q : !(held_q[w_kind] && held_pass_q[w_kind] == 16'(w_tgt.pass));
  end
  assign walk_fault_o = w_has && w_bytes == '0;
  // Of the entries the walker reads their kind and pass, and the presented one's bytes.
  logic unused_walk;
  assign unused_walk = ^{walk_bytes_i[63:32], w_tgt.pe, w_tgt.unused, w_next.pe, w_next.unused};

  // ---- Read requests.
  logic wpend_q;
  logic [StepW-1:0] rd_next_q;
  logic wpend, in_pend;
  logic [StepW-1:0] rd_next;
  logic [31:0] in_addr;

  // A request presented and not taken stays presented through an abort (AXI4: a valid address
  // stays until its handshake).
  logic rd_wait_q, wr_wait_q;
  always_comb begin
    wpend = (run_start_i && !stream) || wpend_q;
    rd_next = pass_start_i ? '0 : rd_next_q;
    in_pend = in_pass_i && rd_next < steps_i;
    // Phase reads requested at the pass start go before its inputs, the others after them.
    w_sel = !wpend && w_has && w_bytes != '0 && (ps || !in_pend);
    in_sel = !wpend && !w_sel && !ps && in_pend;
    rd_req_valid_o = (!abort_i || rd_wait_q) && (wpend || w_sel || in_sel);
    rd_req_addr_o = wpend ? weight_base_i : (w_sel ? weight_base_i + w_off : in_addr);
    rd_req_bytes_o = wpend ? weight_bytes_i : (w_sel ? w_xfer : in_bytes_i);
  end
  assign rd_fire_o = rd_req_valid_o && rd_req_ready_i;
  assign w_fire = rd_fire_o && w_sel;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wpend_q <= 1'b0;
      rd_next_q <= '0;
      rd_wait_q <= 1'b0;
      wr_wait_q <= 1'b0;
    end else begin
      rd_wait_q <= rd_req_valid_o && !rd_req_ready_i;
      wr_wait_q <= wr_req_valid_o && !wr_req_ready_i;
      wpend_q <= wpend && !rd_fire_o;
      rd_next_q <= rd_next + StepW'(rd_fire_o && in_sel);
    end
  end

  row_walk #(
    .MaxBatch(MaxBatch)
  ) u_in_walk (
    .clk_i,
    .restart_i(pass_start_i),
    .first_i  (in_first_i),
    .next_i   (rd_fire_o && in_sel),
    .batch_i  (batch),
    .back_i   (in_back_i),
    .stride_i (in_stride_i),
    .seq_i    (in_seq_i),
    .addr_o   (in_addr)
  );

  // The walker's state: a group starts with its first region's transfer and ends with its last;
  // a W_x read's end is where the pass's W_h read begins, a W_h read's where the next pass's
  // W_x read does. (The units reset between runs, so a run starts from the reset state.)
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      first_q <= 1'b1;
      act_q <= 1'b0;
      held_q <= '0;
    end else begin
      if (pass_start_i) first_q <= 1'b0;
      if (w_fire) begin
        act_q <= !w_last;
        if (w_last) begin
          held_q[w_kind] <= 1'b1;
          held_pass_q[w_kind] <= 16'(w_tgt.pass);
        end
      end
    end
    if (!rst_ni) begin
      ps_q <= 1'b0;
      px_q <= 1'b0;
      ph_q <= 1'b0;
      phr_q <= 1'b0;
      hfirst_q <= 1'b0;
    end else begin
      logic start_x, start_h;
      start_x = w_fire && !act_q && !w_h;
      start_h = w_fire && !act_q && w_h;
      px_q <= px && !start_x;
      ph_q <= ph && !start_h;
      phr_q <= phr;
      hfirst_q <= hfirst;
      // The pass-start reads are presented once no group of them is pending or being walked.
      ps_q <= ps && ((px && !start_x) || (ph && !start_h) || (w_fire ? !w_last : act_q));
    end
    if (ps_go) begin
      xr_q <= x_first;
      xo_q <= x_first_off;
    end
    if (w_fire) begin
      reg_q <= w_reg + RegionW'(1);
      off_q <= w_off + w_round;
      act_h_q <= w_h;
      act_r_q <= w_r;
      fresh_q <= w_fresh;
      if (w_last && !w_h) begin
        hr_q <= w_reg + RegionW'(1);
        ho_q <= w_off + w_round;
      end
      // With projection the pass's W_r read follows its W_h read, and the next pass's W_x
      // read its W_r read.
      if (w_last && w_h && !w_r && proj) begin
        rr_q <= w_reg + RegionW'(1);
        ro_q <= w_off + w_round;
      end
      if (w_last && w_h && (w_r || !proj)) begin
        nr_q <= w_reg + RegionW'(1);
        no_q <= w_off + w_round;
      end
    end
  end

  // The queue of walked regions (in a run's phase reads at most one pass's regions are
  // outstanding: an array's next read is requested once its previous one is in the banks).
  localparam int QDepth = 1 << $clog2(PassRegions + 1);
  localparam int QAddrW = $clog2(QDepth);
  logic [QAddrW:0] q_wr_q, q_rd_q;
  logic [QueueW-1:0] q_mem[QDepth];
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      q_wr_q <= '0;
      q_rd_q <= '0;
    end else begin
      q_wr_q <= q_wr_q + (QAddrW+1)'(w_fire);
      q_rd_q <= q_rd_q + (QAddrW+1)'(stream && queue_pop_i);
    end
    if (w_fire) q_mem[q_wr_q[QAddrW-1:0]] <= {w_h, w_fresh, w_last, w_reg};
  end
  assign queue_valid_o = stream && q_wr_q != q_rd_q;
  assign queue_o = q_mem[q_rd_q[QAddrW-1:0]];

  // Read beats whose bursts went out and have not yet arrived.
  logic [31:0] rd_left_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) rd_left_q <= '0;
    else rd_left_q <= rd_left_q + 32'(rd_issued_i) - 32'(rd_beat_valid_i);
  end

  // ---- Read beats: on chip, the weights' first (ceil(W / B) of them), then the input rows; a
  // weight beat is in the banks two cycles after it arrives (docs/timing.md, the load latency).
  // Streamed, a pass's beats are its first phases' weights, its inputs, then the other phases'
  // weights: a beat is an input's while no beat of the pass-start reads is still to come and
  // an input's is.
  logic [31:0] wleft_q, wleft, wps_q, inl_q;
  logic wlast, wlast_q, wlast_q2, loaded_q, is_input;
  assign wleft = run_start_i ? (stream ? '0 : beats_of(weight_bytes_i)) : wleft_q;
  assign wlast = rd_beat_valid_i && wleft == 32'd1;
  assign is_input = wleft == '0 && (!stream || (wps_q == '0 && inl_q != '0));

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wleft_q <= '0;
      wps_q <= '0;
      inl_q <= '0;
      w_beat_o <= 1'b0;
      in_beat_o <= 1'b0;
      wlast_q <= 1'b0;
      wlast_q2 <= 1'b0;
      loaded_q <= 1'b0;
    end else begin
      wleft_q <= wleft - 32'(rd_beat_valid_i && wleft != '0);
      if (stream) begin
        wps_q <= wps_q + (w_fire && ps ? beats_of(w_xfer) : '0)
                 - 32'(rd_beat_valid_i && !is_input && wps_q != '0);
        inl_q <= inl_q + (rd_fire_o && in_sel ? beats_of(in_bytes_i) : '0)
                 - 32'(rd_beat_valid_i && is_input);
      end
      w_beat_o <= rd_beat_valid_i && !is_input;
      in_beat_o <= rd_beat_valid_i && is_input;
      wlast_q <= wlast;
      wlast_q2 <= wlast_q;
      loaded_q <= run_start_i ? stream : loaded_q || wlast_q2;
    end
    beat_data_o <= rd_beat_data_i;
  end
  assign loaded_o = loaded_q;

  // ---- Write requests: step t's outputs once the step is complete.
  logic [StepW-1:0] wr_next_q;
  logic [31:0] out_addr, outstanding_q, outstanding;
  // The request apart from its handshake (the AXI4 master's ready depends on the request).
  assign wr_req_valid_o = (!abort_i || wr_wait_q) && wr_next_q < steps_done_i;
  assign wr_req_addr_o = out_addr;
  assign wr_req_bytes_o = out_bytes_i;
  always_comb begin
    wr_fire_o = wr_req_valid_o && wr_req_ready_i;
    wr_all_requested_o = wr_next_q + StepW'(wr_fire_o) == steps_i;
    outstanding = outstanding_q + 32'(wr_fire_o) - 32'(wr_done_i);
    wr_idle_o = outstanding == '0;
  end

  // ---- Write beats: the passes' steps in order; a pass's outputs sit at its parity.
  logic wb_par_q;
  logic [StepW-1:0] wb_step_q;
  logic [15:0] wb_beat_q;
  logic wb_last;
  assign wb_last = 32'(wb_beat_q) + 32'd1 == beats_of(out_bytes_i);

  always_comb begin
    out_par_o = wb_par_q;
    out_step_o = wb_step_q;
    out_beat_o = wb_beat_q;
    if (wr_beat_ready_i) begin
      out_beat_o = wb_last ? '0 : wb_beat_q + 16'd1;
      if (wb_last) begin
        out_step_o = wb_step_q + StepW'(1) == steps_i ? '0 : wb_step_q + StepW'(1);
        out_par_o = wb_step_q + StepW'(1) == steps_i ? !wb_par_q : wb_par_q;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || run_start_i) begin
      wr_next_q <= '0;
      outstanding_q <= '0;
      wb_beat_q <= '0;
      wb_step_q <= '0;
      wb_par_q <= 1'b0;
    end else begin
      outstanding_q <= outstanding;
      if (pass_start_i) wr_next_q <= '0;
      else if (wr_fire_o) wr_next_q <= wr_next_q + StepW'(1);
      wb_beat_q <= out_beat_o;
      wb_step_q <= out_step_o;
      wb_par_q <= out_par_o;
    end
  end

  row_walk #(
    .MaxBatch(MaxBatch)
  ) u_out_walk (
    .clk_i,
    .restart_i(wr_next_q == '0),
    .first_i  (out_first_i),
    .next_i   (wr_fire_o),
    .batch_i  (batch),
    .back_i   (out_back_i),
    .stride_i (out_row_i),
    .seq_i    (out_seq_i),
    .addr_o   (out_addr)
  );

  assign quiet_o = rd_left_q == '0 && !rd_cutting_i && outstanding_q == '0;

  `SPARROW_ASSERT(BeatsAfterBursts, rd_beat_valid_i |-> rd_left_q != '0)
  `SPARROW_ASSERT(QueueRoom, w_fire |-> q_wr_q - q_rd_q < (QAddrW+1)'(QDepth))
  `SPARROW_ASSERT(PopQueued, queue_pop_i |-> queue_valid_o)
  `SPARROW_ASSERT(StreamedReadsOnly, stream |-> !wpend)
  `SPARROW_ASSERT(OneReadRequestPerCycle, rd_fire_o |-> rd_req_bytes_o != '0)
  `SPARROW_ASSERT(WritesAfterRequests, wr_done_i |-> outstanding_q != '0)
endmodule
