// Rotates N elements of Width bits: out[k] = in[(k + amount) mod N], amount < N, for any N: a
// stage per bit of the amount, stage s rotating by 2^s mod N (log2 N levels of 2:1 multiplexers).
module rotator #(
  parameter int  Width = 8,
  parameter int  N     = 4,
  localparam int AmtW  = N > 1 ? $clog2(N) : 1
) (
  input  logic [N*Width-1:0] data_i,
  input  logic [AmtW-1:0]    amount_i,
  output logic [N*Width-1:0] data_o
);
  // Each stage a signal of its own for Verilator (split_var): no false combinational loop.
  logic [N*Width-1:0] stage[AmtW+1]  /*verilator split_var*/;

  assign stage[0] = data_i;
  for (genvar s = 0; s < AmtW; s++) begin : g_stage
    for (genvar k = 0; k < N; k++) begin : g_elem
      assign stage[s+1][k*Width+:Width] =
          amount_i[s] ? stage[s][((k + (1 << s)) % N)*Width+:Width] : stage[s][k*Width+:Width];
    end
  end
  assign data_o = stage[AmtW];
endmodule
