// The controller (docs/timing.md): starts the passes in order (the first pass when the weights
// are on chip, a layer's first pass behind the layer fence), and on each array starts every
// phase in the first cycle its dependencies allow: X_t when x_t has arrived and step t - 2 is
// complete, H_t when step t - 1 is, each after the array's previous phase finished issuing.
// Everything a pass start changes takes effect in that same cycle ("effective" values), as in
// the contract, where a pass's H_0 may start in the cycle the previous pass ends.
module controller #(
  parameter int Lanes     = 8,
  parameter int Shared    = 0,
  parameter int MaxPasses = 1,
  parameter int StepW     = 8,
  parameter int ActBits   = 8,
  localparam int PassW = (MaxPasses > 1) ? $clog2(MaxPasses) : 1,
  localparam int Ab = (ActBits + 7) / 8
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // From the CSRs.
  input  logic               start_i,
  input  logic [StepW:0]     steps_i,
  input  logic [15:0]        layers_i,
  input  logic               bidir_i,
  input  logic [15:0]        input_size_i,
  input  logic [15:0]        hidden_i,
  input  logic [15:0]        wx_wpr0_i,
  input  logic [15:0]        wx_wprn_i,
  input  logic [5:0]         wx_idx0_i,
  input  logic [5:0]         wx_idxn_i,
  input  logic [15:0]        wx_seg0_i,
  input  logic [15:0]        wx_segn_i,
  input  logic [31:0]        input_base_i,
  input  logic [31:0]        output_base_i,
  // From the units.
  input  logic               loaded_i,
  input  logic [StepW:0]     arrived_i,     // effective
  input  logic [StepW:0]     steps_done_i,  // registered, current pass
  input  logic               wr_all_requested_i,
  input  logic [31:0]        wr_outstanding_i,
  input  logic               rd_fire_i,
  input  logic [31:0]        rd_bytes_i,
  input  logic               wr_fire_i,
  input  logic [31:0]        wr_bytes_i,
  input  logic [7:0]         admitted_i,
  // The arrays: still issuing a phase (array 0: W_x or the shared array; array 1: W_h), and
  // the words in their multiply stages this cycle.
  input  logic               x_busy_i,
  input  logic               h_busy_i,
  input  logic [15:0]        words_i,
  // The pass: its start, the effective pass, its geometry.
  output logic               pass_start_o,
  output logic               in_pass_o,
  output logic [PassW-1:0]   pass_o,
  output logic               dir_o,
  output logic [15:0]        in_size_o,
  output logic [31:0]        in_base_o,
  output logic [31:0]        in_row_o,
  // The registered current pass, for the write channel.
  output logic               out_dir_o,
  output logic [31:0]        out_base_o,
  output logic [31:0]        out_row_o,
  output logic [31:0]        out_bytes_o,
  // Phase starts: array 0 (W_x, or the shared array) and array 1 (W_h).
  output logic               x_go_o,
  output logic               h_go_o,
  output logic [StepW-1:0]   x_step_o,
  output logic [StepW-1:0]   h_step_o,
  output logic [15:0]        x_wpr_o,
  output logic [5:0]         x_idx_o,
  output logic [15:0]        x_seg_o,
  // Done and the counters.
  output logic               done_o,
  output logic [63:0]        cycles_o,
  output logic [63:0]        mac_slots_o,
  output logic [63:0]        dram_read_o,
  output logic [63:0]        dram_write_o,
  output logic [63:0]        lut_o
);
  logic busy_q, in_pass_q;
  logic [15:0] next_pass_q;  // passes started
  logic [StepW:0] x_next_q, h_next_q;
  logic [63:0] now_q, slots_q, rd_q, wr_q, lut_q;

  logic [15:0] passes, dirs;
  assign dirs = bidir_i ? 16'd2 : 16'd1;
  assign passes = layers_i * dirs;

  function automatic logic [15:0] layer_of(input logic [15:0] k, input logic bidir);
    layer_of = bidir ? k >> 1 : k;
  endfunction

  logic pass_over, start_pass, in_pass, fence_ok;
  logic [15:0] cur, nxt, eff, eff_layer, cur_layer;
  logic [StepW:0] x_next, h_next, steps_eff;
  logic [31:0] layer_out;

  always_comb begin
    cur = next_pass_q - 16'd1;
    nxt = next_pass_q;
    pass_over = in_pass_q && steps_done_i == steps_i && wr_all_requested_i;
    fence_ok = layer_of(nxt, bidir_i) == 0 || (bidir_i && nxt[0]) || wr_outstanding_i == 0;
    start_pass = busy_q && loaded_i && (!in_pass_q || pass_over) && nxt < passes && fence_ok;
    in_pass = start_pass || (in_pass_q && !pass_over);
    eff = start_pass ? nxt : cur;
    eff_layer = layer_of(eff, bidir_i);
    cur_layer = layer_of(cur, bidir_i);
    x_next = start_pass ? '0 : x_next_q;
    h_next = start_pass ? '0 : h_next_q;
    steps_eff = start_pass ? '0 : steps_done_i;
    layer_out = 32'(steps_i) * 32'(dirs) * 32'(hidden_i) * Ab;

    pass_start_o = start_pass;
    in_pass_o = in_pass;
    pass_o = PassW'(eff);
    dir_o = bidir_i && eff[0];
    in_size_o = eff_layer == 0 ? input_size_i : 16'(32'(hidden_i) * 32'(dirs));
    in_row_o = 32'(in_size_o) * Ab;
    in_base_o = eff_layer == 0 ? input_base_i
                               : output_base_i + (32'(eff_layer) - 32'd1) * layer_out;
    out_dir_o = bidir_i && cur[0];
    out_row_o = 32'(dirs) * 32'(hidden_i) * Ab;
    out_bytes_o = 32'(hidden_i) * Ab;
    out_base_o = output_base_i + 32'(cur_layer) * layer_out + (out_dir_o ? out_bytes_o : 32'd0);
    x_wpr_o = eff_layer == 0 ? wx_wpr0_i : wx_wprn_i;
    x_idx_o = eff_layer == 0 ? wx_idx0_i : wx_idxn_i;
    x_seg_o = eff_layer == 0 ? wx_seg0_i : wx_segn_i;
  end

  always_comb begin
    // X_t: x_t arrived, step t - 2 complete; H_t: step t - 1 complete.
    x_go_o = in_pass && x_next < steps_i && arrived_i > x_next && steps_eff + 1'b1 >= x_next
             && !x_busy_i;
    h_go_o = in_pass && h_next < steps_i && steps_eff >= h_next;
    if (Shared != 0) begin
      // One array: X_0, H_0, X_1, H_1, ...
      x_go_o = x_go_o && x_next == h_next;
      h_go_o = h_go_o && h_next < x_next && !x_busy_i;
    end else begin
      h_go_o = h_go_o && !h_busy_i;
    end
    x_step_o = StepW'(x_next);
    h_step_o = StepW'(h_next);

    done_o = busy_q && nxt == passes && (!in_pass_q || pass_over) && wr_outstanding_i == 0;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      in_pass_q <= 1'b0;
    end else if (start_i) begin
      busy_q <= 1'b1;
      in_pass_q <= 1'b0;
      next_pass_q <= '0;
      x_next_q <= '0;
      h_next_q <= '0;
      now_q <= 64'd1;  // start_i is high in cycle 0
      slots_q <= '0;
      rd_q <= rd_fire_i ? 64'(rd_bytes_i) : 64'd0;  // the weight read
      wr_q <= '0;
      lut_q <= '0;
    end else if (busy_q) begin
      now_q <= now_q + 1;
      in_pass_q <= in_pass;
      if (start_pass) next_pass_q <= nxt + 16'd1;
      x_next_q <= x_go_o ? x_next + 1'b1 : x_next;
      h_next_q <= h_go_o ? h_next + 1'b1 : h_next;
      slots_q <= slots_q + 64'(words_i) * Lanes;
      rd_q <= rd_q + (rd_fire_i ? 64'(rd_bytes_i) : 64'd0);
      wr_q <= wr_q + (wr_fire_i ? 64'(wr_bytes_i) : 64'd0);
      lut_q <= lut_q + 64'(admitted_i) * 5;
      if (done_o) busy_q <= 1'b0;
    end
  end

  assign cycles_o = now_q;
  assign mac_slots_o = slots_q;
  assign dram_read_o = rd_q;
  assign dram_write_o = wr_q;
  assign lut_o = lut_q;

endmodule
