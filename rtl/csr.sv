// The CSR block: an AXI4-Lite slave of 32-bit registers (the map of model/csr/csr.h, the RTL's
// geometry registers and the bank descriptor table, docs/rtl.md). Writing 1 to CTRL starts a
// run: start_o is high in cycle 0. Done latches the counters and raises irq_o; writing 2 to
// CTRL clears it.
module csr #(
  parameter int Banks     = 33,  // 2 Pes + 1
  parameter int MaxPasses = 1,
  parameter int VarRows   = 0,   // descriptors carry the row-length entry bits (word 3)
  localparam int Regs = 40,  // 0x00 .. 0x9c
  localparam int Descs = Banks * MaxPasses
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 awvalid_i,
  output logic                 awready_o,
  input  logic [15:0]          awaddr_i,
  input  logic                 wvalid_i,
  output logic                 wready_o,
  input  logic [31:0]          wdata_i,
  output logic                 bvalid_o,
  input  logic                 bready_i,
  output logic [1:0]           bresp_o,
  input  logic                 arvalid_i,
  output logic                 arready_o,
  input  logic [15:0]          araddr_i,
  output logic                 rvalid_o,
  input  logic                 rready_i,
  output logic [31:0]          rdata_o,
  output logic [1:0]           rresp_o,
  output logic                 irq_o,
  // Registers, by word index (address / 4).
  output logic [32*Regs-1:0]   regs_o,
  output logic [32*Descs-1:0]  desc_off_o,
  output logic [32*Descs-1:0]  desc_bytes_o,
  output logic [32*Descs-1:0]  desc_addr_o,
  output logic [6*Descs-1:0]   desc_len_bits_o,
  output logic                 start_o,
  // Done, with the counters.
  input  logic                 done_i,
  input  logic [63:0]          cycles_i,
  input  logic [63:0]          mac_slots_i,
  input  logic [63:0]          dram_read_i,
  input  logic [63:0]          dram_write_i,
  input  logic [63:0]          lut_i
);
  localparam logic [15:0] DescBase = 16'h1000;

  logic [32*Regs-1:0] regs_q;
  logic [31:0] desc_q[3 * Descs];
  logic desc_wr;
  logic [31:0] desc_at;
  logic busy_q, done_q, start_q;

  logic wr;
  logic [31:0] reg_read;
  assign wr = awvalid_i && wvalid_i && !bvalid_o;

  always_comb begin
    reg_read = '0;
    for (int r = 0; r < Regs; r++) begin
      if (araddr_i[7:2] == 6'(r)) reg_read = regs_q[32*r+:32];
    end
  end
  assign awready_o = wr;
  assign wready_o = wr;
  assign bresp_o = 2'b00;
  assign rresp_o = 2'b00;
  assign arready_o = !rvalid_o;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      regs_q <= '0;
      busy_q <= 1'b0;
      done_q <= 1'b0;
      start_q <= 1'b0;
      bvalid_o <= 1'b0;
      rvalid_o <= 1'b0;
      rdata_o <= '0;
    end else begin
      start_q <= 1'b0;
      if (wr) begin
        bvalid_o <= 1'b1;
        if (awaddr_i == 16'h0000) begin
          if (wdata_i == 32'd1 && !busy_q) begin
            start_q <= 1'b1;
            busy_q <= 1'b1;
            done_q <= 1'b0;
          end else if (wdata_i == 32'd2) begin
            done_q <= 1'b0;
          end
        end else begin
          // One comparator per register rather than a shifter over all of them.
          for (int r = 0; r < Regs; r++) begin
            if (awaddr_i[15:2] == 14'(r) && (r < 16 || r >= 26)) regs_q[32*r+:32] <= wdata_i;
          end
        end
      end else if (bvalid_o && bready_i) begin
        bvalid_o <= 1'b0;
      end
      if (arvalid_i && !rvalid_o) begin
        rvalid_o <= 1'b1;
        if (araddr_i == 16'h0004) rdata_o <= {30'd0, done_q, busy_q};
        else if (araddr_i < 16'(4 * Regs)) rdata_o <= reg_read;
        else if (araddr_i >= DescBase && araddr_i < DescBase + 16'(16 * Descs)
                 && araddr_i[3:2] != 2'd3)
          rdata_o <= desc_q[3*((32'(araddr_i) - 32'(DescBase)) >> 4) + 32'(araddr_i[3:2])];
        else if (araddr_i >= DescBase && araddr_i < DescBase + 16'(16 * Descs))
          rdata_o <= 32'(desc_len_bits_o[6*((32'(araddr_i) - 32'(DescBase)) >> 4)+:6]);
        else rdata_o <= '0;
      end else if (rvalid_o && rready_i) begin
        rvalid_o <= 1'b0;
      end
      if (done_i) begin
        busy_q <= 1'b0;
        done_q <= 1'b1;
        regs_q[32*16+:64] <= cycles_i;
        regs_q[32*18+:64] <= mac_slots_i;
        regs_q[32*20+:64] <= dram_read_i;
        regs_q[32*22+:64] <= dram_write_i;
        regs_q[32*24+:64] <= lut_i;
      end
    end
  end

  // The descriptor table: one register per word, reset to zero (a pass the host does not use
  // has no bytes).
  assign desc_wr = wr && awaddr_i >= DescBase && awaddr_i < DescBase + 16'(16 * Descs)
                   && awaddr_i[3:2] != 2'd3;
  assign desc_at = 3 * ((32'(awaddr_i) - 32'(DescBase)) >> 4) + 32'(awaddr_i[3:2]);

  for (genvar i = 0; i < 3 * Descs; i++) begin : g_desc
    always_ff @(posedge clk_i) begin
      if (!rst_ni) desc_q[i] <= '0;
      else if (desc_wr && desc_at == i) desc_q[i] <= wdata_i;
    end
  end

  // Word 3 of a descriptor: the bank's row-length entry bits, kept only with variable rows.
  if (VarRows != 0) begin : g_len
    logic [5:0] len_q[Descs];
    for (genvar i = 0; i < Descs; i++) begin : g_desc
      always_ff @(posedge clk_i) begin
        if (!rst_ni) len_q[i] <= '0;
        else if (wr && awaddr_i == DescBase + 16'(16 * i + 12)) len_q[i] <= wdata_i[5:0];
      end
      assign desc_len_bits_o[6*i+:6] = len_q[i];
    end
  end else begin : g_fixed
    assign desc_len_bits_o = '0;
  end

  always_comb begin
    regs_o = regs_q;
    for (int i = 0; i < Descs; i++) begin
      desc_off_o[32*i+:32] = desc_q[3*i];
      desc_bytes_o[32*i+:32] = desc_q[3*i+1];
      desc_addr_o[32*i+:32] = desc_q[3*i+2];
    end
  end

  assign start_o = start_q;
  assign irq_o = done_q;
endmodule
