// The vectors the MAC arrays read: the pass's input sequence x_t as the DMA brings it, and the
// pass's outputs h_t as the gate unit writes them (two sets, by pass parity, so a pass's
// outputs can still leave through the write channel while the next pass writes its own). An H
// phase of step t reads h_{t-1} (zero at t = 0). Columns past the vector's length read as zero:
// they are the padding columns of a segment-balanced matrix. Each lane's read port sees the
// whole vector; the segment-balanced bank format only ever addresses lane j's segment.
module vector_buffer #(
  parameter int MaxT      = 8,
  parameter int MaxIn     = 64,
  parameter int MaxH      = 64,
  parameter int ActBits   = 8,
  parameter int BeatBytes = 16,
  parameter int Ports     = 16,  // PEs reading, over all arrays
  parameter int Lanes     = 8,
  parameter int GateLanes = 4,
  parameter int ColW      = 16,
  parameter int StepW     = 8,
  localparam int Ab = (ActBits + 7) / 8
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
  localparam int InRow = MaxIn * Ab;

  logic [7:0] x_q[MaxT * InRow];
  logic [ActBits-1:0] h_q[2 * MaxT * MaxH];

  always_ff @(posedge clk_i) begin
    if (in_valid_i) begin
      for (int b = 0; b < BeatBytes; b++) begin
        if (in_off_i + 32'(b) < 32'(in_size_i) * Ab) begin
          x_q[32'(in_step_i) * InRow + in_off_i + 32'(b)] <= in_data_i[8*b+:8];
        end
      end
    end
    for (int g = 0; g < GateLanes; g++) begin
      if (h_valid_i[g]) begin
        h_q[(32'(par_i) * MaxT + 32'(h_step_i)) * MaxH + 32'(h_unit_i[16*g+:16])]
            <= h_val_i[ActBits*g+:ActBits];
      end
    end
  end

  always_comb begin
    for (int p = 0; p < Ports; p++) begin
      for (int j = 0; j < Lanes; j++) begin
        logic [31:0] col, t;
        // An input value's bytes as the host wrote them: the bits above ActBits are its sign
        // extension, which the datapath does not need.
        /* verilator lint_off UNUSEDSIGNAL */
        logic [8*Ab-1:0] raw;
        /* verilator lint_on UNUSEDSIGNAL */
        col = 32'(rd_col_i[(p*Lanes+j)*ColW+:ColW]);
        t = 32'(rd_step_i[p*StepW+:StepW]);
        rd_val_o[(p*Lanes+j)*ActBits+:ActBits] = '0;
        raw = '0;
        if (!rd_mat_i[p]) begin
          if (col < 32'(in_size_i)) begin
            for (int b = 0; b < Ab; b++) raw[8*b+:8] = x_q[t * InRow + col * Ab + 32'(b)];
            rd_val_o[(p*Lanes+j)*ActBits+:ActBits] = ActBits'(raw);
          end
        end else if (t > 0 && col < 32'(state_i)) begin
          rd_val_o[(p*Lanes+j)*ActBits+:ActBits] = h_q[(32'(par_i) * MaxT + t - 1) * MaxH + col];
        end
      end
    end
  end

  // Little-endian Ab-byte values, as the host reads them.
  always_comb begin
    for (int b = 0; b < BeatBytes; b++) begin
      logic [31:0] k;
      logic [8*Ab-1:0] v;
      k = wr_off_i + 32'(b);
      v = (8*Ab)'(signed'(h_q[(32'(wr_par_i) * MaxT + 32'(wr_step_i)) * MaxH + k / Ab]));
      wr_data_o[8*b+:8] = k < 32'(state_i) * Ab ? v[8*(k%Ab)+:8] : 8'd0;
    end
  end
endmodule
