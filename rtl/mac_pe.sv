// One PE of a MAC array (docs/timing.md, "Phases and arrays"). From the cycle a phase starts it
// issues one bank word per cycle, its rows in order; each word's Lanes slots are multiplied by
// the vector entries their indices address, summed by an adder tree and accumulated into the
// row's sum, which leaves the PE A = 3 + clog2(Lanes) cycles after the row's last word issued:
// bank read, multiply, tree levels, accumulate. Weights are binarized when their width is 1.
// With VarRows (unstructured banks) each row has its own word count, from the row-length table
// at the head of the bank image (docs/format.md); a copy of every pass's table is kept in LUT
// RAM, so the issue stage reads the current row's count in the cycle it needs it.
module mac_pe #(
  parameter int Lanes       = 8,
  parameter int HasX        = 1,
  parameter int HasH        = 1,
  parameter int SegBalanced = 1,
  parameter int WxBits      = 8,
  parameter int WhBits      = 8,
  parameter int ActBits     = 8,
  parameter int AccBits     = 32,
  parameter int ScaleBits   = 2,
  parameter int BankBytes   = 1024,
  parameter int Columns     = 16,
  parameter int BeatBytes   = 16,
  parameter int MaxPasses   = 1,
  parameter int ColW        = 16,
  parameter int StepW       = 8,
  parameter int RowW        = 8,
  parameter int ResW        = 64,
  parameter int VarRows     = 0,
  parameter int LenSlot     = 16,  // bytes of the row-length copy per pass (a power of two)
  localparam int PassW = (MaxPasses > 1) ? $clog2(MaxPasses) : 1,
  localparam int AddrW = $clog2(BankBytes)
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  // Weight transfer beats and this PE's bank descriptors (W_x's passes, then W_h's).
  input  logic                         beat_valid_i,
  input  logic [31:0]                  beat_off_i,
  input  logic [8*BeatBytes-1:0]       beat_data_i,
  input  logic [64*MaxPasses-1:0]      desc_off_i,
  input  logic [64*MaxPasses-1:0]      desc_bytes_i,
  input  logic [64*MaxPasses-1:0]      desc_addr_i,
  input  logic [12*MaxPasses-1:0]      desc_len_bits_i,  // row-length entry bits (VarRows)
  // Phase start, the cycle the first word issues.
  input  logic                         start_i,
  input  logic                         start_mat_i,   // 0: W_x, 1: W_h
  input  logic [PassW-1:0]             start_pass_i,
  input  logic [StepW-1:0]             start_step_i,
  input  logic [15:0]                  rows_i,        // this PE's rows
  input  logic [15:0]                  wpr_i,         // words per row (fixed rows)
  input  logic [5:0]                   idx_bits_i,
  input  logic [15:0]                  seg_len_i,
  // Vector reads of the multiply stage: the entries each lane's slot addresses.
  output logic                         rd_mat_o,
  output logic [StepW-1:0]             rd_step_o,
  output logic [Lanes*ColW-1:0]        rd_col_o,
  input  logic [Lanes*ActBits-1:0]     rd_val_i,
  // Row results.
  output logic                         res_valid_o,
  output logic                         res_mat_o,
  output logic [StepW-1:0]             res_step_o,
  output logic [RowW-1:0]              res_row_o,
  output logic signed [ResW-1:0]       res_val_o,
  // Words still to issue after this cycle; a word in the multiply stage (the MAC slot counter).
  output logic                         busy_o,
  output logic                         word_o
);
  localparam int TreeLevels = $clog2(Lanes);

  // Partial sums at tree level s: ceil(Lanes / 2^s).
  function automatic int level_count(input int s);
    level_count = (Lanes + (1 << s) - 1) >> s;
  endfunction
  localparam int Stages = TreeLevels + 1;  // tokens from the multiply stage to the accumulator
  localparam int WinBits = 8 * Columns;
  localparam int VMax = WxBits > WhBits ? WxBits : WhBits;
  localparam int ProdW = ActBits + VMax + 1;       // a product, or +-x for binarized weights
  localparam int SumW = ProdW + TreeLevels;        // the adder tree's sum of Lanes products

  // ---- Issue.
  logic act_q, mat_q;
  logic [StepW-1:0] step_q;
  logic [PassW-1:0] pass_q;
  logic [15:0] row_q, word_q, rows_q, wpr_q, seg_q;
  logic [5:0] ib_q, lb_q;
  logic [31:0] bit_q, base_q;

  logic iss, iss_mat, iss_first, iss_last;
  logic [StepW-1:0] iss_step;
  logic [PassW-1:0] iss_pass;
  logic [15:0] iss_row, iss_word, iss_rows, iss_wpr, iss_seg, iss_len, iss_words;
  logic [5:0] iss_ib, iss_lb;
  logic [31:0] iss_bit, iss_base, iss_wb, iss_scale_bit, iss_table;

  function automatic logic is_binarized(input logic mat);
    is_binarized = mat ? (WhBits == 1) : (WxBits == 1);
  endfunction

  always_comb begin
    iss = 1'b0;
    iss_mat = mat_q;
    iss_step = step_q;
    iss_row = row_q;
    iss_word = word_q;
    iss_rows = rows_q;
    iss_wpr = wpr_q;
    iss_seg = seg_q;
    iss_ib = ib_q;
    iss_lb = VarRows != 0 ? lb_q : 6'd0;
    iss_pass = pass_q;
    iss_base = base_q;
    iss_bit = bit_q;
    if (start_i) begin
      iss = rows_i != 0;
      iss_mat = start_mat_i;
      iss_step = start_step_i;
      iss_pass = start_pass_i;
      iss_row = '0;
      iss_word = '0;
      iss_rows = rows_i;
      iss_wpr = wpr_i;
      iss_seg = seg_len_i;
      iss_ib = idx_bits_i;
      iss_lb = VarRows != 0 ? desc_len_bits_i[6*(MaxPasses*32'(start_mat_i)+32'(start_pass_i))+:6]
                            : 6'd0;
      iss_base = desc_addr_i[32*(MaxPasses*32'(start_mat_i)+32'(start_pass_i))+:32];
    end else if (act_q) begin
      iss = 1'b1;
    end
    // The bank image: the row-length table (VarRows), the row scales (binarized), the words.
    iss_table = (iss_base << 3) + 32'(iss_rows) * 32'(iss_lb);
    if (start_i) begin
      iss_bit = iss_table + (is_binarized(start_mat_i) ? 32'(rows_i) * ScaleBits : 32'd0);
    end
    iss_scale_bit = iss_table + 32'(iss_row) * ScaleBits;
    iss_wb = Lanes * (32'(iss_mat ? WhBits : WxBits) + 32'(iss_ib));
  end

  // The current row's words: fixed, or its entry in the row-length table.
  always_comb begin
    iss_words = VarRows != 0 ? iss_len : iss_wpr;
    iss_first = iss_word == 0;
    iss_last = iss_word == iss_words - 16'd1;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      act_q <= 1'b0;
    end else if (iss) begin
      act_q <= !(iss_last && iss_row == iss_rows - 16'd1);
      mat_q <= iss_mat;
      step_q <= iss_step;
      pass_q <= iss_pass;
      lb_q <= iss_lb;
      rows_q <= iss_rows;
      wpr_q <= iss_wpr;
      seg_q <= iss_seg;
      ib_q <= iss_ib;
      base_q <= iss_base;
      bit_q <= iss_bit + iss_wb;
      row_q <= iss_last ? iss_row + 16'd1 : iss_row;
      word_q <= iss_last ? 16'd0 : iss_word + 16'd1;
    end
  end

  assign busy_o = act_q;

  // ---- Row lengths (VarRows): the first LenSlot bytes of each pass's bank image, pass k at
  // byte k LenSlot of a LUT RAM copy; the issue stage reads the current row's entry.
  localparam int LenCols = 1 << $clog2(BeatBytes > 4 ? BeatBytes : 4);
  localparam int LenSlotE = LenSlot > LenCols ? LenSlot : LenCols;
  localparam int LenNeed = MaxPasses * LenSlotE > 2 * LenCols ? MaxPasses * LenSlotE : 2 * LenCols;
  localparam int LenBytes = 1 << $clog2(LenNeed);
  if (VarRows != 0) begin : g_len
    logic [8*LenCols-1:0] len_win[2];
    logic [31:0] len_bit;
    assign len_bit = 32'(iss_row) * 32'(iss_lb);
    for (genvar m = 0; m < 2; m++) begin : g_mat
      if ((m == 0 && HasX != 0) || (m == 1 && HasH != 0)) begin : g_on
        logic [32*MaxPasses-1:0] bytes, addr;
        logic [8*LenCols-1:0] unused_b;
        logic unused;
        always_comb begin
          for (int k = 0; k < MaxPasses; k++) begin
            logic [31:0] b;
            b = desc_bytes_i[32*(MaxPasses*m+k)+:32];
            bytes[32*k+:32] = b < LenSlotE ? b : LenSlotE;
            addr[32*k+:32] = 32'(k) * LenSlotE;
          end
        end
        assign unused = ^unused_b;
        weight_bank #(
          .BankBytes(LenBytes),
          .Columns  (LenCols),
          .BeatBytes(BeatBytes),
          .MaxPasses(MaxPasses),
          .AsyncRead(1)
        ) u_len (
          .clk_i,
          .beat_valid_i,
          .beat_off_i,
          .beat_data_i,
          .desc_off_i   (desc_off_i[32*MaxPasses*m+:32*MaxPasses]),
          .desc_bytes_i (bytes),
          .desc_addr_i  (addr),
          .rd_a_addr_i  ($clog2(LenBytes)'(32'(iss_pass) * LenSlotE + (len_bit >> 3))),
          .rd_a_window_o(len_win[m]),
          .rd_b_addr_i  ('0),
          .rd_b_window_o(unused_b)
        );
      end else begin : g_off
        assign len_win[m] = '0;
      end
    end
    assign iss_len = 16'((len_win[iss_mat] >> len_bit[2:0]) & ((1 << iss_lb) - 1));
  end else begin : g_fixed
    // Fixed rows: no row-length table.
    logic unused_len;
    assign unused_len = ^desc_len_bits_i;
    assign iss_len = '0;
  end

  // ---- Banks: port A reads words, port B the row scales of binarized weights.
  logic [WinBits-1:0] win_a[2], win_b[2];
  for (genvar m = 0; m < 2; m++) begin : g_bank
    if ((m == 0 && HasX != 0) || (m == 1 && HasH != 0)) begin : g_on
      weight_bank #(
        .BankBytes(BankBytes),
        .Columns  (Columns),
        .BeatBytes(BeatBytes),
        .MaxPasses(MaxPasses)
      ) u_bank (
        .clk_i,
        .beat_valid_i,
        .beat_off_i,
        .beat_data_i,
        .desc_off_i   (desc_off_i[32*MaxPasses*m+:32*MaxPasses]),
        .desc_bytes_i (desc_bytes_i[32*MaxPasses*m+:32*MaxPasses]),
        .desc_addr_i  (desc_addr_i[32*MaxPasses*m+:32*MaxPasses]),
        .rd_a_addr_i  (AddrW'(iss_bit >> 3)),
        .rd_a_window_o(win_a[m]),
        .rd_b_addr_i  (AddrW'(iss_scale_bit >> 3)),
        .rd_b_window_o(win_b[m])
      );
    end else begin : g_off
      // No bank of this matrix in this array: its descriptors go unused.
      logic unused_desc;
      assign unused_desc = ^{desc_off_i[32*MaxPasses*m+:32*MaxPasses],
                             desc_bytes_i[32*MaxPasses*m+:32*MaxPasses]};
      assign win_a[m] = '0;
      assign win_b[m] = '0;
    end
  end

  // ---- Multiply stage: the word is in the window.
  logic t1_valid, t1_mat, t1_first, t1_last;
  logic [StepW-1:0] t1_step;
  logic [15:0] t1_row, t1_seg;
  logic [5:0] t1_ib;
  logic [2:0] t1_lo, t1_scale_lo;

  assign word_o = t1_valid;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      t1_valid <= 1'b0;
    end else begin
      t1_valid <= iss;
      t1_mat <= iss_mat;
      t1_step <= iss_step;
      t1_first <= iss_first;
      t1_last <= iss_last;
      t1_row <= iss_row;
      t1_seg <= iss_seg;
      t1_ib <= iss_ib;
      t1_lo <= iss_bit[2:0];
      t1_scale_lo <= iss_scale_bit[2:0];
    end
  end

  logic [WinBits-1:0] word;
  logic signed [ScaleBits-1:0] t1_scale;
  logic signed [ProdW-1:0] prod[Lanes];
  logic [WinBits-1:0] slot[Lanes];
  logic [31:0] vbits;

  // The slots of the word and the vector entries they address.
  always_comb begin
    logic [31:0] sw;
    word = t1_valid ? win_a[t1_mat] >> t1_lo : '0;
    vbits = t1_mat ? WhBits : WxBits;
    sw = vbits + 32'(t1_ib);
    for (int j = 0; j < Lanes; j++) begin
      logic [31:0] idx;
      slot[j] = t1_valid ? word >> (32'(j) * sw) : '0;
      idx = 32'((slot[j] >> vbits) & ((WinBits'(1) << t1_ib) - WinBits'(1)));
      rd_col_o[j*ColW+:ColW] = ColW'(SegBalanced != 0 ? 32'(j) * 32'(t1_seg) + idx : idx);
    end
    rd_mat_o = t1_mat;
    rd_step_o = t1_step;
  end

  always_comb begin
    t1_scale = signed'(ScaleBits'(win_b[t1_mat] >> t1_scale_lo));
    for (int j = 0; j < Lanes; j++) begin
      logic signed [ProdW-1:0] value, x;
      value = t1_mat ? ProdW'(signed'(slot[j][WhBits-1:0])) : ProdW'(signed'(slot[j][WxBits-1:0]));
      x = ProdW'(signed'(rd_val_i[j*ActBits+:ActBits]));
      if (is_binarized(t1_mat)) prod[j] = slot[j][0] ? x : -x;
      else prod[j] = value * x;
    end
  end

  // ---- Adder tree: level 0 holds the products, each level halves the count.
  logic signed [SumW-1:0] lvl_q[Stages * Lanes];
  logic tok_valid_q[Stages], tok_mat_q[Stages], tok_first_q[Stages], tok_last_q[Stages];
  logic [StepW-1:0] tok_step_q[Stages];
  logic [15:0] tok_row_q[Stages];
  logic signed [ScaleBits-1:0] tok_scale_q[Stages];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      for (int s = 0; s < Stages; s++) tok_valid_q[s] <= 1'b0;
    end else begin
      tok_valid_q[0] <= t1_valid;
      tok_mat_q[0] <= t1_mat;
      tok_step_q[0] <= t1_step;
      tok_first_q[0] <= t1_first;
      tok_last_q[0] <= t1_last;
      tok_row_q[0] <= t1_row;
      tok_scale_q[0] <= t1_scale;
      for (int j = 0; j < Lanes; j++) lvl_q[j] <= SumW'(prod[j]);
      for (int s = 1; s < Stages; s++) begin
        tok_valid_q[s] <= tok_valid_q[s-1];
        tok_mat_q[s] <= tok_mat_q[s-1];
        tok_step_q[s] <= tok_step_q[s-1];
        tok_first_q[s] <= tok_first_q[s-1];
        tok_last_q[s] <= tok_last_q[s-1];
        tok_row_q[s] <= tok_row_q[s-1];
        tok_scale_q[s] <= tok_scale_q[s-1];
        for (int j = 0; j < Lanes; j++) begin
          if (j < level_count(s)) begin
            lvl_q[s*Lanes+j] <= lvl_q[(s-1)*Lanes+2*j]
                + ((2 * j + 1 < level_count(s - 1)) ? lvl_q[(s-1)*Lanes+2*j+1] : SumW'(0));
          end
        end
      end
    end
  end

  // ---- Accumulate: the tree's sum joins the row's partial sum; the last word's gives the row.
  localparam int Top = (Stages - 1) * Lanes;
  // The accumulator register wraps at AccBits, as the contract's wrap does.
  logic signed [AccBits-1:0] acc_q, acc_d;
  logic top_valid, top_first, top_last, top_mat;

  assign top_valid = tok_valid_q[Stages-1];
  assign top_first = tok_first_q[Stages-1];
  assign top_last = tok_last_q[Stages-1];
  assign top_mat = tok_mat_q[Stages-1];
  assign acc_d = (top_first ? AccBits'(0) : acc_q) + AccBits'(lvl_q[Top]);

  always_ff @(posedge clk_i) begin
    if (top_valid) acc_q <= acc_d;
  end

  assign res_valid_o = top_valid && top_last;
  assign res_mat_o = top_mat;
  assign res_step_o = tok_step_q[Stages-1];
  assign res_row_o = RowW'(tok_row_q[Stages-1]);
  assign res_val_o = is_binarized(top_mat) ? ResW'(acc_d) * ResW'(tok_scale_q[Stages-1]) : ResW'(acc_d);
endmodule
