// One PE's weight bank of one matrix (docs/rtl.md, "Storage"): W_x, W_h or (with projection) W_r,
// every pass's bank words, one on-chip word per RAM word: Lanes slots of {index, value}, the index
// IdxW bits wide, the bank's own (the widest of its matrix in the build). Its array cuts the
// loader's items to words of this layout once for all its PEs (mac_array). With variable rows or
// binarized weights the side table at the head of each pass's image, a beat per table word. The
// loader writes up to Items words per cycle: the words go to Subs = ceil(Items / 2) (rounded up to
// a power of two) true dual-port RAMs by word address mod Subs, two ports each, so that any Items
// consecutive words land on distinct ports. Once loaded, the PE reads one word per cycle on port A.
// A small table keeps where each pass's words (and table) begin: the fill pointers when the pass's
// region began. In a build that streams weights (Stream) a region of pass 0 begins at the bank's
// first word: streamed, every region comes as pass 0 (the bank holds the pass being run).
module weight_bank #(
  parameter int                          Kind      = 0,  // sparrow_reg_pkg::region_e of this bank
  parameter int                          Words     = 64,  // a multiple of Subs
  parameter int                          Lanes     = 8,
  parameter int                          ValueBits = 8,
  parameter int                          IdxW      = 4,  // the bank's index field
  parameter int                          Items     = 2,
  parameter int                          MaxPasses = 1,
  parameter int                          TableWords = 0,  // beats of side table; 0: none
  parameter int                          BeatBytes = 16,
  parameter int                          Stream    = 0,
  localparam int WordW = Lanes * (ValueBits + IdxW),
  localparam int AddrW = $clog2(Words),
  localparam int TAddrW = TableWords > 1 ? $clog2(TableWords) : 1,
  localparam int PassW = MaxPasses > 1 ? $clog2(MaxPasses) : 1
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          start_i,
  input  logic [15:0]                   pe_i,  // the PE this bank belongs to
  // The loader's writes.
  input  sparrow_reg_pkg::region_target_t   target_i,
  input  logic                          region_start_i,
  input  logic                          table_we_i,
  input  logic [8*BeatBytes-1:0]        table_data_i,
  input  logic [Items-1:0]              item_valid_i,
  input  logic [Items*WordW-1:0]        item_word_i,  // the items as bank words
  // The PE: where a pass begins, its words, its table.
  input  logic [PassW-1:0]              pass_i,
  output logic [AddrW-1:0]              base_o,
  output logic [TAddrW-1:0]             table_base_o,
  input  logic                          re_i,
  input  logic [AddrW-1:0]              raddr_i,
  output logic [WordW-1:0]              rdata_o,
  input  logic [TAddrW-1:0]             table_raddr_i,
  output logic [8*BeatBytes-1:0]        table_rdata_o
);
  `include "sparrow_assert.svh"

  localparam int Pairs = (Items + 1) / 2;
  localparam int Subs = 1 << $clog2(Pairs);
  localparam int SubW = Subs > 1 ? $clog2(Subs) : 1;
  localparam int RowW = AddrW - $clog2(Subs) > 0 ? AddrW - $clog2(Subs) : 1;

  logic mine;
  assign mine = 32'(target_i.kind) == Kind && target_i.pe == pe_i;

  // ---- Fill pointers and the pass table.
  logic [AddrW-1:0] fill_q, fill;
  logic [TAddrW-1:0] tfill_q, tfill;
  logic [31:0] n_items;
  logic restart;

  assign restart = Stream != 0 && mine && region_start_i && target_i.pass == '0;
  assign fill = restart ? '0 : fill_q;
  assign tfill = restart ? '0 : tfill_q;

  always_comb begin
    n_items = '0;
    for (int k = 0; k < Items; k++) if (item_valid_i[k]) n_items = 32'(k + 1);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || start_i) begin
      fill_q <= '0;
      tfill_q <= '0;
    end else if (mine) begin
      fill_q <= fill + AddrW'(n_items);
      tfill_q <= tfill + TAddrW'(table_we_i);
    end
  end

  lut_ram #(
    .Width(AddrW),
    .Depth(MaxPasses),
    .Reads(1)
  ) u_base (
    .clk_i,
    .we_i   (mine && region_start_i),
    .waddr_i(target_i.pass[PassW-1:0]),
    .wdata_i(fill),
    .raddr_i(pass_i),
    .rdata_o(base_o)
  );

  // ---- Words: item k of the beat is word fill + k, on sub-RAM (fill + k) mod Subs, port A for
  // the first of the (at most two) items a sub-RAM takes, port B for the second.
  logic [SubW-1:0] rsub_q;
  logic [Subs*WordW-1:0] sub_rdata;

  for (genvar r = 0; r < Subs; r++) begin : g_sub
    logic we_a, we_b;
    logic [RowW-1:0] row_a, row_b, addr_a;
    logic [WordW-1:0] data_a, data_b;
    if (Subs == 1) begin : g_direct
      // One sub-RAM: item 0 on port A, item 1 on port B, the items' words wired to the ports (a
      // simulator then copies a word only when it is written).
      assign we_a = mine && item_valid_i[0];
      assign row_a = RowW'(fill);
      assign data_a = item_word_i[0+:WordW];
      if (Items > 1) begin : g_b
        assign we_b = mine && item_valid_i[1];
        assign row_b = RowW'(fill + AddrW'(1));
        assign data_b = item_word_i[WordW+:WordW];
      end else begin : g_no_b
        assign we_b = 1'b0;
        assign row_b = '0;
        assign data_b = '0;
      end
      assign addr_a = we_a ? row_a : RowW'(raddr_i);
    end else begin : g_select
      always_comb begin
        logic [31:0] first;  // the first item this sub-RAM takes: (r - fill) mod Subs
        first = 32'(SubW'(SubW'(r) - fill[SubW-1:0]));
        we_a = 1'b0;
        we_b = 1'b0;
        row_a = '0;
        row_b = '0;
        data_a = '0;
        data_b = '0;
        for (int k = 0; k < Items; k++) begin
          logic [AddrW-1:0] a;
          a = fill + AddrW'(k);
          if (32'(k) == first) begin
            we_a = mine && item_valid_i[k];
            row_a = RowW'(a >> $clog2(Subs));
            data_a = item_word_i[k*WordW+:WordW];
          end
          if (32'(k) == first + Subs) begin
            we_b = mine && item_valid_i[k];
            row_b = RowW'(a >> $clog2(Subs));
            data_b = item_word_i[k*WordW+:WordW];
          end
        end
        addr_a = we_a ? row_a : RowW'(raddr_i >> $clog2(Subs));
      end
    end

    ram_tdp #(
      .Width(WordW),
      .Depth(Words / Subs)
    ) u_ram (
      .clk_i,
      .we_a_i   (we_a),
      .addr_a_i (addr_a),
      .wdata_a_i(data_a),
      .rdata_a_o(sub_rdata[r*WordW+:WordW]),
      .we_b_i   (we_b),
      .addr_b_i (row_b),
      .wdata_b_i(data_b)
    );
  end

  always_ff @(posedge clk_i) begin
    if (re_i) rsub_q <= SubW'(raddr_i);
  end
  assign rdata_o = Subs == 1 ? sub_rdata[WordW-1:0] : sub_rdata[32'(rsub_q)*WordW+:WordW];

  // ---- The side table: a beat per word, read asynchronously.
  if (TableWords > 0) begin : g_table
    lut_ram #(
      .Width(TAddrW),
      .Depth(MaxPasses),
      .Reads(1)
    ) u_table_base (
      .clk_i,
      .we_i   (mine && region_start_i),
      .waddr_i(target_i.pass[PassW-1:0]),
      .wdata_i(tfill),
      .raddr_i(pass_i),
      .rdata_o(table_base_o)
    );
    lut_ram #(
      .Width(8 * BeatBytes),
      .Depth(TableWords),
      .Reads(1)
    ) u_table (
      .clk_i,
      .we_i   (mine && table_we_i),
      .waddr_i(tfill),
      .wdata_i(table_data_i),
      .raddr_i(table_raddr_i),
      .rdata_o(table_rdata_o)
    );
  end else begin : g_no_table
    logic unused_table;
    assign unused_table = ^{table_data_i, table_raddr_i, tfill};
    assign table_base_o = '0;
    assign table_rdata_o = '0;
  end

  // Of a load target only its kind and PE matter.
  logic unused_target;
  assign unused_target = ^target_i.unused;

  `SPARROW_ASSERT(NoWriteWhileRead, re_i |-> !(mine && |item_valid_i))
  `SPARROW_ASSERT(FitsBank, mine && |item_valid_i |-> 32'(fill) + n_items <= Words)
endmodule
