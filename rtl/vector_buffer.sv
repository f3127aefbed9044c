// The vectors the MAC arrays read and the write channel sends (docs/rtl.md, "Storage"):
// - the input store: the pass's input sequence x_t as its beats arrive (block RAM, a beat per
//   word, rows in processing order);
// - the transposer: moves x_t from the store into the X operand rings one value per cycle, once
//   x_t is stored, the previous step is moved and X_{t-S} has finished reading its slot
//   (docs/timing.md, "The input transposer"; S = XSlots, x_block + 1);
// - the operand rings (operand_ring): per lane its segment of x_t (S slots, x_t in slot t mod S)
//   and of h_{t-1} (two slots by step parity: h_t in slot t mod 2, read by H_{t+1}; in batches
//   of B, B + 1 slots: h_v in slot v mod (B + 1), read by H_{v+B}), so lane j
//   of a PE only ever reads
//   segment j (docs/format.md): XLanes X rings read by the XPes PEs of the W_x array (or the
//   shared array), HLanes H rings read by the HPes PEs of the W_h array. The gate unit
//   writes h_t into the H rings GateLanes units a cycle, each at its lane and offset, the H
//   rings being GateLanes-way sub-banked by offset;
// - with projection (Proj): the U rings, per lane its segment of the unprojected hidden vector of
//   the step (one slot), which the gate unit writes as it writes h_t without projection and the
//   R phase reads (u_val_o); the state (the H rings, and the output store) is then r_t, which the
//   gate unit writes from the R phase's rows;
// - the output store: h_t of every step of the last two passes (block RAM, one bank per unit mod
//   OutBanks), read a beat at a time for the write channel, one cycle ahead of the beat.
// Each lane's valid length (its segment's entries inside the vector; the rest are the padding
// columns of a short last segment, whose entries are zero) goes to the PEs, which zero those
// products, and h_{-1}'s (the H phase of step 0), in their product registers.
module vector_buffer #(
  parameter int XPes        = 16,
  parameter int XLanes      = 8,
  parameter int HPes        = 16,
  parameter int HLanes      = 8,
  parameter int ActBits     = 8,
  parameter int IdxMax      = 4,
  parameter int BeatBytes   = 16,
  parameter int GateLanes   = 4,
  parameter int MaxSteps    = 8,
  parameter int MaxIn       = 64,
  parameter int MaxH        = 64,
  parameter int SegBalanced = 1,
  parameter int Proj        = 0,
  parameter int XSlots      = 2,   // S: the X rings' slots (x_block + 1)
  parameter int MaxBatch    = 1,   // the H rings' slots: MaxBatch + 1
  localparam int XSlotW = $clog2(XSlots),
  localparam int HSlots = MaxBatch + 1,
  localparam int HSlotW = $clog2(HSlots),
  localparam int StepW  = $clog2(MaxSteps + 1),
  localparam int UnitW  = $clog2(MaxH + 1),
  localparam int XLaneW = XLanes > 1 ? $clog2(XLanes) : 1,
  localparam int HLaneW = HLanes > 1 ? $clog2(HLanes) : 1,
  localparam int OffW   = IdxMax
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  // The pass: its first cycle, its input size and segment length, steps; the run's state.
  input  logic                            pass_start_i,
  input  logic [15:0]                     in_size_i,
  input  logic [15:0]                     x_seg_i,
  input  logic [StepW-1:0]                steps_i,
  input  logic [15:0]                     h_size_i,
  input  logic [15:0]                     h_seg_i,
  // With projection: the unprojected hidden vector's size (H) and segment length (WR_SEG).
  input  logic [15:0]                     u_size_i,
  input  logic [15:0]                     u_seg_i,
  // Input beats (registered by the DMA), in order.
  input  logic                            in_valid_i,
  input  logic [8*BeatBytes-1:0]          in_data_i,
  // X phases of the pass that have finished issuing (this cycle included); steps transposed
  // (this cycle's last write included).
  input  logic [StepW-1:0]                x_fin_i,
  output logic [StepW-1:0]                xt_done_o,
  // Lane reads of the multiply stages (slot and offset per PE and lane), the entries read: x
  // for the W_x array's PEs, h for the W_h array's (a shared array reads both).
  input  logic [XPes*XSlotW-1:0]          x_rd_par_i,
  input  logic [XPes*XLanes*IdxMax-1:0]   x_rd_idx_i,
  output logic [XPes*XLanes*ActBits-1:0]  x_val_o,
  input  logic [HPes*HSlotW-1:0]          h_rd_par_i,
  input  logic [HPes*HLanes*IdxMax-1:0]   h_rd_idx_i,
  output logic [HPes*HLanes*ActBits-1:0]  h_val_o,
  output logic [HPes*HLanes*ActBits-1:0]  u_val_o,  // the same reads of the U rings
  // Each lane's valid length of x_t (this pass) and of h (the run).
  output logic [XLanes*(IdxMax+1)-1:0]    x_valid_o,
  output logic [HLanes*(IdxMax+1)-1:0]    h_valid_o,
  output logic [HLanes*(IdxMax+1)-1:0]    u_valid_o,
  // The gate unit's writes of h_t (or r_t): per gate lane its unit, lane and offset; to the U
  // rings instead (the unprojected h_t of a projection).
  input  logic [GateLanes-1:0]            h_valid_i,
  input  logic                            h_to_u_i,
  input  logic                            h_par_i,  // the pass's parity (output store set)
  input  logic [StepW-1:0]                h_step_i,
  input  logic [HSlotW-1:0]               h_slot_i,  // the step's H slot
  input  logic [GateLanes*UnitW-1:0]      h_unit_i,
  input  logic [GateLanes*HLaneW-1:0]     h_lane_i,
  input  logic [GateLanes*OffW-1:0]       h_off_i,
  input  logic [GateLanes*ActBits-1:0]    h_val_i,
  // The write channel: the beat to present next cycle (pass parity, step, beat), its data.
  input  logic                            out_par_i,
  input  logic [StepW-1:0]                out_step_i,
  input  logic [15:0]                     out_beat_i,
  output logic [8*BeatBytes-1:0]          out_data_o
);
  `include "sparrow_assert.svh"

  localparam int Ab = (ActBits + 7) / 8;
  localparam int SegCap = 1 << IdxMax;
  localparam int ByteW = BeatBytes > 1 ? $clog2(BeatBytes) : 1;

  // ---- The input store: a beat per word, rows at a running address.
  localparam int RowBeats = (MaxIn * Ab + BeatBytes - 1) / BeatBytes;
  localparam int StoreWords = MaxSteps * RowBeats;
  localparam int SAddrW = StoreWords > 1 ? $clog2(StoreWords) : 1;
  logic [SAddrW-1:0] swr_q, srd;
  logic [15:0] row_beats, sbeat_q;
  logic [StepW-1:0] stored_q;
  logic [8*BeatBytes-1:0] sword;

  assign row_beats = 16'((32'(in_size_i) * Ab + BeatBytes - 1) >> $clog2(BeatBytes));

  always_ff @(posedge clk_i) begin
    if (!rst_ni || pass_start_i) begin
      swr_q <= '0;
      sbeat_q <= '0;
      stored_q <= '0;
    end else if (in_valid_i) begin
      swr_q <= swr_q + SAddrW'(1);
      if (sbeat_q == row_beats - 16'd1) begin
        sbeat_q <= '0;
        stored_q <= stored_q + StepW'(1);
      end else begin
        sbeat_q <= sbeat_q + 16'd1;
      end
    end
  end

  ram_sdp #(
    .Width(8 * BeatBytes),
    .Depth(StoreWords)
  ) u_store (
    .clk_i,
    .we_i   (in_valid_i),
    .waddr_i(swr_q),
    .wdata_i(in_data_i),
    .raddr_i(srd),
    .rdata_o(sword)
  );

  // ---- The transposer. Stage A presents value v's store word; stage B, a cycle later, takes
  // the value out of the word and writes it into its lane's ring.
  logic a_act_q, b_act_q, b_last_q;
  logic [XSlotW-1:0] t_slot_q, b_slot_q;  // x_t's slot: t mod S
  logic [StepW-1:0] tt_q, xt_q;
  logic [15:0] v_q, aoff_q, boff_q;
  logic [XLaneW-1:0] alane_q, blane_q;
  logic [SAddrW-1:0] rbase_q, aword_q;
  logic [ByteW-1:0] abyte_q, bbyte_q;
  logic t_start;

  assign t_start = !pass_start_i && !a_act_q && tt_q < steps_i && stored_q > tt_q
                   && (32'(tt_q) < XSlots || 32'(x_fin_i) + XSlots - 1 >= 32'(tt_q));
  assign srd = t_start ? rbase_q : aword_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni || pass_start_i) begin
      a_act_q <= 1'b0;
      b_act_q <= 1'b0;
      tt_q <= '0;
      t_slot_q <= '0;
      xt_q <= '0;
      rbase_q <= '0;
    end else begin
      b_act_q <= a_act_q || t_start;
      if (b_act_q && b_last_q) xt_q <= xt_q + StepW'(1);
      if (t_start || a_act_q) begin
        logic [15:0] v, off;
        logic [XLaneW-1:0] lane;
        logic [SAddrW-1:0] word;
        logic [ByteW:0] nb;
        v = t_start ? '0 : v_q;
        off = t_start ? '0 : aoff_q;
        lane = t_start ? '0 : alane_q;
        word = t_start ? rbase_q : aword_q;
        nb = {1'b0, t_start ? ByteW'(0) : abyte_q};
        // Stage B takes this value.
        b_last_q <= v == in_size_i - 16'd1;
        b_slot_q <= t_slot_q;
        blane_q <= lane;
        boff_q <= off;
        bbyte_q <= ByteW'(nb);
        // Stage A moves on: the next value, its lane and offset, its word and byte.
        a_act_q <= v != in_size_i - 16'd1;
        v_q <= v + 16'd1;
        if (off == x_seg_i - 16'd1) begin
          aoff_q <= '0;
          alane_q <= lane + XLaneW'(1);
        end else begin
          aoff_q <= off + 16'd1;
          alane_q <= lane;
        end
        nb = nb + (ByteW+1)'(Ab);
        abyte_q <= BeatBytes > 1 ? ByteW'(nb) : '0;
        aword_q <= (BeatBytes == 1 || nb[ByteW]) ? word + SAddrW'(1) : word;
        if (v == in_size_i - 16'd1) begin
          tt_q <= tt_q + StepW'(1);
          t_slot_q <= 32'(t_slot_q) == XSlots - 1 ? '0 : t_slot_q + XSlotW'(1);
          rbase_q <= rbase_q + SAddrW'(row_beats);
        end
      end
    end
  end

  assign xt_done_o = pass_start_i ? '0 : xt_q + StepW'(b_act_q && b_last_q);

  logic [ActBits-1:0] xval;
  assign xval = ActBits'(sword >> (8 * 32'(bbyte_q)));

  // ---- Valid lengths: lane j's segment holds entries jS .. jS + S - 1 of a vector of n (the
  // segment starts by additions: jS is lane j - 1's start plus S). Set at a pass start, for the
  // pass's first reads (an H phase's in the next cycle).
  localparam int VW = IdxMax + 1;
  localparam int MaxLanes = XLanes > HLanes ? XLanes : HLanes;
  function automatic logic [MaxLanes*VW-1:0] lanes_valid(input logic [15:0] n,
                                                         input logic [15:0] s, input int lanes);
    logic [31:0] lo;
    lo = '0;
    lanes_valid = '0;
    for (int j = 0; j < MaxLanes; j++) begin
      if (j < lanes) lanes_valid[j*VW+:VW] = VW'(seg_valid(n, s, lo));
      lo = lo + 32'(s);
    end
  endfunction

  always_ff @(posedge clk_i) begin
    if (pass_start_i) begin
      x_valid_o <= (XLanes*VW)'(lanes_valid(in_size_i, x_seg_i, XLanes));
      h_valid_o <= (HLanes*VW)'(lanes_valid(h_size_i, h_seg_i, HLanes));
    end
  end

  // With projection, the unprojected h_t's in the U rings.
  if (Proj != 0) begin : g_u_valid
    always_ff @(posedge clk_i) begin
      if (pass_start_i) u_valid_o <= (HLanes*VW)'(lanes_valid(u_size_i, u_seg_i, HLanes));
    end
  end else begin : g_no_u_valid
    logic unused_u;
    assign unused_u = ^{u_size_i, u_seg_i};
    assign u_valid_o = '0;
  end

  function automatic logic [15:0] seg_valid(input logic [15:0] n, input logic [15:0] s,
                                            input logic [31:0] lo);
    if (SegBalanced == 0) seg_valid = n;
    else if (32'(n) <= lo) seg_valid = '0;
    else if (32'(n) - lo >= 32'(s)) seg_valid = s;
    else seg_valid = 16'(32'(n) - lo);
  endfunction

  // ---- Operand rings and the lane reads.
  localparam int HSubs = 1 << $clog2(GateLanes);
  localparam int XRows = SegCap;
  localparam int HRows = SegCap >= HSubs ? SegCap / HSubs : 1;
  localparam int XAddrW = $clog2(XSlots * XRows);
  localparam int HSubW = HSubs > 1 ? $clog2(HSubs) : 1;

  for (genvar j = 0; j < XLanes; j++) begin : g_xlane
    logic [XPes*OffW-1:0] off;
    logic [XPes*ActBits-1:0] data;
    logic we;
    logic [XAddrW-1:0] waddr;

    always_comb begin
      for (int p = 0; p < XPes; p++) off[p*OffW+:OffW] = x_rd_idx_i[(p*XLanes+j)*IdxMax+:IdxMax];
      // The transposer writes its value into its lane (every lane without segments).
      we = b_act_q && (SegBalanced == 0 || 32'(blane_q) == j);
      waddr = XAddrW'(32'(b_slot_q) * XRows + 32'(boff_q));
    end
    operand_ring #(
      .Width  (ActBits),
      .SegCap (SegCap),
      .Subs   (1),
      .Readers(XPes),
      .Slots  (XSlots)
    ) u_xring (
      .clk_i,
      .we_i     (we),
      .waddr_i  (waddr),
      .wdata_i  (xval),
      .rd_slot_i(x_rd_par_i),
      .rd_off_i (off),
      .rd_data_o(data)
    );

    always_comb begin
      for (int p = 0; p < XPes; p++)
        x_val_o[(p*XLanes+j)*ActBits+:ActBits] = data[p*ActBits+:ActBits];
    end
  end

  // Each H lane has its H ring and, with projection, its U ring: set 0 (HSlots slots, the
  // state: h_t, or r_t with projection) and set 1 (one slot, the unprojected h_t,
  // which the gate unit's writes with h_to_u_i go to, the R phases read).
  localparam int RingSets = Proj != 0 ? 2 : 1;
  for (genvar j = 0; j < HLanes; j++) begin : g_hlane
    logic [HPes*OffW-1:0] off;

    always_comb begin
      for (int p = 0; p < HPes; p++) off[p*OffW+:OffW] = h_rd_idx_i[(p*HLanes+j)*IdxMax+:IdxMax];
    end

    for (genvar k = 0; k < RingSets; k++) begin : g_set
      localparam int Slots = k == 0 ? HSlots : 1;
      localparam int AddrW = Slots * HRows > 1 ? $clog2(Slots * HRows) : 1;
      localparam int SlotW = Slots > 1 ? $clog2(Slots) : 1;
      logic [HPes*SlotW-1:0] rd_slot;
      logic [HPes*ActBits-1:0] data;
      logic [HSubs-1:0] we;
      logic [HSubs*AddrW-1:0] waddr;
      logic [HSubs*ActBits-1:0] wdata;

      assign rd_slot = k == 0 ? (HPes*SlotW)'(h_rd_par_i) : '0;

      always_comb begin
        // Gate lane m writes sub-bank (offset mod HSubs) of lane h_lane (every lane without
        // segments); the lanes written in a cycle hold consecutive units. A cycle that writes
        // no unit skips the lanes (the same logic; a simulator then looks at none of them).
        logic [OffW-1:0] o;
        logic [HSubW-1:0] sub;
        o = '0;
        sub = '0;
        we = '0;
        waddr = '0;
        wdata = '0;
        if (h_valid_i != '0) begin
          for (int m = 0; m < GateLanes; m++) begin
            o = h_off_i[m*OffW+:OffW];
            sub = HSubs > 1 ? HSubW'(o) : '0;
            if (h_valid_i[m] && (Proj != 0 && h_to_u_i) == (k == 1)
                && (SegBalanced == 0 || 32'(h_lane_i[m*HLaneW+:HLaneW]) == j)) begin
              we[sub] = 1'b1;
              waddr[32'(sub)*AddrW+:AddrW] =
                  AddrW'((k == 0 ? 32'(h_slot_i) : 32'd0) * HRows + (32'(o) >> $clog2(HSubs)));
              wdata[32'(sub)*ActBits+:ActBits] = h_val_i[m*ActBits+:ActBits];
            end
          end
        end
      end
      operand_ring #(
        .Width  (ActBits),
        .SegCap (SegCap),
        .Subs   (HSubs),
        .Readers(HPes),
        .Slots  (Slots)
      ) u_ring (
        .clk_i,
        .we_i     (we),
        .waddr_i  (waddr),
        .wdata_i  (wdata),
        .rd_slot_i(rd_slot),
        .rd_off_i (off),
        .rd_data_o(data)
      );

      if (k == 0) begin : g_h
        always_comb begin
          for (int p = 0; p < HPes; p++)
            h_val_o[(p*HLanes+j)*ActBits+:ActBits] = data[p*ActBits+:ActBits];
        end
      end else begin : g_u
        always_comb begin
          for (int p = 0; p < HPes; p++)
            u_val_o[(p*HLanes+j)*ActBits+:ActBits] = data[p*ActBits+:ActBits];
        end
      end
    end
  end
  if (Proj == 0) begin : g_no_u
    assign u_val_o = '0;
  end

  // ---- The output store: OutBanks banks by unit mod OutBanks (at least the gate lanes and the
  // values of a beat), unit u of step t of pass parity p at row {p, t, u / OutBanks}.
  localparam int BeatUnits = BeatBytes / Ab;
  localparam int OutBanks = 1 << $clog2(GateLanes > BeatUnits ? GateLanes : BeatUnits);
  localparam int OutBankW = OutBanks > 1 ? $clog2(OutBanks) : 1;
  localparam int OutRow = (MaxH + OutBanks - 1) / OutBanks;
  localparam int OutRowW = OutRow > 1 ? $clog2(OutRow) : 1;
  localparam int OutStepW = MaxSteps > 1 ? $clog2(MaxSteps) : 1;
  localparam int OutAddrW = 1 + OutStepW + OutRowW;

  logic [OutBanks*ActBits-1:0] out_rdata;
  logic [OutAddrW-1:0] out_raddr[OutBanks];
  logic [31:0] out_u0;
  logic [31:0] out_group_q;

  // The beat's first unit; its units sit in banks out_u0 mod OutBanks onwards, in one row.
  assign out_u0 = 32'(out_beat_i) * BeatUnits;

  for (genvar b = 0; b < OutBanks; b++) begin : g_out
    logic we;
    logic [OutAddrW-1:0] waddr;
    logic [ActBits-1:0] wdata;
    always_comb begin
      // The gate lane whose unit sits in this bank, if any (none in a cycle without units).
      logic [UnitW-1:0] u;
      u = '0;
      we = 1'b0;
      waddr = '0;
      wdata = '0;
      if (h_valid_i != '0) begin
        for (int m = 0; m < GateLanes; m++) begin
          u = h_unit_i[m*UnitW+:UnitW];
          if (h_valid_i[m] && !(Proj != 0 && h_to_u_i) && OutBankW'(u) == OutBankW'(b)) begin
            we = 1'b1;
            waddr = {h_par_i, OutStepW'(h_step_i), OutRowW'(32'(u) >> $clog2(OutBanks))};
            wdata = h_val_i[m*ActBits+:ActBits];
          end
        end
      end
      out_raddr[b] = {out_par_i, OutStepW'(out_step_i), OutRowW'(out_u0 >> $clog2(OutBanks))};
    end

    ram_sdp #(
      .Width      (ActBits),
      .Depth      (2 ** OutAddrW),
      .Transparent(1'b1)
    ) u_ram (
      .clk_i,
      .we_i   (we),
      .waddr_i(waddr),
      .wdata_i(wdata),
      .raddr_i(out_raddr[b]),
      .rdata_o(out_rdata[b*ActBits+:ActBits])
    );
  end

  always_ff @(posedge clk_i) out_group_q <= out_u0 & (OutBanks - 1);

  // Little-endian Ab-byte values, as the host reads them.
  always_comb begin
    for (int k = 0; k < BeatUnits; k++) begin
      out_data_o[8*Ab*k+:8*Ab] =
          (8*Ab)'(signed'(out_rdata[(out_group_q + 32'(k))*ActBits+:ActBits]));
    end
  end

  // Steps are below MaxSteps: the store rows need clog2(MaxSteps) bits of them.
  logic unused_steps;
  assign unused_steps = ^{h_step_i, out_step_i};

  `SPARROW_ASSERT(BeatUnitsWhole, BeatBytes % Ab == 0)
  `SPARROW_ASSERT(StoreInRange, in_valid_i |-> 32'(swr_q) < StoreWords)
endmodule
