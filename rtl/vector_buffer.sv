// The vectors the MAC arrays read: the pass's input sequence x_t as the DMA brings it, and the
// pass's outputs h_t as the gate unit writes them (two sets, by pass parity, so a pass's
// outputs can still leave through the write channel while the next pass writes its own). An H
// phase of step t reads h_{t-1} (zero at t = 0). Columns past the vector's length read as zero:
// they are the padding columns of a segment-balanced matrix.
//
// Both vectors are banked so that every bank takes at most one write per cycle and maps to LUT
// RAM with asynchronous reads: x in XBanks byte banks (byte a of a row in bank a mod XBanks, so
// a memory beat writes one byte per bank), h in HBanks unit banks (unit u in bank u mod HBanks,
// so the GateLanes consecutive units the gate unit writes in a cycle land in different banks).
// Every lane of every PE has its own read port, on x if its array runs X phases, on h if it
// runs H phases: a read is the word of all banks at one address, then the bank the column is in.
// Each lane's read port sees the whole vector; the segment-balanced bank format only ever
// addresses lane j's segment, but the segment length is a run-time value (it follows the
// layer's width), so a lane's segment has no fixed place in the banks.
module vector_buffer #(
  parameter int MaxT      = 8,
  parameter int MaxIn     = 64,
  parameter int MaxH      = 64,
  parameter int ActBits   = 8,
  parameter int BeatBytes = 16,
  parameter int Pes       = 16,
  parameter int Arrays    = 2,  // 2: array 0 reads x, array 1 reads h; 1: the array reads both
  parameter int Lanes     = 8,
  parameter int GateLanes = 4,
  parameter int ColW      = 16,
  parameter int StepW     = 8,
  localparam int Ab = (ActBits + 7) / 8,
  localparam int Ports = Arrays * Pes
) (
  input  logic                           clk_i,
  // Pass geometry (the current pass).
  input  logic [15:0]                    in_size_i,
  input  logic [15:0]                    state_i,
  input  logic                           par_i,
  // Input beats: bytes [off, off + BeatBytes) of step t's input row.
  input  logic                           in_valid_i,
  input  logic [StepW-1:0]               in_step_i,
  input  logic [31:0]                    in_off_i,
  input  logic [8*BeatBytes-1:0]         in_data_i,
  // Lane reads.
  input  logic [Ports-1:0]               rd_mat_i,
  input  logic [Ports*StepW-1:0]         rd_step_i,
  input  logic [Ports*Lanes*ColW-1:0]    rd_col_i,
  output logic [Ports*Lanes*ActBits-1:0] rd_val_o,
  // Gate unit writes of h_t.
  input  logic [GateLanes-1:0]           h_valid_i,
  input  logic [StepW-1:0]               h_step_i,
  input  logic [GateLanes*16-1:0]        h_unit_i,
  input  logic [GateLanes*ActBits-1:0]   h_val_i,
  // Write-channel beats: bytes [beat * BeatBytes, ...) of step t's outputs of pass parity par.
  input  logic                           wr_par_i,
  input  logic [StepW-1:0]               wr_step_i,
  input  logic [31:0]                    wr_off_i,
  output logic [8*BeatBytes-1:0]         wr_data_o
);
  localparam int Readers = Pes * Lanes;  // lane read ports of one array

  // ---- x: XBanks byte banks, XRow words per input row.
  localparam int XBanks = 1 << $clog2(BeatBytes);
  localparam int XRow = (MaxIn * Ab + XBanks - 1) / XBanks;
  localparam int XDepth = MaxT * XRow;
  localparam int XAddrW = XDepth > 1 ? $clog2(XDepth) : 1;
  // Words one value's Ab bytes can span: one when values never straddle a word.
  localparam int XWords = (XBanks % Ab == 0) ? 1 : (Ab + XBanks - 2) / XBanks + 1;
  localparam int XReads = Readers * XWords;

  logic [XAddrW-1:0] x_waddr[XBanks];
  logic [7:0] x_wdata[XBanks];
  logic [XBanks-1:0] x_we;
  logic [XReads*XAddrW-1:0] x_raddr;
  logic [8*XReads-1:0] x_rdata[XBanks];

  // Bank c takes beat byte i = (c - off) mod XBanks (the beat's bytes are consecutive and at
  // most XBanks), if that byte is in the row.
  always_comb begin
    for (int c = 0; c < XBanks; c++) begin
      logic [31:0] i, at;
      i = (32'(c) - in_off_i) % XBanks;
      at = in_off_i + i;
      x_we[c] = in_valid_i && i < BeatBytes && at < 32'(in_size_i) * Ab;
      x_waddr[c] = XAddrW'(32'(in_step_i) * XRow + (at >> $clog2(XBanks)));
      x_wdata[c] = in_data_i[8*(i%BeatBytes)+:8];
    end
  end

  for (genvar c = 0; c < XBanks; c++) begin : g_x_bank
    lut_ram #(
      .Width(8),
      .Depth(XDepth),
      .Reads(XReads)
    ) u_ram (
      .clk_i,
      .we_i   (x_we[c]),
      .waddr_i(x_waddr[c]),
      .wdata_i(x_wdata[c]),
      .raddr_i(x_raddr),
      .rdata_o(x_rdata[c])
    );
  end

  // ---- h: HBanks unit banks, HRow words per (parity, step).
  localparam int HBanks = 1 << $clog2(GateLanes);
  localparam int HRow = (MaxH + HBanks - 1) / HBanks;
  localparam int HDepth = 2 * MaxT * HRow;
  localparam int HAddrW = HDepth > 1 ? $clog2(HDepth) : 1;
  // The units one write-channel beat covers.
  localparam int OutUnits = (BeatBytes % Ab == 0) ? BeatBytes / Ab : BeatBytes / Ab + 2;
  localparam int HReads = Readers + OutUnits;

  logic [HAddrW-1:0] h_waddr[HBanks];
  logic [ActBits-1:0] h_wdata[HBanks];
  logic [HBanks-1:0] h_we;
  logic [HReads*HAddrW-1:0] h_raddr;
  logic [ActBits*HReads-1:0] h_rdata[HBanks];

  function automatic logic [HAddrW-1:0] h_addr(input logic par, input logic [31:0] t,
                                               input logic [31:0] unit);
    h_addr = HAddrW'((32'(par) * MaxT + t) * HRow + (unit >> $clog2(HBanks)));
  endfunction

  // The lanes written in a cycle hold consecutive units: at most one per bank.
  always_comb begin
    for (int c = 0; c < HBanks; c++) begin
      h_we[c] = 1'b0;
      h_waddr[c] = '0;
      h_wdata[c] = '0;
      for (int g = 0; g < GateLanes; g++) begin
        if (h_valid_i[g] && 32'(h_unit_i[16*g+:16]) % HBanks == c) begin
          h_we[c] = 1'b1;
          h_waddr[c] = h_addr(par_i, 32'(h_step_i), 32'(h_unit_i[16*g+:16]));
          h_wdata[c] = h_val_i[ActBits*g+:ActBits];
        end
      end
    end
  end

  for (genvar c = 0; c < HBanks; c++) begin : g_h_bank
    lut_ram #(
      .Width(ActBits),
      .Depth(HDepth),
      .Reads(HReads)
    ) u_ram (
      .clk_i,
      .we_i   (h_we[c]),
      .waddr_i(h_waddr[c]),
      .wdata_i(h_wdata[c]),
      .raddr_i(h_raddr),
      .rdata_o(h_rdata[c])
    );
  end

  // ---- Lane reads: reader k of an array is PE k / Lanes, lane k mod Lanes.
  localparam int HPort = Arrays - 1;  // the first port that reads h
  logic [Readers*ActBits-1:0] x_val, h_val;
  logic [Readers*HAddrW-1:0] h_raddr_lane;
  logic [OutUnits*HAddrW-1:0] h_raddr_out;
  assign h_raddr = {h_raddr_out, h_raddr_lane};

  function automatic logic [31:0] x_byte(input int k);
    x_byte = 32'(rd_col_i[k*ColW+:ColW]) * Ab;
  endfunction
  function automatic logic [31:0] x_step(input int k);
    x_step = 32'(rd_step_i[(k/Lanes)*StepW+:StepW]);
  endfunction
  function automatic logic [31:0] h_col(input int k);
    h_col = 32'(rd_col_i[(HPort*Readers+k)*ColW+:ColW]);
  endfunction
  function automatic logic [31:0] h_step(input int k);
    h_step = 32'(rd_step_i[(HPort*Pes+k/Lanes)*StepW+:StepW]);
  endfunction

  always_comb begin
    for (int k = 0; k < Readers; k++) begin
      for (int w = 0; w < XWords; w++) begin
        x_raddr[(k*XWords+w)*XAddrW+:XAddrW] =
            XAddrW'(x_step(k) * XRow + (x_byte(k) >> $clog2(XBanks)) + 32'(w));
      end
      h_raddr_lane[k*HAddrW+:HAddrW] = h_addr(par_i, h_step(k) - 1, h_col(k));
    end
  end

  always_comb begin
    for (int k = 0; k < Readers; k++) begin
      // A value's bytes as the host wrote them: the bits above ActBits are its sign extension,
      // which the datapath does not need.
      /* verilator lint_off UNUSEDSIGNAL */
      logic [8*Ab-1:0] raw;
      /* verilator lint_on UNUSEDSIGNAL */
      // Byte b of the value is in bank at mod XBanks, word w of the reader's XWords words: each
      // bank's byte of each word is a fixed slice, so a read is a multiplexer over XBanks x
      // XWords bytes (not over the bank's whole read data).
      for (int b = 0; b < Ab; b++) begin
        logic [31:0] at, w;
        at = x_byte(k) + 32'(b);
        w = (at >> $clog2(XBanks)) - (x_byte(k) >> $clog2(XBanks));
        raw[8*b+:8] = '0;
        for (int v = 0; v < XWords; v++) begin
          for (int c = 0; c < XBanks; c++) begin
            if ((XWords == 1 || w == 32'(v)) && at % XBanks == 32'(c)) begin
              raw[8*b+:8] = x_rdata[c][8*(k*XWords+v)+:8];
            end
          end
        end
      end
      x_val[k*ActBits+:ActBits] = 32'(rd_col_i[k*ColW+:ColW]) < 32'(in_size_i)
                                  ? ActBits'(raw) : '0;
      h_val[k*ActBits+:ActBits] = '0;
      for (int c = 0; c < HBanks; c++) begin
        if (h_step(k) > 0 && h_col(k) < 32'(state_i) && h_col(k) % HBanks == 32'(c)) begin
          h_val[k*ActBits+:ActBits] = h_rdata[c][k*ActBits+:ActBits];
        end
      end
    end
  end

  // Separate arrays: array 0 reads x, array 1 h. A shared array reads what its phase needs.
  if (Arrays == 2) begin : g_separate
    logic unused_mat;
    assign unused_mat = ^rd_mat_i;
    assign rd_val_o = {h_val, x_val};
  end else begin : g_shared
    always_comb begin
      for (int p = 0; p < Pes; p++) begin
        rd_val_o[p*Lanes*ActBits+:Lanes*ActBits] = rd_mat_i[p]
            ? h_val[p*Lanes*ActBits+:Lanes*ActBits] : x_val[p*Lanes*ActBits+:Lanes*ActBits];
      end
    end
  end

  // ---- Write-channel beats: little-endian Ab-byte values, as the host reads them. The beat's
  // bytes hold units u0, u0 + 1, ..., one read each.
  logic [31:0] out_u0;
  assign out_u0 = wr_off_i / Ab;

  always_comb begin
    for (int s = 0; s < OutUnits; s++) begin
      h_raddr_out[s*HAddrW+:HAddrW] = h_addr(wr_par_i, 32'(wr_step_i), out_u0 + 32'(s));
    end
  end

  always_comb begin
    logic [8*Ab*OutUnits-1:0] vals;
    for (int s = 0; s < OutUnits; s++) begin
      vals[8*Ab*s+:8*Ab] =
          (8*Ab)'(signed'(h_rdata[(out_u0 + 32'(s)) % HBanks][(Readers+s)*ActBits+:ActBits]));
    end
    for (int b = 0; b < BeatBytes; b++) begin
      logic [31:0] k;
      k = wr_off_i + 32'(b);
      wr_data_o[8*b+:8] = k < 32'(state_i) * Ab ? vals[8*(k-out_u0*Ab)+:8] : 8'd0;
    end
  end
endmodule
