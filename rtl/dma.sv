// The DMA (docs/timing.md, "The memory channels"): read requests (the weights at cycle 0, then
// each pass's input rows, one request per cycle in step order from the pass start) and the
// routing of their beats; write requests (one per completed step) and the write beats. Both
// channels serve transfers in request order, so the beat side walks the same sequence as the
// request side.
module dma #(
  parameter int BeatBytes = 16,
  parameter int StepW     = 8
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // The run and the weight region.
  input  logic                    run_start_i,
  input  logic [31:0]             weight_base_i,
  input  logic [31:0]             weight_bytes_i,
  // The pass being read (effective this cycle), its first cycle, its input rows.
  input  logic                    pass_start_i,
  input  logic                    in_pass_i,
  input  logic [StepW:0]          steps_i,
  input  logic                    in_dir_i,
  input  logic [31:0]             in_base_i,
  input  logic [31:0]             in_row_i,
  // The pass being written (the registered current pass) and its completed steps.
  input  logic                    out_dir_i,
  input  logic [31:0]             out_base_i,  // output row 0 of this pass's direction
  input  logic [31:0]             out_row_i,   // stride between time steps
  input  logic [31:0]             out_bytes_i, // bytes of one step's outputs
  input  logic [StepW:0]          steps_done_i,
  // Memory.
  output logic                    rd_req_valid_o,
  input  logic                    rd_req_ready_i,
  output logic [31:0]             rd_req_addr_o,
  output logic [31:0]             rd_req_bytes_o,
  input  logic                    rd_beat_valid_i,
  output logic                    wr_req_valid_o,
  input  logic                    wr_req_ready_i,
  output logic [31:0]             wr_req_addr_o,
  output logic [31:0]             wr_req_bytes_o,
  input  logic                    wr_beat_ready_i,
  input  logic                    wr_done_i,
  // Read beats, routed.
  output logic                    w_beat_o,     // a weight beat, at weight offset beat_off_o
  output logic                    in_beat_o,    // an input beat of step in_step_o
  output logic [31:0]             beat_off_o,
  output logic [StepW-1:0]        in_step_o,
  output logic                    loaded_o,     // the weights are on chip
  output logic [StepW:0]          arrived_o,    // input rows of the pass complete
  // Write beats: which step's outputs, from which byte.
  output logic                    wr_par_o,
  output logic [StepW-1:0]        wr_step_o,
  output logic [31:0]             wr_off_o,
  // All of the current pass's writes requested by the end of this cycle; writes outstanding
  // after this cycle.
  output logic                    wr_all_requested_o,
  output logic [31:0]             wr_outstanding_o,
  output logic                    rd_fire_o,
  output logic                    wr_fire_o
);
  logic wpend_q, wbeats_q, loaded_q;
  logic [StepW:0] rd_next_q, rb_step_q, arrived_q, wr_next_q;
  logic [31:0] rb_beat_q, wb_beat_q, outstanding_q;
  logic [StepW-1:0] wb_step_q;
  logic wb_par_q;

  // ---- Read requests.
  logic wpend;
  logic [StepW:0] rd_next, t_index;
  always_comb begin
    wpend = run_start_i || wpend_q;
    rd_next = pass_start_i ? '0 : rd_next_q;
    t_index = in_dir_i ? steps_i - 1'b1 - rd_next : rd_next;
    rd_req_valid_o = wpend || (in_pass_i && rd_next < steps_i);
    rd_req_addr_o = wpend ? weight_base_i : in_base_i + 32'(t_index) * in_row_i;
    rd_req_bytes_o = wpend ? weight_bytes_i : in_row_i;
  end
  assign rd_fire_o = rd_req_valid_o && rd_req_ready_i;

  // ---- Read beats: the weights first, then each pass's rows in step order.
  // With no memory latency the weights' first beat comes in cycle 0 itself.
  logic [StepW:0] rb_step, arrived;
  logic beat_last, wbeats;
  always_comb begin
    wbeats = run_start_i || wbeats_q;
    rb_step = pass_start_i ? '0 : rb_step_q;
    arrived = pass_start_i ? '0 : arrived_q;
    w_beat_o = rd_beat_valid_i && wbeats;
    in_beat_o = rd_beat_valid_i && !wbeats;
    beat_off_o = rb_beat_q * BeatBytes;
    in_step_o = StepW'(rb_step);
    beat_last = beat_off_o + BeatBytes >= (wbeats ? weight_bytes_i : in_row_i);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wpend_q <= 1'b0;
      wbeats_q <= 1'b0;
      loaded_q <= 1'b0;
      rd_next_q <= '0;
      rb_step_q <= '0;
      arrived_q <= '0;
      rb_beat_q <= '0;
    end else begin
      if (run_start_i) begin
        wbeats_q <= 1'b1;
        loaded_q <= 1'b0;
      end
      if (rd_fire_o) begin
        if (wpend) wpend_q <= 1'b0;
        else rd_next_q <= rd_next + 1'b1;
      end else begin
        wpend_q <= wpend;
        rd_next_q <= rd_next;
      end
      rb_step_q <= rb_step;
      arrived_q <= arrived;
      if (rd_beat_valid_i) begin
        rb_beat_q <= beat_last ? '0 : rb_beat_q + 1'b1;
        if (beat_last && wbeats) begin
          wbeats_q <= 1'b0;
          loaded_q <= 1'b1;
        end
        if (beat_last && !wbeats) begin
          rb_step_q <= rb_step + 1'b1;
          arrived_q <= arrived + 1'b1;
        end
      end
    end
  end

  assign loaded_o = loaded_q;
  assign arrived_o = arrived;

  // ---- Write requests: step t's outputs once the step is complete.
  logic [StepW:0] wt_index;
  always_comb begin
    wt_index = out_dir_i ? steps_i - 1'b1 - wr_next_q : wr_next_q;
    wr_req_valid_o = wr_next_q < steps_done_i;
    wr_req_addr_o = out_base_i + 32'(wt_index) * out_row_i;
    wr_req_bytes_o = out_bytes_i;
    wr_fire_o = wr_req_valid_o && wr_req_ready_i;
    wr_all_requested_o = wr_next_q + (StepW+1)'(wr_fire_o) == steps_i;
    wr_outstanding_o = outstanding_q + (wr_fire_o ? 32'd1 : 32'd0) - (wr_done_i ? 32'd1 : 32'd0);
  end

  // ---- Write beats: the passes' steps in order; a pass's outputs sit at its parity.
  logic wb_last;
  assign wb_last = wb_beat_q * BeatBytes + BeatBytes >= out_bytes_i;
  assign wr_par_o = wb_par_q;
  assign wr_step_o = wb_step_q;
  assign wr_off_o = wb_beat_q * BeatBytes;

  always_ff @(posedge clk_i) begin
    if (!rst_ni || run_start_i) begin
      wr_next_q <= '0;
      outstanding_q <= '0;
      wb_beat_q <= '0;
      wb_step_q <= '0;
      wb_par_q <= 1'b0;
    end else begin
      outstanding_q <= wr_outstanding_o;
      if (pass_start_i) wr_next_q <= '0;
      else if (wr_fire_o) wr_next_q <= wr_next_q + 1'b1;
      if (wr_beat_ready_i) begin
        wb_beat_q <= wb_last ? '0 : wb_beat_q + 1'b1;
        if (wb_last) begin
          if (32'(wb_step_q) + 1 == 32'(steps_i)) begin
            wb_step_q <= '0;
            wb_par_q <= !wb_par_q;
          end else begin
            wb_step_q <= wb_step_q + 1'b1;
          end
        end
      end
    end
  end

endmodule
