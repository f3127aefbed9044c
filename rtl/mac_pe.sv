// One PE of a MAC array (docs/timing.md, "Phases and arrays"). From the cycle a phase starts it
// issues one bank word per cycle, its rows in order; each word's Lanes slots are fixed slices of
// the word ({index, value}, docs/rtl.md), each lane multiplies its value by the entry of its
// lane's operand segment the index names, an adder tree sums the lanes and the accumulator the
// row's words. A row's sum leaves the PE A = 3 + clog2(Lanes) cycles after its last word issued:
// bank read, multiply, tree levels, accumulate. With DspPairs two lanes share one multiplier, a
// dot pair: the product of (x1 + x2 2^K) and (w2 + w1 2^K) holds x1 w1 + x2 w2 in its bits
// [K, 2K), which is the tree's first level (docs/rtl.md, "The datapath"). Weights are binarized
// when their width is 1 (each row's sum then times its scale from the bank's side table). With
// VarRows each row's word count comes from the side table. The PE holds its banks: the W_x bank if
// its array runs X phases, the W_h bank if it runs H phases and, with projection (Proj), the W_r
// bank, whose R phases read the unprojected hidden vector (rd_r_o, and its valid lengths
// u_valid_i). Each bank's slots have the index width of its matrix (XIdx, HIdx, RIdx); the operand
// reads widen them to IdxMax bits.
module mac_pe #(
  parameter int Lanes      = 8,
  parameter int HasX       = 1,
  parameter int HasH       = 1,
  parameter int WxBits     = 8,
  parameter int WhBits     = 8,
  parameter int ActBits    = 8,
  parameter int IdxMax     = 4,   // the loader's index field: the widest of XIdx, HIdx, RIdx
  parameter int XIdx       = 4,
  parameter int HIdx       = 4,
  parameter int RIdx       = 4,
  parameter int AccW       = 32,  // the accumulator: the contract's, or narrower where no sum wraps
  parameter int ScaleBits  = 2,
  parameter int XWords     = 64,
  parameter int HWords     = 64,
  parameter int RWords     = 64,
  parameter int Items      = 2,
  parameter int MaxPasses  = 1,
  parameter int TableWords = 0,
  parameter int EntryBytes = 1,   // bytes of a side-table entry
  parameter int BeatBytes  = 16,
  parameter int Stream     = 0,   // the build streams weights (the banks hold one pass)
  parameter int Proj       = 0,   // the build runs projection (R phases on the W_r bank)
  parameter int VarRows    = 0,
  parameter int RowW       = 8,   // local row index
  parameter int WprW       = 16,  // words of a row
  parameter int ParW       = 1,   // the operand slot (step parity, or an X step's slot)
  parameter int DspPairs   = 0,   // two lanes per multiplier (a dot pair)
  localparam int PassW  = MaxPasses > 1 ? $clog2(MaxPasses) : 1,
  localparam int XBin   = WxBits == 1 ? 1 : 0,
  localparam int HBin   = WhBits == 1 ? 1 : 0,
  localparam int Scaled = (XBin != 0 || HBin != 0) ? 1 : 0,
  localparam int ResW   = AccW + (Scaled != 0 ? ScaleBits : 0)
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          run_start_i,
  input  logic [15:0]                   pe_i,  // this PE's index (an input, so that every PE
                                               // of an array is one module)
  // The loader's writes.
  input  sparrow_reg_pkg::region_target_t   target_i,
  input  logic                          region_start_i,
  input  logic                          table_we_i,
  input  logic [8*BeatBytes-1:0]        table_data_i,
  input  logic [Items-1:0]              item_valid_i,
  // The items as words of each bank (mac_array): W_x, W_h, W_r.
  input  logic [Items*Lanes*(WxBits+XIdx)-1:0] item_x_i,
  input  logic [Items*Lanes*(WhBits+HIdx)-1:0] item_h_i,
  input  logic [Items*Lanes*(WhBits+(RIdx > 0 ? RIdx : 1))-1:0] item_r_i,
  // A phase starts: its first word issues this cycle.
  input  logic                          start_i,
  input  logic                          mat_i,    // 0: W_x, 1: W_h (or W_r)
  input  logic                          r_i,      // with mat_i: W_r (an R phase)
  input  logic [PassW-1:0]              pass_i,
  input  logic [ParW-1:0]               par_i,    // the operand slot
  input  logic                          zero_i,   // the operand reads as zero (H_0)
  input  logic [RowW-1:0]               rows_i,   // this PE's rows
  input  logic [WprW-1:0]               wpr_i,    // words per row (rows of one length)
  // Operand reads of the multiply stage: each lane's index, and the entries.
  output logic                          rd_mat_o,
  output logic                          rd_r_o,
  output logic [ParW-1:0]               rd_par_o,
  output logic [Lanes*IdxMax-1:0]       rd_idx_o,
  input  logic [Lanes*ActBits-1:0]      rd_val_i,
  // Each lane's valid length of x_t and of h: an index past it is a padding column.
  input  logic [Lanes*(IdxMax+1)-1:0]   x_valid_i,
  input  logic [Lanes*(IdxMax+1)-1:0]   h_valid_i,
  input  logic [Lanes*(IdxMax+1)-1:0]   u_valid_i,
  // Row results.
  output logic                          res_valid_o,
  output logic                          res_mat_o,
  output logic [ParW-1:0]               res_par_o,
  output logic [RowW-1:0]               res_row_o,
  output logic signed [ResW-1:0]        res_val_o,
  // Words still to issue after this cycle; a word in the multiply stage (the MAC slot counter).
  output logic                          busy_o,
  output logic                          word_o
);
  `include "sparrow_assert.svh"

  localparam int TreeLevels = $clog2(Lanes);
  localparam int Stages = TreeLevels + 1;  // tokens from the multiply stage to the accumulator
  localparam int HasR = HasH != 0 && Proj != 0 ? 1 : 0;
  localparam int VMax = WxBits > WhBits ? WxBits : WhBits;
  localparam int ProdW = ActBits + VMax;           // a product, or +-x for binarized weights
  localparam int SumW = ProdW + TreeLevels;        // the adder tree's sum of Lanes products
  // Dot pairs: lanes 2i and 2i+1 (a lane past the last multiplies zero); a pair's sum fits K bits.
  localparam int Pair = DspPairs != 0 && Scaled == 0 && Lanes >= 2 ? 1 : 0;
  localparam int Pairs = (Lanes + 1) / 2;
  localparam int PairK = ProdW + 1;
  localparam int PairXW = ActBits + PairK + 1;     // x1 + x2 2^K
  localparam int PairWW = VMax + PairK + 1;        // w2 + w1 2^K
  localparam int PairPW = PairXW + PairWW;
  localparam int AddrW = $clog2(XWords > HWords ? (XWords > RWords ? XWords : RWords)
                                                : (HWords > RWords ? HWords : RWords));
  localparam int TAddrW = TableWords > 1 ? $clog2(TableWords) : 1;
  localparam int ByteW = BeatBytes > 1 ? $clog2(BeatBytes) : 1;
  localparam int EntryW = 8 * EntryBytes;
  localparam int SB = ScaleBits;

  function automatic logic binarized(input logic mat);
    binarized = mat ? (HBin != 0) : (XBin != 0);
  endfunction

  function automatic int words_of(input int m);
    words_of = m == 0 ? XWords : (m == 1 ? HWords : RWords);
  endfunction

  // ---- The banks: W_x, W_h and W_r, each read on its phases' issue. Each is selected by the
  // phase's matrix (and R) and sliced at constant positions, so that synthesis sees the slots'
  // widths: a phase's bank is one multiplexer level, not a shift over all three.
  localparam int XSlotW = WxBits + XIdx;
  localparam int HSlotW = WhBits + HIdx;
  localparam int RIdxW = RIdx > 0 ? RIdx : 1;
  localparam int RSlotW = WhBits + RIdxW;
  logic [AddrW-1:0] xbase, hbase, rbase;
  logic [TAddrW-1:0] xtbase, htbase, rtbase;
  logic [8*BeatBytes-1:0] xtrow, htrow, rtrow;
  logic [Lanes*XSlotW-1:0] xword;
  logic [Lanes*HSlotW-1:0] hword;
  logic [Lanes*RSlotW-1:0] rword;
  logic iss, iss_mat, iss_r;
  logic [AddrW-1:0] iss_addr;
  logic [TAddrW-1:0] iss_tword;

  for (genvar m = 0; m < 3; m++) begin : g_bank
    localparam int Has = m == 0 ? HasX : (m == 1 ? HasH : HasR);
    localparam int VBits = m == 0 ? WxBits : WhBits;
    localparam int IBits = m == 0 ? XIdx : (m == 1 ? HIdx : RIdxW);
    localparam int BankAddrW = words_of(m) > 1 ? $clog2(words_of(m)) : 1;
    logic [Lanes*(VBits+IBits)-1:0] word;
    logic [Items*Lanes*(VBits+IBits)-1:0] items;
    logic [BankAddrW-1:0] bbase;
    logic [TAddrW-1:0] btbase;
    logic [8*BeatBytes-1:0] btrow;
    if (m == 0) begin : g_items_x
      assign items = item_x_i;
    end else if (m == 1) begin : g_items_h
      assign items = item_h_i;
    end else begin : g_items_r
      assign items = item_r_i;
    end
    if (Has != 0) begin : g_on
      weight_bank #(
        .Kind      (m == 0 ? 32'(sparrow_reg_pkg::RegionWx)
                    : (m == 1 ? 32'(sparrow_reg_pkg::RegionWh) : 32'(sparrow_reg_pkg::RegionWr))),
        .Words     (words_of(m)),
        .Lanes     (Lanes),
        .ValueBits (VBits),
        .IdxW      (IBits),
        .Items     (Items),
        .MaxPasses (MaxPasses),
        .TableWords(TableWords),
        .BeatBytes (BeatBytes),
        .Stream    (Stream)
      ) u_bank (
        .clk_i,
        .rst_ni,
        .start_i      (run_start_i),
        .pe_i,
        .target_i,
        .region_start_i,
        .table_we_i,
        .table_data_i,
        .item_valid_i,
        .item_word_i  (items),
        .pass_i,
        .base_o       (bbase),
        .table_base_o (btbase),
        .re_i         (iss && (m == 0 ? !iss_mat : iss_mat && (m == 2) == iss_r)),
        .raddr_i      (iss_addr[BankAddrW-1:0]),
        .rdata_o      (word),
        .table_raddr_i(iss_tword),
        .table_rdata_o(btrow)
      );
    end else begin : g_off
      logic unused_items;
      assign unused_items = ^items;
      assign bbase = '0;
      assign btbase = '0;
      assign btrow = '0;
      assign word = '0;
    end
    if (m == 0) begin : g_x
      assign xbase = AddrW'(bbase);
      assign xtbase = btbase;
      assign xtrow = btrow;
      assign xword = word;
    end else if (m == 1) begin : g_h
      assign hbase = AddrW'(bbase);
      assign htbase = btbase;
      assign htrow = btrow;
      assign hword = word;
    end else begin : g_r
      assign rbase = AddrW'(bbase);
      assign rtbase = btbase;
      assign rtrow = btrow;
      assign rword = word;
    end
  end

  // ---- Issue.
  logic act_q, mat_q, r_q, zero_q;
  logic [ParW-1:0] par_q;
  logic [RowW-1:0] row_q, rows_q;
  logic [WprW-1:0] wir_q, wpr_q;
  logic [AddrW-1:0] addr_q;
  logic [TAddrW-1:0] tword_q;
  logic [ByteW-1:0] tbyte_q;

  logic iss_zero, iss_first, iss_last;
  logic [ParW-1:0] iss_par;
  logic [RowW-1:0] iss_row, iss_rows;
  logic [WprW-1:0] iss_wir, iss_wpr, iss_words;
  logic [ByteW-1:0] iss_tbyte;
  logic [EntryW-1:0] entry;
  logic unused_entry;  // an entry's bits above the scale and the word count
  assign unused_entry = ^entry;

  always_comb begin
    iss = act_q;
    iss_mat = mat_q;
    iss_r = Proj != 0 && r_q;
    iss_par = par_q;
    iss_zero = zero_q;
    iss_row = row_q;
    iss_rows = rows_q;
    iss_wir = wir_q;
    iss_wpr = wpr_q;
    iss_addr = addr_q;
    iss_tword = tword_q;
    iss_tbyte = tbyte_q;
    if (start_i) begin
      iss = rows_i != '0;
      iss_mat = mat_i;
      iss_r = Proj != 0 && r_i;
      iss_par = par_i;
      iss_zero = zero_i;
      iss_row = '0;
      iss_rows = rows_i;
      iss_wir = '0;
      iss_wpr = wpr_i;
      iss_addr = !mat_i ? xbase : (Proj != 0 && r_i ? rbase : hbase);
      iss_tword = !mat_i ? xtbase : (Proj != 0 && r_i ? rtbase : htbase);
      iss_tbyte = '0;
    end
    // The current row's side-table entry: its word count, or its scale.
    entry = '0;
    for (int b = 0; b < EntryBytes; b++)
      entry[8*b+:8] = 8'((!iss_mat ? xtrow : (iss_r ? rtrow : htrow)) >> (8 * (32'(iss_tbyte) + b)));
    iss_words = VarRows != 0 ? WprW'(entry) : iss_wpr;  // no row has more than WprW counts
    iss_first = iss_wir == '0;
    iss_last = iss_wir == iss_words - WprW'(1);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      act_q <= 1'b0;
    end else if (iss) begin
      act_q <= !(iss_last && iss_row == iss_rows - RowW'(1));
    end
  end

  always_ff @(posedge clk_i) begin
    if (iss) begin
      mat_q <= iss_mat;
      r_q <= iss_r;
      par_q <= iss_par;
      zero_q <= iss_zero;
      rows_q <= iss_rows;
      wpr_q <= iss_wpr;
      addr_q <= iss_addr + AddrW'(1);
      row_q <= iss_last ? iss_row + RowW'(1) : iss_row;
      wir_q <= iss_last ? '0 : iss_wir + WprW'(1);
      tword_q <= iss_tword;
      tbyte_q <= iss_tbyte;
      // The next row's entry: EntryBytes further in the table.
      if (iss_last) begin
        logic [ByteW:0] nb;
        nb = {1'b0, iss_tbyte} + (ByteW+1)'(EntryBytes);
        tbyte_q <= BeatBytes > 1 ? ByteW'(nb) : '0;
        if (BeatBytes == 1 || nb[ByteW]) tword_q <= iss_tword + TAddrW'(1);
      end
    end
  end

  assign busy_o = act_q;

  // ---- Multiply stage: the word is out of its bank.
  logic t1_valid, t1_mat, t1_r, t1_zero, t1_first, t1_last;
  logic [ParW-1:0] t1_par;
  logic [RowW-1:0] t1_row;
  logic signed [SB-1:0] t1_scale;

  assign word_o = t1_valid;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      t1_valid <= 1'b0;
    end else begin
      t1_valid <= iss;
    end
  end

  always_ff @(posedge clk_i) begin
    if (iss) begin
      t1_mat <= iss_mat;
      t1_r <= iss_r;
      t1_par <= iss_par;
      t1_zero <= iss_zero;
      t1_first <= iss_first;
      t1_last <= iss_last;
      t1_row <= iss_row;
      t1_scale <= SB'(entry);
    end
  end

  // The lanes, each its own signals (a lane's word slot, its operand and its product): the
  // index goes to the operand rings and the entry comes back in the same cycle.
  logic t1_rr;  // an R phase's word (a build with Proj)
  assign t1_rr = Proj != 0 && t1_r;
  assign rd_mat_o = t1_mat;
  assign rd_r_o = t1_rr;
  assign rd_par_o = t1_par;

  for (genvar j = 0; j < Lanes; j++) begin : g_lane
    logic [IdxMax-1:0] idx;
    logic [IdxMax:0] valid_len;
    logic [WxBits-1:0] xv;
    logic [WhBits-1:0] hv;
    logic signed [ProdW-1:0] w, x;
    logic drop;  // the entry is zero: a padding column, or h_{-1}
    assign idx = !t1_mat ? IdxMax'(xword[j*XSlotW+WxBits+:XIdx])
                         : (t1_rr ? IdxMax'(rword[j*RSlotW+WhBits+:RIdxW])
                                  : IdxMax'(hword[j*HSlotW+WhBits+:HIdx]));
    assign rd_idx_o[j*IdxMax+:IdxMax] = idx;
    assign valid_len = !t1_mat ? x_valid_i[j*(IdxMax+1)+:IdxMax+1]
                               : (t1_rr ? u_valid_i[j*(IdxMax+1)+:IdxMax+1]
                                        : h_valid_i[j*(IdxMax+1)+:IdxMax+1]);
    assign drop = t1_zero || {1'b0, idx} >= valid_len;
    assign xv = xword[j*XSlotW+:WxBits];
    assign hv = t1_rr ? rword[j*RSlotW+:WhBits] : hword[j*HSlotW+:WhBits];
    assign w = t1_mat ? ProdW'(signed'(hv)) : ProdW'(signed'(xv));
    assign x = ProdW'(signed'(rd_val_i[j*ActBits+:ActBits]));
  end

  // A word in the multiply stage or in a tree level short of the last: the datapath's registers
  // (products, tree nodes, the tokens' fields) load only then, their clock enable, so that an
  // idle PE's datapath does not toggle; the tokens' valid bits always load.
  logic [Stages-1:0] tok_valid;
  logic live;
  always_comb begin
    live = t1_valid;
    for (int s = 0; s < Stages - 1; s++) live = live | tok_valid[s];
  end

  // The dot pairs' products: the tree's level 0 (a DSP's product register). A dropped entry
  // zeroes its operand; a lone last lane pairs with a weight of zero (its partner's entry then
  // only reaches bits from 2K up).
  if (Pair != 0) begin : g_pairs
    for (genvar i = 0; i < Pairs; i++) begin : g_pair
      localparam int J2 = (2 * i + 1) % Lanes;
      logic signed [PairPW-1:0] q;
      logic signed [PairXW-1:0] px;
      logic signed [PairWW-1:0] pw;
      logic signed [ProdW-1:0] x1, x2, w2;
      assign x1 = g_lane[2*i].drop ? '0 : g_lane[2*i].x;
      assign x2 = g_lane[J2].drop ? '0 : g_lane[J2].x;
      assign w2 = 2 * i + 1 < Lanes ? g_lane[J2].w : '0;
      assign px = PairXW'(x1) + (PairXW'(x2) <<< PairK);
      assign pw = PairWW'(w2) + (PairWW'(g_lane[2*i].w) <<< PairK);
      always_ff @(posedge clk_i) if (live) q <= PairPW'(px) * PairPW'(pw);
    end
  end

  // A pair's sum: bits [K, 2K) of its product plus 2^(K-1), which absorbs the low term x1 w2
  // (|x1 w2| < 2^(K-1)).
  function automatic logic signed [SumW-1:0] pair_sum(input logic signed [PairPW-1:0] p);
    pair_sum = SumW'(signed'(PairK'((p + (PairPW'(1) << (PairK - 1))) >> PairK)));
  endfunction

  // ---- Adder tree: level 0 holds the lanes' products (none with dot pairs, whose sums are
  // level 1), each level halves the count; a node is its own register.
  function automatic int level_count(input int s);
    level_count = (Pair != 0 && s == 0) ? 0 : (Lanes + (1 << s) - 1) >> s;
  endfunction

  for (genvar s = 0; s < Stages; s++) begin : g_level
    for (genvar j = 0; j < level_count(s); j++) begin : g_node
      logic signed [SumW-1:0] q;
      if (s == 0) begin : g_product
        // Lane j's product, +-x for binarized weights; a dropped entry zeroes its product
        // register (a DSP's reset, which takes precedence over its clock enable).
        logic signed [ProdW-1:0] prod;
        assign prod = !binarized(t1_mat) ? g_lane[j].w * g_lane[j].x
                      : ((t1_mat ? g_lane[j].hv[0] : g_lane[j].xv[0]) ? g_lane[j].x : -g_lane[j].x);
        always_ff @(posedge clk_i) begin
          if (g_lane[j].drop) q <= '0;
          else if (live) q <= SumW'(prod);
        end
      end else if (Pair != 0 && s == 1) begin : g_pair_sum
        always_ff @(posedge clk_i) if (live) q <= pair_sum(g_pairs.g_pair[j].q);
      end else if (2 * j + 1 < level_count(s - 1)) begin : g_two
        always_ff @(posedge clk_i)
          if (live) q <= g_level[s-1].g_node[2*j].q + g_level[s-1].g_node[2*j+1].q;
      end else begin : g_one
        always_ff @(posedge clk_i) if (live) q <= g_level[s-1].g_node[2*j].q;
      end
    end
  end

  // The tokens beside the tree: a word's valid bit and its row's fields, a stage per level.
  localparam int MetaW = 3 + ParW + RowW + SB;
  logic [MetaW-1:0] t1_meta;
  assign t1_meta = {t1_mat, t1_first, t1_last, t1_par, t1_row, t1_scale};

  for (genvar s = 0; s < Stages; s++) begin : g_tok
    logic valid_q;
    logic [MetaW-1:0] meta_q;  // {mat, first, last, par, row, scale}
    assign tok_valid[s] = valid_q;
    if (s == 0) begin : g_first
      always_ff @(posedge clk_i) begin
        if (!rst_ni) valid_q <= 1'b0;
        else valid_q <= t1_valid;
      end
      always_ff @(posedge clk_i) if (live) meta_q <= t1_meta;
    end else begin : g_next
      always_ff @(posedge clk_i) begin
        if (!rst_ni) valid_q <= 1'b0;
        else valid_q <= g_tok[s-1].valid_q;
      end
      always_ff @(posedge clk_i) if (live) meta_q <= g_tok[s-1].meta_q;
    end
  end

  // ---- Accumulate: the tree's sum joins the row's partial sum; the last word's gives the row.
  logic signed [AccW-1:0] acc_q, acc_d;
  logic top_valid, top_mat, top_first, top_last;
  logic signed [SB-1:0] top_scale;

  assign top_valid = g_tok[Stages-1].valid_q;
  assign {top_mat, top_first, top_last, res_par_o, res_row_o, top_scale} = g_tok[Stages-1].meta_q;
  assign acc_d = (top_first ? AccW'(0) : acc_q) + AccW'(g_level[Stages-1].g_node[0].q);

  always_ff @(posedge clk_i) begin
    if (top_valid) acc_q <= acc_d;
  end

  assign res_valid_o = top_valid && top_last;
  assign res_mat_o = top_mat;
  if (Scaled != 0) begin : g_scaled
    assign res_val_o = binarized(top_mat) ? ResW'(acc_d) * ResW'(top_scale) : ResW'(acc_d);
  end else begin : g_plain
    logic unused_scale;
    assign unused_scale = ^top_scale;
    assign res_val_o = acc_d;
  end

  `SPARROW_ASSERT(RowHasWords, iss && VarRows != 0 |-> iss_words != '0)
  `SPARROW_ASSERT(KnownMatrix, start_i && rows_i != '0 |-> (mat_i ? HasH != 0 : HasX != 0))
endmodule
