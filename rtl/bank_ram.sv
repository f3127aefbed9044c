// One byte column of a weight bank: a RAM with one write port and two synchronous read ports,
// written so synthesis infers block RAM.
module bank_ram #(
  parameter int Depth = 64,
  parameter int AddrW = $clog2(Depth)
) (
  input  logic             clk_i,
  input  logic             we_i,
  input  logic [AddrW-1:0] waddr_i,
  input  logic [7:0]       wdata_i,
  input  logic [AddrW-1:0] raddr_a_i,
  output logic [7:0]       rdata_a_o,
  input  logic [AddrW-1:0] raddr_b_i,
  output logic [7:0]       rdata_b_o
);
  logic [7:0] mem[Depth];

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    rdata_a_o <= mem[raddr_a_i];
    rdata_b_o <= mem[raddr_b_i];
  end
endmodule
