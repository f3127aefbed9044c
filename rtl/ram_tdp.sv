// A RAM with two write ports and one synchronous read port on port A's address, written so
// synthesis infers a true dual-port block RAM: port A writes or reads, port B only writes. The
// weight banks take two words per cycle this way while they load, and are read once loaded.
module ram_tdp #(
  parameter int  Width = 8,
  parameter int  Depth = 64,
  localparam int AddrW = Depth > 1 ? $clog2(Depth) : 1
) (
  input  logic             clk_i,
  input  logic             we_a_i,
  input  logic [AddrW-1:0] addr_a_i,
  input  logic [Width-1:0] wdata_a_i,
  output logic [Width-1:0] rdata_a_o,
  input  logic             we_b_i,
  input  logic [AddrW-1:0] addr_b_i,
  input  logic [Width-1:0] wdata_b_i
);
  logic [Width-1:0] mem[Depth];

  always_ff @(posedge clk_i) begin
    if (we_a_i) mem[addr_a_i] <= wdata_a_i;
    rdata_a_o <= mem[addr_a_i];
  end

  always_ff @(posedge clk_i) begin
    if (we_b_i) mem[addr_b_i] <= wdata_b_i;
  end
endmodule
