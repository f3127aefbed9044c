// A RAM with one write port and one synchronous read port, written so synthesis infers block
// RAM (or LUT RAM when small). With Transparent, a read of the word being written in the same
// cycle returns the new word (a bypass beside the RAM); otherwise the old one.
module ram_sdp #(
  parameter int  Width       = 8,
  parameter int  Depth       = 64,
  parameter bit  Transparent = 1'b0,
  localparam int AddrW       = Depth > 1 ? $clog2(Depth) : 1
) (
  input  logic             clk_i,
  input  logic             we_i,
  input  logic [AddrW-1:0] waddr_i,
  input  logic [Width-1:0] wdata_i,
  input  logic [AddrW-1:0] raddr_i,
  output logic [Width-1:0] rdata_o
);
  logic [Width-1:0] mem[Depth];
  logic [Width-1:0] rdata_q;

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    rdata_q <= mem[raddr_i];
  end

  if (Transparent) begin : g_bypass
    logic [Width-1:0] bypass_q;
    logic bypass_sel_q;
    always_ff @(posedge clk_i) begin
      bypass_sel_q <= we_i && waddr_i == raddr_i;
      bypass_q <= wdata_i;
    end
    assign rdata_o = bypass_sel_q ? bypass_q : rdata_q;
  end else begin : g_plain
    assign rdata_o = rdata_q;
  end
endmodule
