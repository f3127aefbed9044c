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
  parameter int ItemW      = 32,
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
  input  logic [Items*ItemW-1:0]        item_data_i,
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
    logic [BankAddrW-1:0] bbase;
    logic [TAddrW-1:0] btbase;
    logic [8*BeatBytes-1:0] btrow;
    if (Has != 0) begin : g_on
      weight_bank #(
        .Kind      (m == 0 ? 32'(sparrow_reg_pkg::RegionWx)
                    : (m == 1 ? 32'(sparrow_reg_pkg::RegionWh) : 32'(sparrow_reg_pkg::RegionWr))),
        .Words     (words_of(m)),
        .Lanes     (Lanes),
        .ValueBits (VBits),
        .IdxW      (IBits),
        .IdxIn     (IdxMax),
        .Items     (Items),
        .ItemW     (ItemW),
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
        .item_data_i,
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
    t1_mat <= iss_mat;
    t1_r <= iss_r;
    t1_par <= iss_par;
    t1_zero <= iss_zero;
    t1_first <= iss_first;
    t1_last <= iss_last;
    t1_row <= iss_row;
    t1_scale <= SB'(entry);
  end

  logic signed [ProdW-1:0] prod[Lanes];
  logic signed [ProdW-1:0] lane_w[Lanes], lane_x[Lanes];  // a lane's weight and entry (dot pairs)
  logic [Lanes-1:0] drop;  // the entry is zero: a padding column, or h_{-1}

  // The lanes' indices go to the operand rings; the entries come back in the same cycle.
  logic t1_rr;  // an R phase's word (a build with Proj)
  assign t1_rr = Proj != 0 && t1_r;
  always_comb begin
    rd_mat_o = t1_mat;
    rd_r_o = t1_rr;
    rd_par_o = t1_par;
    for (int j = 0; j < Lanes; j++) begin
      rd_idx_o[j*IdxMax+:IdxMax] =
          !t1_mat ? IdxMax'(xword[j*XSlotW+WxBits+:XIdx])
                  : (t1_rr ? IdxMax'(rword[j*RSlotW+WhBits+:RIdxW])
                           : IdxMax'(hword[j*HSlotW+WhBits+:HIdx]));
    end
  end

  always_comb begin
    for (int j = 0; j < Lanes; j++) begin
      logic [WxBits-1:0] xv;
      logic [WhBits-1:0] hv;
      logic signed [ProdW-1:0] value, x;
      xv = xword[j*XSlotW+:WxBits];
      hv = t1_rr ? rword[j*RSlotW+:WhBits] : hword[j*HSlotW+:WhBits];
      value = t1_mat ? ProdW'(signed'(hv)) : ProdW'(signed'(xv));
      x = ProdW'(signed'(rd_val_i[j*ActBits+:ActBits]));
      drop[j] = t1_zero || {1'b0, rd_idx_o[j*IdxMax+:IdxMax]}
                           >= (!t1_mat ? x_valid_i[j*(IdxMax+1)+:IdxMax+1]
                               : t1_rr ? u_valid_i[j*(IdxMax+1)+:IdxMax+1]
                                       : h_valid_i[j*(IdxMax+1)+:IdxMax+1]);
      lane_w[j] = value;
      lane_x[j] = drop[j] ? '0 : x;
      if (binarized(t1_mat)) prod[j] = (t1_mat ? hv[0] : xv[0]) ? x : -x;
      else prod[j] = value * x;
    end
  end

  // The dot pairs' products: the tree's level 0 (a DSP's product register). A lone last lane
  // pairs with a weight of zero (its partner's entry then only reaches bits from 2K up).
  logic signed [PairPW-1:0] pair_q[Pairs];
  if (Pair != 0) begin : g_pairs
    always_ff @(posedge clk_i) begin
      for (int i = 0; i < Pairs; i++) begin
        logic signed [PairXW-1:0] px;
        logic signed [PairWW-1:0] pw;
        logic signed [ProdW-1:0] w2;
        w2 = 2 * i + 1 < Lanes ? lane_w[(2*i+1)%Lanes] : '0;
        px = PairXW'(lane_x[2*i]) + (PairXW'(lane_x[(2*i+1)%Lanes]) <<< PairK);
        pw = PairWW'(w2) + (PairWW'(lane_w[2*i]) <<< PairK);
        pair_q[i] <= PairPW'(px) * PairPW'(pw);
      end
    end
  end else begin : g_lanes
    always_comb for (int i = 0; i < Pairs; i++) pair_q[i] = '0;
    logic unused_pairs;
    assign unused_pairs = ^{lane_w[0], lane_x[0]};
  end

  // A pair's sum: bits [K, 2K) of its product plus 2^(K-1), which absorbs the low term x1 w2
  // (|x1 w2| < 2^(K-1)).
  function automatic logic signed [SumW-1:0] pair_sum(input logic signed [PairPW-1:0] p);
    pair_sum = SumW'(signed'(PairK'((p + (PairPW'(1) << (PairK - 1))) >> PairK)));
  endfunction

  // ---- Adder tree: level 0 holds the products, each level halves the count.
  function automatic int level_count(input int s);
    level_count = (Lanes + (1 << s) - 1) >> s;
  endfunction

  logic signed [SumW-1:0] lvl_q[Stages * Lanes];
  logic tok_valid_q[Stages];
  logic tok_mat_q[Stages], tok_first_q[Stages], tok_last_q[Stages];
  logic [ParW-1:0] tok_par_q[Stages];
  logic [RowW-1:0] tok_row_q[Stages];
  logic signed [SB-1:0] tok_scale_q[Stages];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      for (int s = 0; s < Stages; s++) tok_valid_q[s] <= 1'b0;
    end else begin
      tok_valid_q[0] <= t1_valid;
      for (int s = 1; s < Stages; s++) tok_valid_q[s] <= tok_valid_q[s-1];
    end
  end

  always_ff @(posedge clk_i) begin
    tok_mat_q[0] <= t1_mat;
    tok_par_q[0] <= t1_par;
    tok_first_q[0] <= t1_first;
    tok_last_q[0] <= t1_last;
    tok_row_q[0] <= t1_row;
    tok_scale_q[0] <= t1_scale;
    // A dropped entry zeroes its product register (a DSP's reset), or its operand in a pair.
    if (Pair == 0) for (int j = 0; j < Lanes; j++) lvl_q[j] <= drop[j] ? '0 : SumW'(prod[j]);
    for (int s = 1; s < Stages; s++) begin
      tok_mat_q[s] <= tok_mat_q[s-1];
      tok_par_q[s] <= tok_par_q[s-1];
      tok_first_q[s] <= tok_first_q[s-1];
      tok_last_q[s] <= tok_last_q[s-1];
      tok_row_q[s] <= tok_row_q[s-1];
      tok_scale_q[s] <= tok_scale_q[s-1];
      for (int j = 0; j < Lanes; j++) begin
        if (Pair != 0 && s == 1) begin
          if (j < Pairs) lvl_q[Lanes+j] <= pair_sum(pair_q[j]);
        end else if (j < level_count(s)) begin
          lvl_q[s*Lanes+j] <= lvl_q[(s-1)*Lanes+2*j]
              + ((2 * j + 1 < level_count(s - 1)) ? lvl_q[(s-1)*Lanes+2*j+1] : SumW'(0));
        end
      end
    end
  end

  // ---- Accumulate: the tree's sum joins the row's partial sum; the last word's gives the row.
  localparam int Top = (Stages - 1) * Lanes;
  logic signed [AccW-1:0] acc_q, acc_d;
  logic top_valid;

  assign top_valid = tok_valid_q[Stages-1];
  assign acc_d = (tok_first_q[Stages-1] ? AccW'(0) : acc_q) + AccW'(lvl_q[Top]);

  always_ff @(posedge clk_i) begin
    if (top_valid) acc_q <= acc_d;
  end

  assign res_valid_o = top_valid && tok_last_q[Stages-1];
  assign res_mat_o = tok_mat_q[Stages-1];
  assign res_par_o = tok_par_q[Stages-1];
  assign res_row_o = tok_row_q[Stages-1];
  if (Scaled != 0) begin : g_scaled
    assign res_val_o = binarized(tok_mat_q[Stages-1])
                       ? ResW'(acc_d) * ResW'(tok_scale_q[Stages-1]) : ResW'(acc_d);
  end else begin : g_plain
    logic unused_scale;
    assign unused_scale = ^{tok_scale_q[Stages-1]};
    assign res_val_o = acc_d;
  end

  `SPARROW_ASSERT(RowHasWords, iss && VarRows != 0 |-> iss_words != '0)
  `SPARROW_ASSERT(KnownMatrix, start_i && rows_i != '0 |-> (mat_i ? HasH != 0 : HasX != 0))
endmodule
