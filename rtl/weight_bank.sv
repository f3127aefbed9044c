// One PE's weight bank of one matrix (docs/format.md, "Bank images"): the bank images of every
// pass, stored as Columns byte columns so that a memory beat (BeatBytes consecutive bytes) writes
// one byte per column and a read returns Columns consecutive bytes from any byte address. The
// PE reads its bit stream through that window one word per cycle. With AsyncRead (the gate
// unit's biases) the columns are LUT RAM, port A returns its window in the cycle of the address
// and port B is absent (its window reads zero). Columns is a power of two, at least BeatBytes.
//
// Both sides move bytes between beat or window order and column order with a rotator, so the
// logic grows as Columns x log2(Columns), not as the Columns x Columns of a multiplexer per
// column.
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
  localparam int BeatW = $clog2(BeatBytes + 1);

  logic [Columns-1:0] we;
  logic [RowW-1:0] waddr[Columns];
  logic [7:0] wdata[Columns];

  // Per pass: the beat in column order. Beat byte i goes to RAM address a0 + i, where a0 is the
  // address of beat byte 0, so to column (a0 + i) mod Columns: the beat, padded to Columns bytes,
  // each byte marked when it lies in the pass's region, rotated up by a0 mod Columns. A column
  // below that shift holds a byte that wrapped into the next row.
  logic [9*Columns-1:0] pass_cols[MaxPasses];
  logic [RowW-1:0] pass_row[MaxPasses];
  logic [ColW-1:0] pass_shift[MaxPasses];

  for (genvar k = 0; k < MaxPasses; k++) begin : g_pass
    logic [31:0] a0;
    logic signed [33:0] lo, hi;
    logic [BeatW-1:0] lo_clip, hi_clip;
    logic [9*Columns-1:0] marked;
    logic unused_a0;

    // The region's bytes are beat bytes lo <= i < hi; exact in 34 bits, then clipped to the beat.
    assign lo = $signed({2'b0, desc_off_i[32*k+:32]}) - $signed({2'b0, beat_off_i});
    assign hi = lo + $signed({2'b0, desc_bytes_i[32*k+:32]});
    assign a0 = beat_off_i - desc_off_i[32*k+:32] + desc_addr_i[32*k+:32];
    assign unused_a0 = ^a0[31:AddrW];

    always_comb begin
      lo_clip = lo < 0 ? '0 : lo > 34'(BeatBytes) ? BeatW'(BeatBytes) : BeatW'(lo);
      hi_clip = hi < 0 ? '0 : hi > 34'(BeatBytes) ? BeatW'(BeatBytes) : BeatW'(hi);
      marked = '0;
      for (int i = 0; i < BeatBytes; i++) begin
        marked[9*i+:9] = {beat_valid_i && BeatW'(i) >= lo_clip && BeatW'(i) < hi_clip,
                          beat_data_i[8*i+:8]};
      end
    end

    rotator #(
      .Width(9),
      .N    (Columns),
      .Up   (1)
    ) u_rotator (
      .data_i (marked),
      .shift_i(a0[ColW-1:0]),
      .data_o (pass_cols[k])
    );

    assign pass_row[k] = a0[AddrW-1:ColW];
    assign pass_shift[k] = a0[ColW-1:0];
  end

  // A later pass wins a column, as the passes' regions and addresses are disjoint.
  always_comb begin
    for (int c = 0; c < Columns; c++) begin
      we[c] = 1'b0;
      waddr[c] = '0;
      wdata[c] = '0;
      for (int k = 0; k < MaxPasses; k++) begin
        if (pass_cols[k][9*c+8]) begin
          we[c] = 1'b1;
          waddr[c] = pass_row[k] + RowW'(ColW'(c) < pass_shift[k]);
          wdata[c] = pass_cols[k][9*c+:8];
        end
      end
    end
  end

  // A read from byte address A takes column c from row A / Columns, or the next row for the
  // columns below A mod Columns; window byte i is column (A + i) mod Columns.
  function automatic logic [RowW-1:0] column_row(logic [AddrW-1:0] addr, logic [ColW-1:0] c);
    column_row = addr[AddrW-1:ColW] + RowW'(c < addr[ColW-1:0]);
  endfunction

  logic [8*Columns-1:0] cols_a;

  if (AsyncRead != 0) begin : g_lut
    for (genvar c = 0; c < Columns; c++) begin : g_column
      lut_ram #(
        .Width(8),
        .Depth(BankBytes / Columns),
        .Reads(1)
      ) u_ram (
        .clk_i,
        .we_i   (we[c]),
        .waddr_i(waddr[c]),
        .wdata_i(wdata[c]),
        .raddr_i(column_row(rd_a_addr_i, ColW'(c))),
        .rdata_o(cols_a[8*c+:8])
      );
    end

    rotator #(
      .Width(8),
      .N    (Columns),
      .Up   (0)
    ) u_rotator_a (
      .data_i (cols_a),
      .shift_i(rd_a_addr_i[ColW-1:0]),
      .data_o (rd_a_window_o)
    );

    logic unused_b;
    assign unused_b = ^rd_b_addr_i;
    assign rd_b_window_o = '0;
  end else begin : g_block
    logic [8*Columns-1:0] cols_b;
    logic [ColW-1:0] rot_a_q, rot_b_q;

    for (genvar c = 0; c < Columns; c++) begin : g_column
      bank_ram #(.Depth(BankBytes / Columns)) u_ram (
        .clk_i,
        .we_i     (we[c]),
        .waddr_i  (waddr[c]),
        .wdata_i  (wdata[c]),
        .raddr_a_i(column_row(rd_a_addr_i, ColW'(c))),
        .rdata_a_o(cols_a[8*c+:8]),
        .raddr_b_i(column_row(rd_b_addr_i, ColW'(c))),
        .rdata_b_o(cols_b[8*c+:8])
      );
    end

    always_ff @(posedge clk_i) begin
      rot_a_q <= rd_a_addr_i[ColW-1:0];
      rot_b_q <= rd_b_addr_i[ColW-1:0];
    end

    rotator #(
      .Width(8),
      .N    (Columns),
      .Up   (0)
    ) u_rotator_a (
      .data_i (cols_a),
      .shift_i(rot_a_q),
      .data_o (rd_a_window_o)
    );

    rotator #(
      .Width(8),
      .N    (Columns),
      .Up   (0)
    ) u_rotator_b (
      .data_i (cols_b),
      .shift_i(rot_b_q),
      .data_o (rd_b_window_o)
    );
  end
endmodule
