// One PE's weight bank of one matrix (docs/format.md, "Bank images"): the bank images of every
// pass, stored as Columns byte columns so that a memory beat (BeatBytes consecutive bytes) writes
// one byte per column and a read returns Columns consecutive bytes from any byte address. The
// PE reads its bit stream through that window one word per cycle. With AsyncRead (the gate
// unit's biases) the columns are LUT RAM, port A returns its window in the cycle of the address
// and port B is absent (its window reads zero).
module weight_bank #(
  parameter int BankBytes = 1024,
  parameter int Columns   = 16,
  parameter int BeatBytes = 16,
  parameter int MaxPasses = 1,
  parameter int AsyncRead = 0,
  localparam int AddrW = $clog2(BankBytes),
  localparam int ColW  = $clog2(Columns),
  localparam int RowW  = AddrW - ColW
) (
  input  logic                      clk_i,
  // The weight transfer's beats: byte i of the beat is byte beat_off_i + i of the weight region.
  input  logic                      beat_valid_i,
  input  logic [31:0]               beat_off_i,
  input  logic [8*BeatBytes-1:0]    beat_data_i,
  // This bank's descriptors, one per pass: region offset, bytes, address in this RAM.
  input  logic [32*MaxPasses-1:0]   desc_off_i,
  input  logic [32*MaxPasses-1:0]   desc_bytes_i,
  input  logic [32*MaxPasses-1:0]   desc_addr_i,
  // Two read ports: Columns bytes from byte address *_addr_i, the cycle after (AsyncRead: port
  // A only, the same cycle).
  input  logic [AddrW-1:0]          rd_a_addr_i,
  output logic [8*Columns-1:0]      rd_a_window_o,
  input  logic [AddrW-1:0]          rd_b_addr_i,
  output logic [8*Columns-1:0]      rd_b_window_o
);
  logic [Columns-1:0] we;
  logic [RowW-1:0] waddr[Columns], raddr_a[Columns], raddr_b[Columns];
  logic [7:0] wdata[Columns], rdata_a[Columns], rdata_b[Columns];
  logic [ColW-1:0] rot_a, rot_b;

  // Column c takes beat byte i = (c - a0) mod Columns, where a0 is the RAM address of beat byte
  // 0 for the pass whose image covers that byte.
  always_comb begin
    logic [31:0] off, a0, i;
    off = '0;
    a0 = '0;
    i = '0;
    for (int c = 0; c < Columns; c++) begin
      we[c] = 1'b0;
      waddr[c] = '0;
      wdata[c] = '0;
    end
    if (beat_valid_i) begin
      for (int c = 0; c < Columns; c++) begin
        for (int k = 0; k < MaxPasses; k++) begin
          off = desc_off_i[32*k+:32];
          a0 = beat_off_i - off + desc_addr_i[32*k+:32];
          i = 32'(ColW'(32'(c) - a0));
          if (i < BeatBytes && beat_off_i + i >= off
              && beat_off_i + i < off + desc_bytes_i[32*k+:32]) begin
            we[c] = 1'b1;
            waddr[c] = RowW'((a0 + i) >> ColW);
            wdata[c] = beat_data_i[8*i+:8];
          end
        end
      end
    end
  end

  always_comb begin
    for (int c = 0; c < Columns; c++) begin
      raddr_a[c] = RowW'((32'(rd_a_addr_i) + 32'(ColW'(32'(c) - 32'(rd_a_addr_i)))) >> ColW);
      raddr_b[c] = RowW'((32'(rd_b_addr_i) + 32'(ColW'(32'(c) - 32'(rd_b_addr_i)))) >> ColW);
    end
  end

  for (genvar c = 0; c < Columns; c++) begin : g_column
    if (AsyncRead != 0) begin : g_lut
      lut_ram #(
        .Width(8),
        .Depth(BankBytes / Columns),
        .Reads(1)
      ) u_ram (
        .clk_i,
        .we_i   (we[c]),
        .waddr_i(waddr[c]),
        .wdata_i(wdata[c]),
        .raddr_i(raddr_a[c]),
        .rdata_o(rdata_a[c])
      );
      assign rdata_b[c] = '0;
    end else begin : g_block
      bank_ram #(.Depth(BankBytes / Columns)) u_ram (
        .clk_i,
        .we_i     (we[c]),
        .waddr_i  (waddr[c]),
        .wdata_i  (wdata[c]),
        .raddr_a_i(raddr_a[c]),
        .rdata_a_o(rdata_a[c]),
        .raddr_b_i(raddr_b[c]),
        .rdata_b_o(rdata_b[c])
      );
    end
  end

  if (AsyncRead != 0) begin : g_rot_now
    logic unused_b;
    assign unused_b = ^{raddr_b[0], rd_b_addr_i};
    assign rot_a = ColW'(rd_a_addr_i);
    assign rot_b = '0;
  end else begin : g_rot_reg
    always_ff @(posedge clk_i) begin
      rot_a <= ColW'(rd_a_addr_i);
      rot_b <= ColW'(rd_b_addr_i);
    end
  end

  // Window byte i is column (address + i) mod Columns.
  always_comb begin
    for (int i = 0; i < Columns; i++) begin
      rd_a_window_o[8*i+:8] = rdata_a[ColW'(rot_a + ColW'(i))];
      rd_b_window_o[8*i+:8] = rdata_b[ColW'(rot_b + ColW'(i))];
    end
  end
endmodule
