// One lane's operand buffer (docs/rtl.md, "Storage"): Slots slots (two by step parity; an X ring
// XSlots, step t in slot t mod XSlots) of the lane's segment of a vector, read by the same lane
// of every PE of an array, each in the cycle it asks.
// It is Subs sub-banks by offset mod Subs, so that Subs consecutive offsets can be written in one
// cycle (the gate unit writes up to GateLanes consecutive hidden units); each sub-bank is a LUT
// RAM with a copy per three readers (lut_ram). A reader's entry: every sub-bank read at the
// offset's row, then the offset's sub-bank.
module operand_ring #(
  parameter int  Width   = 8,
  parameter int  SegCap  = 16,  // offsets per slot, a power of two
  parameter int  Subs    = 1,   // a power of two
  parameter int  Readers = 16,
  parameter int  Slots   = 2,
  localparam int OffW    = SegCap > 1 ? $clog2(SegCap) : 1,
  localparam int SubW    = Subs > 1 ? $clog2(Subs) : 1,
  localparam int SlotW   = Slots > 1 ? $clog2(Slots) : 1,
  localparam int Rows    = SegCap >= Subs ? SegCap / Subs : 1,
  localparam int AddrW   = Slots * Rows > 1 ? $clog2(Slots * Rows) : 1
) (
  input  logic                       clk_i,
  // Sub-bank s: a write of slot, offset row and value.
  input  logic [Subs-1:0]            we_i,
  input  logic [Subs*AddrW-1:0]      waddr_i,
  input  logic [Subs*Width-1:0]      wdata_i,
  // Reader r: slot and offset, its entry.
  input  logic [Readers*SlotW-1:0]   rd_slot_i,
  input  logic [Readers*OffW-1:0]    rd_off_i,
  output logic [Readers*Width-1:0]   rd_data_o
);
  // The address of a reader's offset in every sub-bank: slot * Rows + offset / Subs (so is a
  // write's).
  logic [Readers*AddrW-1:0] raddr;
  logic [Subs*Readers*Width-1:0] rdata;

  always_comb begin
    for (int r = 0; r < Readers; r++) begin
      logic [OffW-1:0] off;
      off = rd_off_i[r*OffW+:OffW];
      raddr[r*AddrW+:AddrW] = AddrW'(32'(rd_slot_i[r*SlotW+:SlotW]) * Rows
                                     + (32'(off) >> $clog2(Subs)));
    end
  end

  for (genvar s = 0; s < Subs; s++) begin : g_sub
    lut_ram #(
      .Width(Width),
      .Depth(Slots * Rows),
      .Reads(Readers)
    ) u_ram (
      .clk_i,
      .we_i   (we_i[s]),
      .waddr_i(waddr_i[s*AddrW+:AddrW]),
      .wdata_i(wdata_i[s*Width+:Width]),
      .raddr_i(raddr),
      .rdata_o(rdata[s*Readers*Width+:Readers*Width])
    );
  end

  always_comb begin
    for (int r = 0; r < Readers; r++) begin
      logic [SubW-1:0] sub;
      sub = Subs > 1 ? SubW'(rd_off_i[r*OffW+:OffW]) : '0;
      rd_data_o[r*Width+:Width] = rdata[(32'(sub)*Readers+r)*Width+:Width];
    end
  end
endmodule
