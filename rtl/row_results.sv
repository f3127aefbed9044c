// One matrix's row results in the gate unit (docs/rtl.md, "The gate unit"), for the array that
// produces them: a RAM per PE (PE p only ever produces rows q = p mod Pes, at its local row
// q / Pes) with Sets buffers (W_x results: step t's in buffer t mod XSlots), a completed-row
// count per PE and buffer, and the reads of the rows of the units being admitted, in slot order.
// A RAM of up to 128 rows is LUT RAM read in the cycle (its rows fit two LUT RAM primitives);
// a deeper one is block RAM read a cycle ahead, at the rows and buffer of the next cycle, with
// the row written in the cycle of the read passed by it (a row completes in the cycle after its
// write, and may be read then).
// Admitting units gu.. covers rows q0 = 4 gu onwards (admitting a projection's rows, q0 = the
// next row, one a lane): qa = q0 / Pes and qm = q0 mod Pes, kept incrementally. PE p's port i reads its row qa + i + (p < qm); port i's outputs rotated by qm
// (by groups of four PEs when Pes is a multiple of four: a unit's rows then sit on one group)
// give slots i Pes .. i Pes + Pes - 1.
module row_results #(
  parameter int  Pes   = 16,
  parameter int  Sets  = 1,   // buffers, by step slot
  parameter int  Slots = 16,  // rows read per cycle: four per gate lane
  parameter int  MaxH  = 64,
  parameter int  RowW  = 8,   // the local row index of the result ports
  parameter int  Width = 32,  // a row result
  parameter int  AdmW  = 3,   // units admitted per cycle
  localparam int SetW  = Sets > 1 ? $clog2(Sets) : 1
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   pass_start_i,
  // A phase starts into buffer start_set_i: its counts restart.
  input  logic                   start_i,
  input  logic [SetW-1:0]        start_set_i,
  // This matrix's row results, each into its buffer.
  input  logic [Pes-1:0]         res_valid_i,
  input  logic [Pes*SetW-1:0]    res_set_i,
  input  logic [Pes*RowW-1:0]    res_row_i,
  input  logic [Pes*Width-1:0]   res_val_i,
  // Admission: the buffer read, the units admitted this cycle (the rows move on by four each),
  // and whether they end the step (the rows return to row 0).
  input  logic [SetW-1:0]        set_i,
  input  logic [SetW-1:0]        set_next_i,  // set_i in the next cycle
  input  logic [AdmW-1:0]        adm_i,
  input  logic                   single_i,  // the admissions are rows (projection), not units
  input  logic                   wrap_i,
  // Slot s: row q0 - shift + s is complete, and its result (shift = q0 mod 4 when the PEs rotate
  // by groups of four, else 0: units start on a multiple of four rows, a projection's rows
  // anywhere).
  output logic [Slots-1:0]       ready_o,
  output logic [Slots*Width-1:0] val_o,
  output logic [1:0]             shift_o
);
  localparam int RowsPe = (4 * MaxH + Pes - 1) / Pes;
  localparam int RowsCap = 1 << $clog2(RowsPe > 1 ? RowsPe : 2);
  localparam int Ports = (Slots + Pes - 1) / Pes;  // reads per PE RAM per cycle
  localparam int Group = Pes % 4 == 0 ? 4 : 1;     // PEs rotated together
  localparam int Groups = Pes / Group;
  localparam int GroupW = Groups > 1 ? $clog2(Groups) : 1;
  localparam int QmW = Pes > 1 ? $clog2(Pes) : 1;
  localparam int Depth = Sets * RowsCap;
  localparam int AddrW = $clog2(Depth);
  localparam bit Block = Depth > 128;

  logic [RowW-1:0] qa_q, qa_d, qa_rd;
  logic [QmW-1:0] qm_q, qm_d, qm_rd;
  logic [SetW-1:0] set_rd;
  logic [Ports*Pes-1:0] pready;
  logic [Ports*Pes*Width-1:0] pres;
  logic [RowW:0] done_q[Sets][Pes];

  // The rows the RAMs read: this cycle's (LUT RAM) or the next cycle's (block RAM).
  assign qa_rd = Block ? qa_d : qa_q;
  assign qm_rd = Block ? qm_d : qm_q;
  assign set_rd = Block ? set_next_i : set_i;

  for (genvar p = 0; p < Pes; p++) begin : g_pe
    logic [AddrW-1:0] waddr;
    logic [Ports*AddrW-1:0] raddr;
    logic [Ports*Width-1:0] rd;

    assign waddr = AddrW'(32'(res_set_i[p*SetW+:SetW]) * RowsCap + 32'(res_row_i[p*RowW+:RowW]));
    always_comb begin
      for (int i = 0; i < Ports; i++) begin
        logic [RowW-1:0] r, r_rd;
        r = qa_q + RowW'(i) + RowW'(32'(p) < 32'(qm_q));
        r_rd = qa_rd + RowW'(i) + RowW'(32'(p) < 32'(qm_rd));
        raddr[i*AddrW+:AddrW] = AddrW'(32'(set_rd) * RowsCap + 32'(r_rd));
        pready[i*Pes+p] = 32'(done_q[set_i][p]) > 32'(r);
        pres[(i*Pes+p)*Width+:Width] = rd[i*Width+:Width];
      end
    end

    if (Block) begin : g_block
      for (genvar i = 0; i < Ports; i++) begin : g_port
        ram_sdp #(
          .Width      (Width),
          .Depth      (Depth),
          .Transparent(1'b1)
        ) u_ram (
          .clk_i,
          .we_i   (res_valid_i[p]),
          .waddr_i(waddr),
          .wdata_i(res_val_i[p*Width+:Width]),
          .raddr_i(raddr[i*AddrW+:AddrW]),
          .rdata_o(rd[i*Width+:Width])
        );
      end
    end else begin : g_lut
      lut_ram #(
        .Width(Width),
        .Depth(Depth),
        .Reads(Ports)
      ) u_ram (
        .clk_i,
        .we_i   (res_valid_i[p]),
        .waddr_i(waddr),
        .wdata_i(res_val_i[p*Width+:Width]),
        .raddr_i(raddr),
        .rdata_o(rd)
      );
    end

    // A phase start empties its buffer (a pass's H_0 may start in the pass's first cycle).
    always_ff @(posedge clk_i) begin
      for (int b = 0; b < Sets; b++) begin
        if (start_i && 32'(start_set_i) == b) done_q[b][p] <= '0;
        else if (res_valid_i[p] && 32'(res_set_i[p*SetW+:SetW]) == b)
          done_q[b][p] <= done_q[b][p] + 1'b1;
      end
    end
  end

  // Slot order: port i's PEs rotated by qm (by qm / Group groups of Group PEs): slot s is port
  // s / Pes, rotated position s mod Pes.
  // A PE's ready bit and result, padded to whole 32-bit words: the padding is constant (no
  // hardware), and a simulator moves the elements as words.
  localparam int PeW = 32 * ((Width + 32) / 32);
  localparam int ElemW = Group * PeW;
  logic [Ports*Pes-1:0] sready;
  logic [Ports*Pes*Width-1:0] sval;
  logic [GroupW-1:0] rot;
  assign rot = GroupW'(32'(qm_q) / Group);

  for (genvar i = 0; i < Ports; i++) begin : g_rot
    logic [Groups*ElemW-1:0] rin, rout;
    // PE p is element p / Group, part p mod Group, of the rotation (so is slot p).
    for (genvar p = 0; p < Pes; p++) begin : g_pe
      localparam int At = p * PeW;
      assign rin[At+:PeW] = PeW'({pres[(i*Pes+p)*Width+:Width], pready[i*Pes+p]});
      assign sready[i*Pes+p] = rout[At];
      assign sval[(i*Pes+p)*Width+:Width] = rout[At+1+:Width];
    end
    rotator #(
      .Width(ElemW),
      .N    (Groups)
    ) u_rot (
      .data_i  (rin),
      .amount_i(rot),
      .data_o  (rout)
    );
  end

  assign ready_o = sready[Slots-1:0];
  assign val_o = sval[Slots*Width-1:0];
  assign shift_o = 2'(32'(qm_q) % Group);

  // (qa, qm) move by 4 adm rows (adm rows when single): da Pes + dm, constants of adm.
  always_comb begin
    logic [31:0] m;
    m = 32'(qm_q) + (single_i ? 32'(adm_i) : 4 * 32'(adm_i));
    qa_d = qa_q;
    qm_d = qm_q;
    if (!rst_ni || pass_start_i || (adm_i != '0 && wrap_i)) begin
      qa_d = '0;
      qm_d = '0;
    end else if (adm_i != '0) begin
      qa_d = qa_q + RowW'(m / Pes);
      qm_d = QmW'(m % Pes);
    end
  end

  always_ff @(posedge clk_i) begin
    qa_q <= qa_d;
    qm_q <= qm_d;
  end

  logic unused;
  assign unused = ^set_next_i;  // LUT RAM reads this cycle's rows
endmodule
