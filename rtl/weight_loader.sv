// The shared weight-load path (docs/rtl.md, "Loading the weights"): it walks the load
// descriptors in DRAM order while the weight transfer's beats arrive, one region per beat (every
// region starts at a beat boundary, docs/format.md), and turns each beat into bank writes:
// - the side table at the head of a bank image (row lengths or row scales, whole bytes per
//   entry) goes to the PE's table RAM a beat at a time, as it is;
// - the bank words that follow (a slot of value and index per lane of the matrix's array,
//   XLanes or HLanes, the index IdxBits wide in DRAM)
//   are cut out of the bit stream and widened to the on-chip word, every slot's index field
//   IdxMax bits wide, up to Items words per beat;
// - a bias block is cut into units (the four rows' biases of one hidden unit).
// The cutting is one barrel shift that brings the next item's first bit to bit 0 of the beats
// still held (the window), and fixed slices of the result for each index width. A beat's
// writes leave the loader the cycle after it comes in (the DMA registered it already), so the
// banks hold it two cycles after it arrived (docs/timing.md, the load latency). A W_r bank (a
// build with Proj) is cut as W_h words. A descriptor this build cannot load (a W_r bank without
// Proj, an index width outside 1 to its bank's index field XIdx, HIdx or RIdx, bank words so
// narrow that a beat completes more than Items) raises fault_o with its region's first beat:
// the run stops there (STATUS.ERROR), and the loader writes nothing of that region.
//
// Streamed weights (stream_i): the regions come in the order the DMA walked them (its queue),
// not in table order. A region the banks already hold (the same pass) is read and not written;
// a W_x or W_h region goes to the banks as pass 0 (a bank holds the pass being run). The last
// beat of a phase's read raises phase_done_o (registered), so the controller sees the phase's
// weights in the banks two cycles after that beat arrived, as the on-chip load.
module weight_loader #(
  parameter int  BeatBytes  = 16,
  parameter int  XLanes     = 8,   // lanes of the W_x array's PEs (a W_x word's slots)
  parameter int  HLanes     = 8,
  parameter int  WxBits     = 8,   // value bits in a W_x slot (1: binarized)
  parameter int  WhBits     = 8,
  parameter int  IdxMax     = 4,   // the items' index field: the widest of the banks'
  parameter int  XIdx       = 4,   // the W_x banks' index field
  parameter int  HIdx       = 4,
  parameter int  RIdx       = 4,
  parameter int  BiasBytes  = 2,   // bytes of one bias value in DRAM
  parameter int  MaxRegions = 33,
  parameter int  Items      = 2,   // most items one beat completes
  parameter int  Stream     = 0,   // the build streams weights (the DMA's queue is used)
  parameter int  Proj       = 0,   // the build loads W_r banks
  localparam int ItemWx     = XLanes * (WxBits + IdxMax),
  localparam int ItemWh     = HLanes * (WhBits + IdxMax),
  localparam int UnitW      = 32 * BiasBytes,
  localparam int ItemXH     = ItemWx > ItemWh ? ItemWx : ItemWh,
  localparam int ItemW      = ItemXH > UnitW ? ItemXH : UnitW,
  localparam int RegionW    = MaxRegions > 1 ? $clog2(MaxRegions) : 1,
  localparam int QueueW     = RegionW + 3
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  input  logic                             start_i,
  // Streamed weights: the mode, the DMA's queue of walked regions ({W_h, fresh, last of its
  // phase's read, region}), and a phase read's end (which array's).
  input  logic                             stream_i,
  input  logic                             queue_valid_i,
  input  logic [QueueW-1:0]                queue_i,
  output logic                             queue_pop_o,
  output logic                             phase_done_o,
  output logic                             phase_h_o,
  // Weight beats, registered by the DMA.
  input  logic                             beat_valid_i,
  input  logic [8*BeatBytes-1:0]           beat_data_i,
  // The descriptor table (asynchronous read) and its length.
  output logic [RegionW-1:0]               desc_addr_o,
  input  sparrow_reg_pkg::region_desc_t        desc_i,
  // Writes, registered: the region's target, its first beat, a table beat, the items.
  output sparrow_reg_pkg::region_target_t      target_o,
  output logic                             region_start_o,
  output logic                             table_we_o,
  output logic [8*BeatBytes-1:0]           table_data_o,
  output logic [Items-1:0]                 item_valid_o,
  output logic [Items*ItemW-1:0]           item_data_o,
  output logic                             fault_o
);
  `include "sparrow_assert.svh"

  localparam int BeatW = 8 * BeatBytes;
  // The window holds the beats an item can span plus the new one.
  localparam int WinBeats = (ItemW + BeatW - 1 + BeatW - 1) / BeatW;
  localparam int WinW = WinBeats * BeatW;
  // Positions in the window, and the ends of up to Items items past it.
  localparam int PosW = $clog2(WinW + Items * ItemW + 1);
  localparam int BeatIdxW = 32 - $clog2(BeatBytes);
  localparam int ByteOffW = BeatBytes > 1 ? $clog2(BeatBytes) : 1;

  // ---- The current region: its descriptor, registered when the region begins.
  sparrow_reg_pkg::region_target_t target_q;
  sparrow_reg_pkg::region_format_t format_q;
  logic [RegionW-1:0] region_q;
  logic [BeatIdxW-1:0] beat_q, last_beat_q, first_word_beat_q, table_beats_q;
  logic [31:0] left_q;  // items not yet cut
  logic [31:0] n_cut;   // the items this beat completes
  logic [PosW-1:0] pos_q;  // the next item's first bit in the window
  logic [PosW-1:0] step_q[Items];  // (k + 1) x the item width
  logic [WinW-BeatW-1:0] win_q;  // the beats before the newest
  logic ok_q;  // the current region's descriptor is one this build loads
  // Streamed: no region is current (the queue was empty when the last one ended); the current
  // region is written (the banks do not hold its pass yet), ends its phase's read, is W_h's.
  logic idle_q, fresh_q, glast_q, gh_q;
  logic streamed, fresh;
  assign streamed = Stream != 0 && stream_i;
  assign fresh = !streamed || fresh_q;

  // The next region's descriptor: region 0 at the start, else the one after the current;
  // streamed, the queue's first.
  assign desc_addr_o = streamed ? queue_i[RegionW-1:0]
                                : (start_i ? '0 : region_q + RegionW'(1));

  // A descriptor this build loads: biases, or a W_x, W_h or (Proj) W_r bank whose index width
  // is 1 to its bank's index field and whose words are wide enough that a beat completes at most
  // Items of them.
  function automatic logic loadable(input sparrow_reg_pkg::region_e kind, input logic [7:0] idx);
    logic [31:0] w, field;
    w = kind == sparrow_reg_pkg::RegionWx ? XLanes * (WxBits + 32'(idx))
                                          : HLanes * (WhBits + 32'(idx));
    field = kind == sparrow_reg_pkg::RegionWx ? XIdx
            : (kind == sparrow_reg_pkg::RegionWh ? HIdx : RIdx);
    if (kind == sparrow_reg_pkg::RegionBias) loadable = 1'b1;
    else if (kind == sparrow_reg_pkg::RegionWr && Proj == 0) loadable = 1'b0;
    else loadable = idx >= 8'd1 && 32'(idx) <= field && 32'(Items) * w >= 32'(BeatW);
  endfunction

  logic take;
  always_comb begin
    if (streamed) take = !start_i && queue_valid_i && (idle_q || (beat_valid_i && last_beat));
    else take = start_i || (beat_valid_i && last_beat);
  end
  assign queue_pop_o = streamed && take;
  assign fault_o = beat_valid_i && !ok_q;

  function automatic logic [PosW-1:0] item_width(input sparrow_reg_pkg::region_e kind,
                                                 input logic [7:0] idx_bits);
    logic [PosW-1:0] v;
    unique case (kind)
      sparrow_reg_pkg::RegionWx: v = PosW'(XLanes * (WxBits + 32'(idx_bits)));
      sparrow_reg_pkg::RegionWh: v = PosW'(HLanes * (WhBits + 32'(idx_bits)));
      sparrow_reg_pkg::RegionWr:
        v = Proj != 0 ? PosW'(HLanes * (WhBits + 32'(idx_bits))) : PosW'(UnitW);
      default: v = PosW'(UnitW);
    endcase
    item_width = v;
  endfunction

  // A region's beats: ceil(bytes / BeatBytes); the words start in beat table_bytes / BeatBytes.
  function automatic logic [BeatIdxW-1:0] beats_of(input logic [31:0] bytes);
    beats_of = BeatIdxW'((bytes >> $clog2(BeatBytes)) + 32'((bytes & 32'(BeatBytes - 1)) != '0));
  endfunction

  logic last_beat, words_beat, first_word_beat;
  assign last_beat = beat_q == last_beat_q;
  assign words_beat = beat_q >= first_word_beat_q;
  assign first_word_beat = beat_q == first_word_beat_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      idle_q <= 1'b1;
      fresh_q <= 1'b1;
      glast_q <= 1'b0;
      gh_q <= 1'b0;
    end else if (start_i) begin
      idle_q <= streamed;
      fresh_q <= 1'b1;
      glast_q <= 1'b0;
    end else if (streamed) begin
      if (take) begin
        idle_q <= 1'b0;
        fresh_q <= queue_i[RegionW+1];
        glast_q <= queue_i[RegionW];
        gh_q <= queue_i[RegionW+2];
      end else if (beat_valid_i && last_beat) begin
        idle_q <= 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      region_q <= '0;
      beat_q <= '0;
      ok_q <= 1'b1;
    end else if (take) begin
      // Load the next region's descriptor (region 0 at the start).
      logic [PosW-1:0] w;
      ok_q <= loadable(desc_i.target.kind, desc_i.format.idx_bits);
      w = item_width(desc_i.target.kind, desc_i.format.idx_bits);
      target_q <= desc_i.target;
      if (streamed && desc_i.target.kind != sparrow_reg_pkg::RegionBias) target_q.pass <= '0;
      format_q <= desc_i.format;
      region_q <= start_i ? '0 : region_q + RegionW'(1);
      beat_q <= '0;
      last_beat_q <= beats_of(desc_i.bytes) - BeatIdxW'(1);
      table_beats_q <= beats_of(32'(desc_i.format.table_bytes));
      first_word_beat_q <= BeatIdxW'(32'(desc_i.format.table_bytes) >> $clog2(BeatBytes));
      left_q <= desc_i.items;
      for (int k = 0; k < Items; k++) step_q[k] <= PosW'((k + 1) * 32'(w));
    end else if (beat_valid_i) begin
      beat_q <= beat_q + BeatIdxW'(1);
      if (words_beat) left_q <= left_q - n_cut;
    end
  end

  // ---- Cutting: the window after this beat, the next item's position, the items it completes.
  logic [WinW-1:0] win;
  logic [PosW-1:0] pos;
  logic [Items-1:0] complete;
  logic [ByteOffW-1:0] word_byte;

  assign win = {beat_data_i, win_q};
  assign word_byte = ByteOffW'(format_q.table_bytes);
  // The words begin at their byte of the newest beat, later items where the last one ended.
  assign pos = first_word_beat ? PosW'(WinW - BeatW) + PosW'({word_byte, 3'b000})
                               : pos_q - PosW'(BeatW);

  always_comb begin
    n_cut = '0;
    for (int k = 0; k < Items; k++) begin
      complete[k] = words_beat && 32'(k) < left_q && 32'(pos) + 32'(step_q[k]) <= WinW;
      if (complete[k]) n_cut = 32'(k + 1);
    end
  end

  // Item k of the window's items starts at k times its width: a fixed slice for each width the
  // region can have. A bank word's IdxBits-wide index fields are widened: slot j of ValueBits
  // value bits and IdxBits index bits becomes {index zero-extended to IdxMax bits, value}.
  function automatic logic [ItemW-1:0] widen(input logic [WinW-1:0] src, input int lanes,
                                             input int value_bits, input int idx_bits);
    logic [ItemW-1:0] out;
    out = '0;
    for (int j = 0; j < lanes; j++) begin
      for (int b = 0; b < value_bits; b++)
        out[j*(value_bits+IdxMax)+b] = src[j*(value_bits+idx_bits)+b];
      for (int b = 0; b < idx_bits; b++)
        out[j*(value_bits+IdxMax)+value_bits+b] = src[j*(value_bits+idx_bits)+value_bits+b];
    end
    widen = out;
  endfunction

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      region_start_o <= 1'b0;
      table_we_o <= 1'b0;
      item_valid_o <= '0;
    end else begin
      region_start_o <= beat_valid_i && beat_q == '0 && ok_q && fresh;
      table_we_o <= beat_valid_i && beat_q < table_beats_q && ok_q && fresh;
      item_valid_o <= beat_valid_i && ok_q && fresh ? complete : '0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) phase_done_o <= 1'b0;
    else phase_done_o <= streamed && beat_valid_i && last_beat && glast_q && !idle_q;
    phase_h_o <= gh_q;
  end

  // The slice a region's items are cut at, one-hot: by its kind and index width (an AND-OR of
  // the slices, not a chain of multiplexers: at ptb-medium's 7-bit index fields the loader is
  // then about 1,400 LUTs smaller). Each slice is ORed in under its select, so that a simulator
  // widens only the selected one.
  logic [IdxMax-1:0] sel_x, sel_h;
  logic sel_unit;
  always_comb begin
    for (int i = 1; i <= IdxMax; i++) begin
      sel_x[i-1] = 32'(format_q.idx_bits) == i && target_q.kind == sparrow_reg_pkg::RegionWx;
      sel_h[i-1] = 32'(format_q.idx_bits) == i && (target_q.kind == sparrow_reg_pkg::RegionWh
                   || (Proj != 0 && target_q.kind == sparrow_reg_pkg::RegionWr));
    end
    sel_unit = sel_x == '0 && sel_h == '0;
  end

  always_ff @(posedge clk_i) begin
    target_o <= target_q;
    table_data_o <= beat_data_i;
    // The items are cut only when a beat comes (the registers keep their value otherwise, and a
    // simulator evaluates the cutting only then).
    if (beat_valid_i) begin
      logic [WinW-1:0] shifted;
      shifted = win >> pos;
      for (int k = 0; k < Items; k++) begin
        logic [ItemW-1:0] v;
        v = sel_unit ? ItemW'(shifted >> (k * UnitW)) : '0;
        for (int i = 1; i <= IdxMax; i++) begin
          if (sel_x[i-1]) v |= widen(shifted >> (k * XLanes * (WxBits + i)), XLanes, WxBits, i);
          if (sel_h[i-1]) v |= widen(shifted >> (k * HLanes * (WhBits + i)), HLanes, WhBits, i);
        end
        item_data_o[k*ItemW+:ItemW] <= v;
      end
    end
    if (beat_valid_i) begin
      win_q <= win[WinW-1:BeatW];
      if (words_beat) pos_q <= pos + (n_cut == 0 ? '0 : step_q[n_cut == 0 ? 0 : n_cut-1]);
    end
  end

  // Items covers every beat: the item after the last one cut is never complete.
  logic items_cover;
  assign items_cover = 32'(Items) >= left_q
                       || 32'(pos) + 32'(step_q[Items-1]) + 32'(step_q[0]) > WinW;
  `SPARROW_ASSERT(BeatOfARegion, streamed && beat_valid_i |-> !idle_q)
  `SPARROW_ASSERT(ItemsPerBeat, beat_valid_i && words_beat && ok_q |-> items_cover)
  `SPARROW_ASSERT(IndexFits, beat_valid_i && ok_q && target_q.kind != sparrow_reg_pkg::RegionBias
                  |-> format_q.idx_bits >= 8'd1 && 32'(format_q.idx_bits) <= IdxMax)
endmodule
