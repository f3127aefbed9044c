// The CSR block: an AXI4-Lite slave of 32-bit registers (the register map of sparrow_reg_pkg,
// generated from rtl/regmap.yaml; docs/registers.md) and the load descriptor table, kept in LUT
// RAM (four 32-bit words an entry, read by the weight loader; host reads of it return 0).
// CTRL.START starts a run: start_o is high in cycle 0; when the registers describe no run this
// build can take (fits_i low) it ends at once instead, STATUS.DONE and ERROR set, the counters
// kept. Done latches the counters and sets IRQ_STATUS.DONE; irq_o is high while it is set and
// enabled. CTRL.SOFT_RESET raises abort_o until the accelerator answers with reset_i (once its
// memory transfers are complete), which clears the status, the interrupt status and the
// counters. A fault during a run (fault_i: a memory response other than OKAY, or a load
// descriptor the weight loader cannot take) aborts it the same way, and the run then ends with STATUS.DONE and ERROR and the interrupt. A write changes the bytes
// WSTRB selects. A write the map does not accept (a read-only register, an address outside the map) and
// a read outside the map answer SLVERR.
module csr #(
  parameter int  MaxRegions = 33,
  parameter int  WalkReads  = 0,  // the DMA's read ports on TARGET and BYTES: 0, or 2 (Stream)
  localparam int Regs       = sparrow_reg_pkg::CsrRegs,
  localparam int RegionW    = MaxRegions > 1 ? $clog2(MaxRegions) : 1,
  localparam int CntW       = 48
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       awvalid_i,
  output logic                       awready_o,
  input  logic [15:0]                awaddr_i,
  input  logic                       wvalid_i,
  output logic                       wready_o,
  input  logic [31:0]                wdata_i,
  input  logic [3:0]                 wstrb_i,
  output logic                       bvalid_o,
  input  logic                       bready_i,
  output logic [1:0]                 bresp_o,
  input  logic                       arvalid_i,
  output logic                       arready_o,
  input  logic [15:0]                araddr_i,
  output logic                       rvalid_o,
  input  logic                       rready_i,
  output logic [31:0]                rdata_o,
  output logic [1:0]                 rresp_o,
  output logic                       irq_o,
  // Registers, by word index (address / 4).
  output logic [32*Regs-1:0]         regs_o,
  // The descriptor table's read port.
  input  logic [RegionW-1:0]         desc_addr_i,
  output sparrow_reg_pkg::region_desc_t  desc_o,
  // The DMA's read ports (streamed weights: it walks the regions of a phase's read).
  input  logic [2*RegionW-1:0]       walk_addr_i,
  output sparrow_reg_pkg::region_target_t [1:0] walk_target_o,
  output logic [2*32-1:0]            walk_bytes_o,
  input  logic                       fits_i,
  input  logic                       fault_i,
  output logic                       start_o,
  // Soft reset: requested, and done (the units reset this cycle).
  output logic                       abort_o,
  input  logic                       reset_i,
  // Done, with the counters; per array (0: W_x or the shared array, 1: W_h).
  input  logic                       done_i,
  input  logic [CntW-1:0]            cycles_i,
  input  logic [CntW-1:0]            mac_slots_i,
  input  logic [CntW-1:0]            dram_read_i,
  input  logic [CntW-1:0]            dram_write_i,
  input  logic [CntW-1:0]            lut_i,
  input  logic [2*CntW-1:0]          busy_i,
  input  logic [2*CntW-1:0]          stall_i
);

  logic [32*Regs-1:0] regs_q;
  logic busy_q, done_q, error_q, start_q, abort_q, irq_done_q, failed_q;
  logic wr;
  logic [31:0] wbits;

  assign wbits = wdata_i & {{8{wstrb_i[3]}}, {8{wstrb_i[2]}}, {8{wstrb_i[1]}}, {8{wstrb_i[0]}}};

  // The counter registers, lowest first, and their values.
  localparam int Counters = 9;
  localparam logic [16*Counters-1:0] CounterRegs = {
    sparrow_reg_pkg::CsrWhStall, sparrow_reg_pkg::CsrWhBusy, sparrow_reg_pkg::CsrWxStall,
    sparrow_reg_pkg::CsrWxBusy, sparrow_reg_pkg::CsrLutLookups,
    sparrow_reg_pkg::CsrDramWriteBytes, sparrow_reg_pkg::CsrDramReadBytes,
    sparrow_reg_pkg::CsrMacSlots, sparrow_reg_pkg::CsrCycles};
  logic [Counters*CntW-1:0] counters;
  assign counters = {stall_i[CntW+:CntW], busy_i[CntW+:CntW], stall_i[0+:CntW], busy_i[0+:CntW],
                     lut_i, dram_write_i, dram_read_i, mac_slots_i, cycles_i};

  assign wr = awvalid_i && wvalid_i && !bvalid_o;

  // An address in the descriptor table.
  function automatic logic table_addr(input logic [15:0] addr);
    table_addr = addr >= sparrow_reg_pkg::CsrDescBase
                 && 32'(addr) < 32'(sparrow_reg_pkg::CsrDescBase)
                                + sparrow_reg_pkg::CsrDescStride * MaxRegions;
  endfunction

  // Whether the map has a word the host writes, or reads, at an address; a register's value.
  // The decoders sit in the clocked block, under the handshake they serve: a simulator
  // evaluates them only then.
  function automatic logic writable(input logic [15:0] addr);
    writable = table_addr(addr);
    for (int r = 0; r < Regs; r++)
      if (addr[15:2] == 14'(r) && sparrow_reg_pkg::CsrWritable[r]) writable = 1'b1;
  endfunction

  function automatic logic readable(input logic [15:0] addr);
    readable = table_addr(addr);
    for (int r = 0; r < Regs; r++)
      if (addr[15:2] == 14'(r) && sparrow_reg_pkg::CsrMapped[r]) readable = 1'b1;
  endfunction

  function automatic logic [31:0] reg_word(input logic [13:0] word);
    reg_word = '0;
    for (int r = 0; r < Regs; r++) if (word == 14'(r)) reg_word = regs_q[32*r+:32];
  endfunction

  assign awready_o = wr;
  assign wready_o = wr;
  assign arready_o = !rvalid_o;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      regs_q <= sparrow_reg_pkg::CsrReset;
      busy_q <= 1'b0;
      done_q <= 1'b0;
      error_q <= 1'b0;
      start_q <= 1'b0;
      abort_q <= 1'b0;
      irq_done_q <= 1'b0;
      failed_q <= 1'b0;
      bvalid_o <= 1'b0;
      bresp_o <= sparrow_pkg::AxiOkay;
      rvalid_o <= 1'b0;
      rdata_o <= '0;
      rresp_o <= sparrow_pkg::AxiOkay;
    end else begin
      start_q <= 1'b0;
      if (wr) begin
        bvalid_o <= 1'b1;
        bresp_o <= writable(awaddr_i) ? sparrow_pkg::AxiOkay : sparrow_pkg::AxiSlvErr;
        if (awaddr_i == sparrow_reg_pkg::CsrCtrl) begin
          if (wbits[sparrow_reg_pkg::CsrCtrlSoftReset]) begin
            abort_q <= 1'b1;
          end else if (wbits[sparrow_reg_pkg::CsrCtrlStart] && !busy_q && !abort_q) begin
            start_q <= fits_i;
            busy_q <= fits_i;
            done_q <= !fits_i;
            error_q <= !fits_i;
            if (!fits_i) irq_done_q <= 1'b1;
          end
        end else if (awaddr_i == sparrow_reg_pkg::CsrIrqStatus) begin
          if (wbits[sparrow_reg_pkg::CsrIrqStatusDone]) irq_done_q <= 1'b0;
        end else begin
          // One comparator per register the host writes.
          for (int r = 0; r < Regs; r++) begin
            if (awaddr_i[15:2] == 14'(r) && sparrow_reg_pkg::CsrStored[r]) begin
              for (int b = 0; b < 4; b++)
                if (wstrb_i[b]) regs_q[32*r+8*b+:8] <= wdata_i[8*b+:8];
            end
          end
        end
      end else if (bvalid_o && bready_i) begin
        bvalid_o <= 1'b0;
      end
      if (arvalid_i && !rvalid_o) begin
        rvalid_o <= 1'b1;
        rresp_o <= readable(araddr_i) ? sparrow_pkg::AxiOkay : sparrow_pkg::AxiSlvErr;
        rdata_o <= reg_word(araddr_i[15:2]);
        if (araddr_i == sparrow_reg_pkg::CsrStatus) begin
          rdata_o <= '0;
          rdata_o[sparrow_reg_pkg::CsrStatusBusy] <= busy_q;
          rdata_o[sparrow_reg_pkg::CsrStatusDone] <= done_q;
          rdata_o[sparrow_reg_pkg::CsrStatusError] <= error_q;
        end else if (araddr_i == sparrow_reg_pkg::CsrIrqStatus) begin
          rdata_o <= '0;
          rdata_o[sparrow_reg_pkg::CsrIrqStatusDone] <= irq_done_q;
        end
      end else if (rvalid_o && rready_i) begin
        rvalid_o <= 1'b0;
      end
      // A run that met a fault ends through its abort (reset_i), even when its last transfer
      // completes it.
      if (done_i && !failed_q && !fault_i) begin
        busy_q <= 1'b0;
        done_q <= 1'b1;
        irq_done_q <= 1'b1;
      end
      if (fault_i && busy_q) begin
        abort_q <= 1'b1;
        failed_q <= 1'b1;
      end
      if (reset_i) begin
        busy_q <= 1'b0;
        done_q <= failed_q;
        error_q <= failed_q;
        irq_done_q <= failed_q;
        abort_q <= 1'b0;
        failed_q <= 1'b0;
      end
      // The counters: cleared by a soft reset, latched at a run's end.
      for (int c = 0; c < Counters; c++) begin
        if (reset_i) regs_q[8*32'(CounterRegs[16*c+:16])+:64] <= '0;
        else if (done_i) regs_q[8*32'(CounterRegs[16*c+:16])+:64] <= 64'(counters[CntW*c+:CntW]);
      end
    end
  end

  // The descriptor table: word w of entry e at CsrDescBase + 16 e + 4 w, one LUT RAM per byte
  // of a word (WSTRB writes bytes); TARGET and BYTES have the DMA's read ports too.
  logic [127:0] desc;
  logic [2*64-1:0] walk;  // per DMA port: TARGET, then BYTES
  logic [RegionW-1:0] entry;
  assign entry = RegionW'((32'(awaddr_i) - 32'(sparrow_reg_pkg::CsrDescBase)) >> 4);
  for (genvar w = 0; w < 4; w++) begin : g_desc
    localparam int Reads = w < 2 ? 1 + WalkReads : 1;
    for (genvar b = 0; b < 4; b++) begin : g_byte
      logic [Reads*8-1:0] rd;
      logic [Reads*RegionW-1:0] raddr;
      if (Reads > 1) begin : g_ports
        assign raddr = {walk_addr_i, desc_addr_i};
      end else begin : g_port
        assign raddr = desc_addr_i;
      end
      lut_ram #(
        .Width(8),
        .Depth(MaxRegions),
        .Reads(Reads)
      ) u_ram (
        .clk_i,
        .we_i   (wr && table_addr(awaddr_i) && 32'(awaddr_i[3:2]) == w && wstrb_i[b]),
        .waddr_i(entry),
        .wdata_i(wdata_i[8*b+:8]),
        .raddr_i(raddr),
        .rdata_o(rd)
      );
      assign desc[32*(3-w)+8*b+:8] = rd[7:0];
      for (genvar p = 0; p < 2; p++) begin : g_walk
        if (Reads > 1) begin : g_port
          assign walk[64*p+32*w+8*b+:8] = rd[8*(p+1)+:8];
        end else if (w < 2) begin : g_none
          assign walk[64*p+32*w+8*b+:8] = '0;
        end
      end
    end
  end
  assign desc_o = desc;
  if (WalkReads == 0) begin : g_no_walk
    logic unused_walk;
    assign unused_walk = ^walk_addr_i;
  end
  for (genvar p = 0; p < 2; p++) begin : g_walk_out
    assign walk_target_o[p] = walk[64*p+:32];
    assign walk_bytes_o[32*p+:32] = walk[64*p+32+:32];
  end

  assign regs_o = regs_q;
  assign start_o = start_q;
  assign abort_o = abort_q;
  assign irq_o = irq_done_q
                 && regs_q[8*32'(sparrow_reg_pkg::CsrIrqEnable) + sparrow_reg_pkg::CsrIrqEnableDone];
endmodule
