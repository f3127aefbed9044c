// A MAC array: Pes PEs, hardware row q on PE q mod Pes (docs/format.md). All PEs start a phase
// in the same cycle; the array has finished issuing when every PE has.
module mac_array #(
  parameter int Pes         = 16,
  parameter int Lanes       = 8,
  parameter int HasX        = 1,
  parameter int HasH        = 1,
  parameter int SegBalanced = 1,
  parameter int WxBits      = 8,
  parameter int WhBits      = 8,
  parameter int ActBits     = 8,
  parameter int AccBits     = 32,
  parameter int ScaleBits   = 2,
  parameter int BankBytes   = 1024,
  parameter int Columns     = 16,
  parameter int BeatBytes   = 16,
  parameter int MaxPasses   = 1,
  parameter int ColW        = 16,
  parameter int StepW       = 8,
  parameter int RowW        = 8,
  parameter int ResW        = 64,
  parameter int VarRows     = 0,
  parameter int LenSlot     = 16,
  localparam int PassW = (MaxPasses > 1) ? $clog2(MaxPasses) : 1,
  localparam int DescW = 32 * MaxPasses
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          beat_valid_i,
  input  logic [31:0]                   beat_off_i,
  input  logic [8*BeatBytes-1:0]        beat_data_i,
  // Descriptors of the W_x banks (PE 0..Pes-1), then of the W_h banks.
  input  logic [2*Pes*DescW-1:0]        desc_off_i,
  input  logic [2*Pes*DescW-1:0]        desc_bytes_i,
  input  logic [2*Pes*DescW-1:0]        desc_addr_i,
  input  logic [2*Pes*6*MaxPasses-1:0]  desc_len_bits_i,
  input  logic                          start_i,
  input  logic                          start_mat_i,
  input  logic [PassW-1:0]              start_pass_i,
  input  logic [StepW-1:0]              start_step_i,
  input  logic [15:0]                   hidden_i,
  input  logic [15:0]                   wpr_i,
  input  logic [5:0]                    idx_bits_i,
  input  logic [15:0]                   seg_len_i,
  output logic [Pes-1:0]                rd_mat_o,
  output logic [Pes*StepW-1:0]          rd_step_o,
  output logic [Pes*Lanes*ColW-1:0]     rd_col_o,
  input  logic [Pes*Lanes*ActBits-1:0]  rd_val_i,
  output logic [Pes-1:0]                res_valid_o,
  output logic [Pes-1:0]                res_mat_o,
  output logic [Pes*StepW-1:0]          res_step_o,
  output logic [Pes*RowW-1:0]           res_row_o,
  output logic [Pes*ResW-1:0]           res_val_o,
  // Some PE still issues the current phase; the words in the multiply stage this cycle.
  output logic                          busy_o,
  output logic [15:0]                   words_o
);
  localparam int LenW = 6 * MaxPasses;
  logic [Pes-1:0] busy, word;

  assign busy_o = |busy;
  always_comb begin
    words_o = '0;
    for (int p = 0; p < Pes; p++) words_o = words_o + 16'(word[p]);
  end

  for (genvar p = 0; p < Pes; p++) begin : g_pe
    logic [15:0] rows;
    logic [31:0] gate_rows;
    // Rows q < 4H with q mod Pes = p.
    assign gate_rows = 32'(hidden_i) * 4;
    assign rows = gate_rows > p ? 16'((gate_rows - p - 1) / Pes + 1) : 16'd0;

    mac_pe #(
      .Lanes      (Lanes),
      .HasX       (HasX),
      .HasH       (HasH),
      .SegBalanced(SegBalanced),
      .WxBits     (WxBits),
      .WhBits     (WhBits),
      .ActBits    (ActBits),
      .AccBits    (AccBits),
      .ScaleBits  (ScaleBits),
      .BankBytes  (BankBytes),
      .Columns    (Columns),
      .BeatBytes  (BeatBytes),
      .MaxPasses  (MaxPasses),
      .ColW       (ColW),
      .StepW      (StepW),
      .RowW       (RowW),
      .ResW       (ResW),
      .VarRows    (VarRows),
      .LenSlot    (LenSlot)
    ) u_pe (
      .clk_i,
      .rst_ni,
      .beat_valid_i,
      .beat_off_i,
      .beat_data_i,
      .desc_off_i  ({desc_off_i[(Pes+p)*DescW+:DescW], desc_off_i[p*DescW+:DescW]}),
      .desc_bytes_i({desc_bytes_i[(Pes+p)*DescW+:DescW], desc_bytes_i[p*DescW+:DescW]}),
      .desc_addr_i ({desc_addr_i[(Pes+p)*DescW+:DescW], desc_addr_i[p*DescW+:DescW]}),
      .desc_len_bits_i({desc_len_bits_i[(Pes+p)*LenW+:LenW], desc_len_bits_i[p*LenW+:LenW]}),
      .start_i,
      .start_mat_i,
      .start_pass_i,
      .start_step_i,
      .rows_i      (rows),
      .wpr_i,
      .idx_bits_i,
      .seg_len_i,
      .rd_mat_o    (rd_mat_o[p]),
      .rd_step_o   (rd_step_o[p*StepW+:StepW]),
      .rd_col_o    (rd_col_o[p*Lanes*ColW+:Lanes*ColW]),
      .rd_val_i    (rd_val_i[p*Lanes*ActBits+:Lanes*ActBits]),
      .res_valid_o (res_valid_o[p]),
      .res_mat_o   (res_mat_o[p]),
      .res_step_o  (res_step_o[p*StepW+:StepW]),
      .res_row_o   (res_row_o[p*RowW+:RowW]),
      .res_val_o   (res_val_o[p*ResW+:ResW]),
      .busy_o      (busy[p]),
      .word_o      (word[p])
    );
  end
endmodule
