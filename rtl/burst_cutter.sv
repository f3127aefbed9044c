// One AXI4 address channel of the DMA's master (docs/rtl.md, "Memory"): it cuts each transfer
// (an address on a bus word and a byte count) into INCR bursts that end at every BurstBytes
// boundary, so never cross a 4 KB one, one address per cycle. A transfer's first burst goes out
// in the cycle it is requested, straight from the request, and its handshake takes the request;
// the rest follow from the registers. With stop_i the burst being presented is the transfer's
// last (AXI4 keeps a presented address until its handshake): an abort waits for no more.
module burst_cutter #(
  parameter int  BeatBytes  = 16,
  parameter int  BurstBytes = 256,
  parameter int  BytesW     = 32   // a transfer's byte count
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // The transfer requested, and whether this cycle's handshake takes it.
  input  logic              req_valid_i,
  output logic              req_ready_o,
  input  logic [31:0]       req_addr_i,
  input  logic [BytesW-1:0] req_bytes_i,
  // The address channel.
  output logic              ax_valid_o,
  input  logic              ax_ready_i,
  output logic [31:0]       ax_addr_o,
  output logic [7:0]        ax_len_o,
  input  logic              stop_i,
  output logic              busy_o   // a transfer's later bursts are still to go out
);
  localparam int Shift = BeatBytes > 1 ? $clog2(BeatBytes) : 0;
  localparam int OffW = $clog2(BurstBytes);  // a byte's offset within its burst window

  logic act_q;
  logic [31:0] addr_q;
  logic [BytesW-1:0] left_q, left, n;
  logic [OffW:0] room;

  // The burst's bytes: up to the next BurstBytes boundary.
  always_comb begin
    ax_addr_o = act_q ? addr_q : req_addr_i;
    left = act_q ? left_q : req_bytes_i;
    room = (OffW + 1)'(BurstBytes) - (OffW + 1)'(ax_addr_o[OffW-1:0]);
    n = left < BytesW'(room) ? left : BytesW'(room);
  end
  assign ax_valid_o = act_q || req_valid_i;
  assign ax_len_o = 8'(((n + BytesW'(BeatBytes - 1)) >> Shift) - BytesW'(1));
  assign req_ready_o = !act_q && ax_ready_i;
  assign busy_o = act_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) act_q <= 1'b0;
    else if (ax_valid_o && ax_ready_i) act_q <= n != left && !stop_i;
    if (ax_valid_o && ax_ready_i) begin
      addr_q <= ax_addr_o + 32'(n);
      left_q <= left - n;
    end
  end
endmodule
