// A RAM with one write port and Reads asynchronous read ports, written so synthesis infers
// distributed (LUT) RAM, replicated as the read ports need. A read in the cycle of a write to
// the same word returns the old word, as a register would.
module lut_ram #(
  parameter int Width = 8,
  parameter int Depth = 16,
  parameter int Reads = 1,
  localparam int AddrW = Depth > 1 ? $clog2(Depth) : 1
) (
  input  logic                   clk_i,
  input  logic                   we_i,
  input  logic [AddrW-1:0]       waddr_i,
  input  logic [Width-1:0]       wdata_i,
  input  logic [Reads*AddrW-1:0] raddr_i,
  output logic [Reads*Width-1:0] rdata_o
);
  logic [Width-1:0] mem[Depth];

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
  end

  for (genvar r = 0; r < Reads; r++) begin : g_read
    assign rdata_o[r*Width+:Width] = mem[raddr_i[r*AddrW+:AddrW]];
  end
endmodule
