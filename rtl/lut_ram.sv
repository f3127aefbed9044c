// A RAM with one write port and Reads asynchronous read ports, written so synthesis infers
// distributed (LUT) RAM: a copy of the words per PortsPerCopy readers, each copy written by the
// one write port, so every copy fits a LUT RAM primitive (a Xilinx RAM32M/RAM64M serves three
// read addresses beside its write address). A read in the cycle of a write to the same word
// returns the old word, as a register would.
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
  localparam int PortsPerCopy = 3;
  localparam int Copies = (Reads + PortsPerCopy - 1) / PortsPerCopy;

  for (genvar c = 0; c < Copies; c++) begin : g_copy
    logic [Width-1:0] mem[Depth];

    always_ff @(posedge clk_i) begin
      if (we_i) mem[waddr_i] <= wdata_i;
    end

    for (genvar p = 0; p < PortsPerCopy; p++) begin : g_read
      if (c * PortsPerCopy + p < Reads) begin : g_port
        localparam int R = c * PortsPerCopy + p;
        assign rdata_o[R*Width+:Width] = mem[raddr_i[R*AddrW+:AddrW]];
      end
    end
  end
endmodule
