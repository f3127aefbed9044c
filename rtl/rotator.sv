// A barrel rotator over N elements of Width bits, N a power of two. With Up, element j of the
// result is element (j - shift_i) mod N of the input; without, element (j + shift_i) mod N. One
// stage per shift bit: log2(N) levels of 2:1 multiplexers, against the N-input multiplexer per
// element that indexing by a variable builds.
module rotator #(
  parameter int Width = 8,
  parameter int N     = 16,
  parameter int Up    = 1,
  localparam int ShiftW = $clog2(N)
) (
  input  logic [Width*N-1:0] data_i,
  input  logic [ShiftW-1:0]  shift_i,
  output logic [Width*N-1:0] data_o
);
  always_comb begin
    logic [2*Width*N-1:0] twice;
    data_o = data_i;
    for (int s = 0; s < ShiftW; s++) begin
      twice = {data_o, data_o};
      if (shift_i[s]) begin
        if (Up != 0) begin
          twice = twice << (Width * (1 << s));
          data_o = twice[Width*N+:Width*N];
        end else begin
          twice = twice >> (Width * (1 << s));
          data_o = twice[0+:Width*N];
        end
      end
    end
  end
endmodule
