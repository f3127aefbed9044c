// The DMA (docs/timing.md, "The memory channels"): read requests (the weights at cycle 0, then
// each pass's input rows, one request per cycle in step order from the pass start), the read
// beats (registered, then to the weight loader or the input store: the weights' beats come
// first), write requests (one per completed step) and the write beats (the output store is read
// a cycle ahead of each beat). Both channels serve transfers in request order, so the beat side
// walks the same sequence as the request side. Addresses advance by additions only.
module dma #(
  parameter int  BeatBytes = 16,
  parameter int  MaxT      = 8,
  localparam int StepW = $clog2(MaxT + 1)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // The run and the weight region.
  input  logic                    run_start_i,
  input  logic [31:0]             weight_base_i,
  input  logic [31:0]             weight_bytes_i,
  // The pass being read (effective this cycle): its first cycle, its input rows.
  input  logic                    pass_start_i,
  input  logic                    in_pass_i,
  input  logic [StepW-1:0]        steps_i,
  input  logic [31:0]             in_first_i,
  input  logic [31:0]             in_stride_i,
  input  logic [31:0]             in_bytes_i,
  input  logic                    in_back_i,
  // The pass being written (the registered current pass) and its completed steps.
  input  logic [31:0]             out_first_i,
  input  logic                    out_back_i,
  input  logic [31:0]             out_row_i,    // stride between time steps
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

  localparam int Shift = BeatBytes > 1 ? $clog2(BeatBytes) : 0;

  // ceil(bytes / BeatBytes), without overflow for any 32-bit count.
  function automatic logic [31:0] beats_of(input logic [31:0] bytes);
    beats_of = (bytes >> Shift) + 32'((bytes & 32'(BeatBytes - 1)) != '0);
  endfunction

  // ---- Read requests.
  logic wpend_q;
  logic [StepW-1:0] rd_next_q;
  logic [31:0] in_addr_q;
  logic wpend;
  logic [StepW-1:0] rd_next;
  logic [31:0] in_addr;

  // A request presented and not taken stays presented through an abort (AXI4: a valid address
  // stays until its handshake).
  logic rd_wait_q, wr_wait_q;
  always_comb begin
    wpend = run_start_i || wpend_q;
    rd_next = pass_start_i ? '0 : rd_next_q;
    in_addr = pass_start_i ? in_first_i : in_addr_q;
    rd_req_valid_o = (!abort_i || rd_wait_q) && (wpend || (in_pass_i && rd_next < steps_i));
    rd_req_addr_o = wpend ? weight_base_i : in_addr;
    rd_req_bytes_o = wpend ? weight_bytes_i : in_bytes_i;
  end
  assign rd_fire_o = rd_req_valid_o && rd_req_ready_i;

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
      rd_next_q <= rd_next + StepW'(rd_fire_o && !wpend);
    end
    in_addr_q <= (rd_fire_o && !wpend) ? (in_back_i ? in_addr - in_stride_i : in_addr + in_stride_i)
                                        : in_addr;
  end

  // Read beats whose bursts went out and have not yet arrived.
  logic [31:0] rd_left_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) rd_left_q <= '0;
    else rd_left_q <= rd_left_q + 32'(rd_issued_i) - 32'(rd_beat_valid_i);
  end

  // ---- Read beats: the weights' first (ceil(W / B) of them), then the input rows; a weight
  // beat is in the banks two cycles after it arrives (docs/timing.md, the load latency).
  logic [31:0] wleft_q, wleft;
  logic wlast, wlast_q, wlast_q2, loaded_q;
  assign wleft = run_start_i ? beats_of(weight_bytes_i) : wleft_q;
  assign wlast = rd_beat_valid_i && wleft == 32'd1;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wleft_q <= '0;
      w_beat_o <= 1'b0;
      in_beat_o <= 1'b0;
      wlast_q <= 1'b0;
      wlast_q2 <= 1'b0;
      loaded_q <= 1'b0;
    end else begin
      wleft_q <= wleft - 32'(rd_beat_valid_i && wleft != '0);
      w_beat_o <= rd_beat_valid_i && wleft != '0;
      in_beat_o <= rd_beat_valid_i && wleft == '0;
      wlast_q <= wlast;
      wlast_q2 <= wlast_q;
      loaded_q <= run_start_i ? 1'b0 : loaded_q || wlast_q2;
    end
    beat_data_o <= rd_beat_data_i;
  end
  assign loaded_o = loaded_q;

  // ---- Write requests: step t's outputs once the step is complete.
  logic [StepW-1:0] wr_next_q;
  logic [31:0] out_addr_q, out_addr, outstanding_q, outstanding;
  // The request apart from its handshake (the AXI4 master's ready depends on the request).
  assign wr_req_valid_o = (!abort_i || wr_wait_q) && wr_next_q < steps_done_i;
  assign out_addr = wr_next_q == '0 ? out_first_i : out_addr_q;
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
    if (wr_fire_o) out_addr_q <= out_back_i ? out_addr - out_row_i : out_addr + out_row_i;
  end

  assign quiet_o = rd_left_q == '0 && !rd_cutting_i && outstanding_q == '0;

  `SPARROW_ASSERT(BeatsAfterBursts, rd_beat_valid_i |-> rd_left_q != '0)
  `SPARROW_ASSERT(OneReadRequestPerCycle, rd_fire_o |-> rd_req_bytes_o != '0)
  `SPARROW_ASSERT(WritesAfterRequests, wr_done_i |-> outstanding_q != '0)
endmodule
