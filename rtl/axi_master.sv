// The DMA's AXI4 master (docs/rtl.md, "Memory"). It turns the DMA's transfers (an address on a
// bus word and a byte count, served in order) into INCR bursts of at most BurstBytes that never
// cross a BurstBytes boundary, so never a 4 KB one, one address per cycle (a burst_cutter per
// address channel): a transfer's first burst goes out in the cycle the DMA requests it, and a transfer of k bursts takes k address
// cycles, never more than the k or more beats its data takes, so the bursts keep the channel as
// busy as the transfer would (docs/timing.md, "The memory channels"). Read beats are registered
// as they arrive and go to the DMA the next cycle (RREADY is always high: the DMA takes a beat
// every cycle). Writes take their addresses the same way; the data side follows the transfers
// taken (a queue of WrQueue of their offsets and sizes) as fast as the slave takes beats, and may
// start the DMA's next transfer before its address is taken, as AXI4 lets data lead; WLAST ends
// each burst, WSTRB covers the transfer's bytes. A write transfer is done the cycle after the
// response to its last burst (BREADY is always high). Every response other than OKAY raises
// error_o for a cycle. One ID, in order. The port is registered: each channel the master drives
// leaves through a skid_buffer, and the responses are registered, so that no combinational path
// runs from the port into the design (docs/rtl.md, "Interfaces": the register is one of the
// contract's latency cycles).
module axi_master #(
  parameter int  BeatBytes  = 16,
  parameter int  BurstBytes = 256,
  parameter int  WrQueue    = 32,  // write transfers taken and not yet answered (a power of 2)
  localparam int DataW = 8 * BeatBytes
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // The DMA's read transfers and their beats.
  input  logic                 rd_req_valid_i,
  output logic                 rd_req_ready_o,
  input  logic [31:0]          rd_req_addr_i,
  input  logic [31:0]          rd_req_bytes_i,
  output logic                 rd_beat_valid_o,
  output logic [DataW-1:0]     rd_beat_data_o,
  // The DMA's write transfers, their beats (the data of the next beat, taken when
  // wr_beat_ready_o) and their completion.
  input  logic                 wr_req_valid_i,
  output logic                 wr_req_ready_o,
  input  logic [31:0]          wr_req_addr_i,
  input  logic [31:0]          wr_req_bytes_i,
  output logic                 wr_beat_ready_o,
  input  logic [DataW-1:0]     wr_beat_data_i,
  output logic                 wr_done_o,
  output logic                 error_o,
  // An abort: the read transfer being cut ends with its burst being presented. The beats of
  // each read burst as its address goes out, and whether a read transfer is still being cut.
  input  logic                 abort_i,
  output logic [8:0]           rd_issued_o,
  output logic                 rd_cutting_o,
  // AXI4: read address and data.
  output logic                 m_axi_arvalid_o,
  input  logic                 m_axi_arready_i,
  output logic [31:0]          m_axi_araddr_o,
  output logic [7:0]           m_axi_arlen_o,
  output logic [2:0]           m_axi_arsize_o,
  output logic [1:0]           m_axi_arburst_o,
  input  logic                 m_axi_rvalid_i,
  output logic                 m_axi_rready_o,
  input  logic [DataW-1:0]     m_axi_rdata_i,
  input  logic [1:0]           m_axi_rresp_i,
  input  logic                 m_axi_rlast_i,
  // AXI4: write address, data and response.
  output logic                 m_axi_awvalid_o,
  input  logic                 m_axi_awready_i,
  output logic [31:0]          m_axi_awaddr_o,
  output logic [7:0]           m_axi_awlen_o,
  output logic [2:0]           m_axi_awsize_o,
  output logic [1:0]           m_axi_awburst_o,
  output logic                 m_axi_wvalid_o,
  input  logic                 m_axi_wready_i,
  output logic [DataW-1:0]     m_axi_wdata_o,
  output logic [BeatBytes-1:0] m_axi_wstrb_o,
  output logic                 m_axi_wlast_o,
  input  logic                 m_axi_bvalid_i,
  output logic                 m_axi_bready_o,
  input  logic [1:0]           m_axi_bresp_i
);
  `include "sparrow_assert.svh"

  localparam int Shift = BeatBytes > 1 ? $clog2(BeatBytes) : 0;
  localparam int OffW = $clog2(BurstBytes);  // a byte's offset within its burst window
  localparam int QW = $clog2(WrQueue);
  localparam int BytesW = 16;  // a write transfer's bytes (an output row of one direction)
  localparam int EntryW = OffW + BytesW;
  localparam int BeatsW = BytesW - Shift + 1;  // a write transfer's beats
  localparam logic [1:0] Incr = 2'b01;

  // ---- Reads: the transfers cut into bursts, through the port's entry; each beat registered.
  logic ar_valid, ar_ready;
  logic [31:0] ar_addr;
  logic [7:0] ar_len;
  burst_cutter #(
    .BeatBytes (BeatBytes),
    .BurstBytes(BurstBytes),
    .BytesW    (32)
  ) u_ar (
    .clk_i,
    .rst_ni,
    .req_valid_i(rd_req_valid_i),
    .req_ready_o(rd_req_ready_o),
    .req_addr_i (rd_req_addr_i),
    .req_bytes_i(rd_req_bytes_i),
    .ax_valid_o (ar_valid),
    .ax_ready_i (ar_ready),
    .ax_addr_o  (ar_addr),
    .ax_len_o   (ar_len),
    .stop_i     (abort_i),
    .busy_o     (rd_cutting_o)
  );
  skid_buffer #(
    .Width(40)
  ) u_ar_port (
    .clk_i,
    .rst_ni,
    .valid_i(ar_valid),
    .ready_o(ar_ready),
    .data_i ({ar_addr, ar_len}),
    .valid_o(m_axi_arvalid_o),
    .ready_i(m_axi_arready_i),
    .data_o ({m_axi_araddr_o, m_axi_arlen_o})
  );
  assign rd_issued_o = ar_valid && ar_ready ? 9'(ar_len) + 9'd1 : '0;
  assign m_axi_arsize_o = 3'(Shift);
  assign m_axi_arburst_o = Incr;

  logic r_valid_q, b_valid_q;
  logic [1:0] r_resp_q, b_resp_q;
  logic [DataW-1:0] r_data_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      r_valid_q <= 1'b0;
      b_valid_q <= 1'b0;
    end else begin
      r_valid_q <= m_axi_rvalid_i;
      b_valid_q <= m_axi_bvalid_i;
    end
  end
  always_ff @(posedge clk_i) begin
    if (m_axi_rvalid_i) begin
      r_data_q <= m_axi_rdata_i;
      r_resp_q <= m_axi_rresp_i;
    end
    if (m_axi_bvalid_i) b_resp_q <= m_axi_bresp_i;
  end

  assign m_axi_rready_o = 1'b1;
  assign rd_beat_valid_o = r_valid_q;
  assign rd_beat_data_o = r_data_q;

  // ---- Write addresses: like the reads, while the queue has room. A taken transfer enters the
  // queue the data and response sides walk: its offset in its burst window and its bytes.
  logic aw_take, aw_ready, q_room, aw_valid, aw_port_ready;
  logic [31:0] aw_addr;
  logic [7:0] aw_len;
  logic [QW:0] q_used_q;  // transfers taken and not yet answered
  logic [QW-1:0] q_tail_q, q_w_q, q_b_q;
  logic unused_aw_busy;  // the DMA waits for every write transfer it requested
  assign q_room = q_used_q != (QW + 1)'(WrQueue);
  burst_cutter #(
    .BeatBytes (BeatBytes),
    .BurstBytes(BurstBytes),
    .BytesW    (BytesW)
  ) u_aw (
    .clk_i,
    .rst_ni,
    .req_valid_i(wr_req_valid_i && q_room),
    .req_ready_o(aw_ready),
    .req_addr_i (wr_req_addr_i),
    .req_bytes_i(wr_req_bytes_i[BytesW-1:0]),
    .ax_valid_o (aw_valid),
    .ax_ready_i (aw_port_ready),
    .ax_addr_o  (aw_addr),
    .ax_len_o   (aw_len),
    .stop_i     (1'b0),
    .busy_o     (unused_aw_busy)
  );
  skid_buffer #(
    .Width(40)
  ) u_aw_port (
    .clk_i,
    .rst_ni,
    .valid_i(aw_valid),
    .ready_o(aw_port_ready),
    .data_i ({aw_addr, aw_len}),
    .valid_o(m_axi_awvalid_o),
    .ready_i(m_axi_awready_i),
    .data_o ({m_axi_awaddr_o, m_axi_awlen_o})
  );
  assign m_axi_awsize_o = 3'(Shift);
  assign m_axi_awburst_o = Incr;
  assign wr_req_ready_o = aw_ready && q_room;
  assign aw_take = wr_req_valid_i && wr_req_ready_o;

  logic [EntryW-1:0] w_entry, b_entry;
  lut_ram #(
    .Width(EntryW),
    .Depth(WrQueue),
    .Reads(2)
  ) u_queue (
    .clk_i,
    .we_i   (aw_take),
    .waddr_i(q_tail_q),
    .wdata_i({wr_req_addr_i[OffW-1:0], wr_req_bytes_i[BytesW-1:0]}),
    .raddr_i({q_b_q, q_w_q}),
    .rdata_o({b_entry, w_entry})
  );

  // ---- Write data: the taken transfers in order, or the DMA's transfer before its address is
  // taken (AXI4 lets data lead), whose beats the DMA presents one after another.
  logic w_act_q, w_lead_q, w_start, w_from_q, w_from_dma, w_fire, w_end, w_valid, w_ready, w_last;
  logic [BeatBytes-1:0] w_strb;
  logic [QW:0] w_pend_q;  // taken, data not started
  logic [OffW-1:0] w_off_q, w_off, src_off;
  logic [BytesW-1:0] src_bytes;
  logic [BeatsW-1:0] w_left_q, w_left;
  logic [Shift:0] w_tail_q, w_tail;  // bytes in the transfer's last beat (1 to BeatBytes)
  always_comb begin
    w_from_q = !w_act_q && w_pend_q != '0;
    w_from_dma = !w_act_q && w_pend_q == '0 && wr_req_valid_i && !w_lead_q;
    w_start = w_from_q || w_from_dma;
    {src_off, src_bytes} = w_from_q ? w_entry
                                    : {wr_req_addr_i[OffW-1:0], wr_req_bytes_i[BytesW-1:0]};
    w_off = w_act_q ? w_off_q : src_off;
    w_left = w_act_q ? w_left_q : BeatsW'((32'(src_bytes) + 32'(BeatBytes - 1)) >> Shift);
    w_tail = w_act_q ? w_tail_q
                     : (Shift + 1)'((32'(src_bytes) - 32'd1) & 32'(BeatBytes - 1)) + (Shift + 1)'(1);
    w_end = w_left == BeatsW'(1);
    w_valid = w_act_q || w_start;
    w_last = w_end || 32'(w_off) + 32'(BeatBytes) == 32'(BurstBytes);
    for (int b = 0; b < BeatBytes; b++) w_strb[b] = !w_end || 32'(b) < 32'(w_tail);
  end
  skid_buffer #(
    .Width(DataW + BeatBytes + 1)
  ) u_w_port (
    .clk_i,
    .rst_ni,
    .valid_i(w_valid),
    .ready_o(w_ready),
    .data_i ({wr_beat_data_i, w_strb, w_last}),
    .valid_o(m_axi_wvalid_o),
    .ready_i(m_axi_wready_i),
    .data_o ({m_axi_wdata_o, m_axi_wstrb_o, m_axi_wlast_o})
  );
  assign w_fire = w_valid && w_ready;
  assign wr_beat_ready_o = w_fire;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      w_act_q <= 1'b0;
      w_lead_q <= 1'b0;
      w_pend_q <= '0;
      q_tail_q <= '0;
      q_w_q <= '0;
    end else begin
      if (w_fire) w_act_q <= !w_end;
      w_lead_q <= (w_lead_q || (w_from_dma && w_fire)) && !aw_take;
      w_pend_q <= w_pend_q + (QW + 1)'(aw_take && !w_lead_q && !(w_from_dma && w_fire))
                  - (QW + 1)'(w_from_q && w_fire);
      q_tail_q <= q_tail_q + QW'(aw_take);
      q_w_q <= q_w_q + QW'(w_start && w_fire);
    end
    if (w_fire) begin
      w_off_q <= w_off + OffW'(BeatBytes);
      w_left_q <= w_left - BeatsW'(1);
      w_tail_q <= w_tail;
    end
  end

  // ---- Write responses, one per burst in order: the transfer at the queue's head is done at
  // the response to its last burst (one per burst window it touches).
  logic [BytesW:0] b_bursts;
  logic [BytesW:0] b_seen_q;  // responses of the head transfer so far
  logic [OffW-1:0] b_off;
  logic [BytesW-1:0] b_bytes;
  assign {b_off, b_bytes} = b_entry;
  assign b_bursts = (BytesW + 1)'(((32'(b_off) + 32'(b_bytes) - 32'd1) >> OffW) + 32'd1);
  assign m_axi_bready_o = 1'b1;
  assign wr_done_o = b_valid_q && b_seen_q + (BytesW + 1)'(1) == b_bursts;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      b_seen_q <= '0;
      q_b_q <= '0;
      q_used_q <= '0;
    end else begin
      if (b_valid_q) b_seen_q <= wr_done_o ? '0 : b_seen_q + (BytesW + 1)'(1);
      q_b_q <= q_b_q + QW'(wr_done_o);
      q_used_q <= q_used_q + (QW + 1)'(aw_take) - (QW + 1)'(wr_done_o);
    end
  end

  assign error_o = (r_valid_q && r_resp_q != sparrow_pkg::AxiOkay)
                   || (b_valid_q && b_resp_q != sparrow_pkg::AxiOkay);

  // RLAST adds nothing: the DMA counts its beats.
  logic unused_rlast;
  assign unused_rlast = m_axi_rlast_i;

  `SPARROW_ASSERT(ReadsOnBusWords,
                  rd_req_valid_i |-> (rd_req_addr_i & 32'(BeatBytes - 1)) == '0)
  `SPARROW_ASSERT(WritesOnBusWords,
                  wr_req_valid_i |-> (wr_req_addr_i & 32'(BeatBytes - 1)) == '0)
  `SPARROW_ASSERT(ResponsesAfterBursts, b_valid_q |-> q_used_q != '0)
  `SPARROW_ASSERT(WritesOfSixteenBitBytes, wr_req_valid_i |-> wr_req_bytes_i < 32'h10000)
endmodule
