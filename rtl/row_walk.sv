// The addresses of a pass's input reads or output writes (docs/timing.md, "Batches"): batch step
// v = t B + b is sequence b's row of step t. From first_i (restart_i) each next_i moves to the
// next sequence's row of the same step (seq_i further) or, after sequence B - 1, to sequence 0's
// row of the next step (stride_i further, or back with back_i: a reverse direction), additions
// only. With MaxBatch 1 there is no sequence counter: the row is the address.
module row_walk #(
  parameter int MaxBatch = 1
) (
  input  logic        clk_i,
  input  logic        restart_i,
  input  logic [31:0] first_i,
  input  logic        next_i,
  input  logic [15:0] batch_i,
  input  logic        back_i,
  input  logic [31:0] stride_i,
  input  logic [31:0] seq_i,
  output logic [31:0] addr_o
);
  logic [31:0] addr_q, row_q, row, step_row;
  logic [15:0] b_q, b;

  assign addr_o = restart_i ? first_i : addr_q;
  assign row = MaxBatch == 1 ? addr_o : restart_i ? first_i : row_q;
  assign b = MaxBatch == 1 || restart_i ? '0 : b_q;
  assign step_row = back_i ? row - stride_i : row + stride_i;

  always_ff @(posedge clk_i) begin
    addr_q <= addr_o;
    row_q <= row;
    b_q <= b;
    if (next_i) begin
      if (MaxBatch == 1 || b == batch_i - 16'd1) begin
        b_q <= '0;
        row_q <= step_row;
        addr_q <= step_row;
      end else begin
        b_q <= b + 16'd1;
        addr_q <= addr_o + seq_i;
      end
    end
  end
endmodule
