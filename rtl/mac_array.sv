// A MAC array: Pes PEs, hardware row q on PE q mod Pes (docs/format.md), PE p holding
// rows_per_pe + (p < rows_extra) of a matrix's rows (4 H, or the projection's P for W_r). All PEs start a phase in the same
// cycle; the array has finished issuing when every PE has.
module mac_array #(
  parameter int Pes        = 16,
  parameter int Lanes      = 8,
  parameter int HasX       = 1,
  parameter int HasH       = 1,
  parameter int WxBits     = 8,
  parameter int WhBits     = 8,
  parameter int ActBits    = 8,
  parameter int IdxMax     = 4,
  parameter int XIdx       = 4,
  parameter int HIdx       = 4,
  parameter int RIdx       = 4,
  parameter int AccW       = 32,
  parameter int ScaleBits  = 2,
  parameter int XWords     = 64,
  parameter int HWords     = 64,
  parameter int RWords     = 64,
  parameter int Items      = 2,
  parameter int ItemW      = 32,
  parameter int MaxPasses  = 1,
  parameter int TableWords = 0,
  parameter int EntryBytes = 1,
  parameter int BeatBytes  = 16,
  parameter int Stream     = 0,
  parameter int Proj       = 0,
  parameter int VarRows    = 0,
  parameter int RowW       = 8,
  parameter int WprW       = 16,
  parameter int ParW       = 1,   // the operand slot: step parity, or an X step's slot of XSlots
  parameter int DspPairs   = 0,   // two lanes per multiplier (a dot pair)
  localparam int PassW = MaxPasses > 1 ? $clog2(MaxPasses) : 1,
  localparam int ResW  = AccW + ((WxBits == 1 || WhBits == 1) ? ScaleBits : 0),
  localparam int CountW = $clog2(Pes + 1)
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  input  logic                             run_start_i,
  input  sparrow_reg_pkg::region_target_t      target_i,
  input  logic                             region_start_i,
  input  logic                             table_we_i,
  input  logic [8*BeatBytes-1:0]           table_data_i,
  input  logic [Items-1:0]                 item_valid_i,
  input  logic [Items*ItemW-1:0]           item_data_i,
  input  logic [RowW-1:0]                  rows_per_pe_i,
  input  logic [15:0]                     rows_extra_i,
  input  logic                             start_i,
  input  logic                             mat_i,
  input  logic                             r_i,
  input  logic [PassW-1:0]                 pass_i,
  input  logic [ParW-1:0]                  par_i,
  input  logic                             zero_i,
  input  logic [WprW-1:0]                  wpr_i,
  output logic [Pes-1:0]                   rd_mat_o,
  output logic [Pes-1:0]                   rd_r_o,
  output logic [Pes*ParW-1:0]              rd_par_o,
  output logic [Pes*Lanes*IdxMax-1:0]      rd_idx_o,
  input  logic [Pes*Lanes*ActBits-1:0]     rd_val_i,
  input  logic [Lanes*(IdxMax+1)-1:0]      x_valid_i,
  input  logic [Lanes*(IdxMax+1)-1:0]      h_valid_i,
  input  logic [Lanes*(IdxMax+1)-1:0]      u_valid_i,
  output logic [Pes-1:0]                   res_valid_o,
  output logic [Pes-1:0]                   res_mat_o,
  output logic [Pes*ParW-1:0]              res_par_o,
  output logic [Pes*RowW-1:0]              res_row_o,
  output logic [Pes*ResW-1:0]              res_val_o,
  // Some PE still issues the current phase; the words in the multiply stage this cycle.
  output logic                             busy_o,
  output logic [CountW-1:0]                words_o
);
  logic [Pes-1:0] busy, word;

  // The loader's items as words of each matrix's banks, cut once for every PE: each slot keeps
  // its value and the low bits of its index, the bank's index width (wiring only; the loader
  // refuses a region whose indices are wider).
  localparam int RIdxW = RIdx > 0 ? RIdx : 1;
  logic [Items*Lanes*(WxBits+XIdx)-1:0] item_x;
  logic [Items*Lanes*(WhBits+HIdx)-1:0] item_h;
  logic [Items*Lanes*(WhBits+RIdxW)-1:0] item_r;

  always_comb begin
    for (int k = 0; k < Items; k++) begin
      for (int j = 0; j < Lanes; j++) begin
        item_x[(k*Lanes+j)*(WxBits+XIdx)+:WxBits+XIdx] =
            item_data_i[k*ItemW+j*(WxBits+IdxMax)+:WxBits+XIdx];
        item_h[(k*Lanes+j)*(WhBits+HIdx)+:WhBits+HIdx] =
            item_data_i[k*ItemW+j*(WhBits+IdxMax)+:WhBits+HIdx];
        item_r[(k*Lanes+j)*(WhBits+RIdxW)+:WhBits+RIdxW] =
            item_data_i[k*ItemW+j*(WhBits+IdxMax)+:WhBits+RIdxW];
      end
    end
  end

  assign busy_o = |busy;
  always_comb begin
    words_o = '0;
    for (int p = 0; p < Pes; p++) words_o = words_o + CountW'(word[p]);
  end

  for (genvar p = 0; p < Pes; p++) begin : g_pe
    logic [RowW-1:0] rows;
    assign rows = rows_per_pe_i + RowW'(32'(p) < 32'(rows_extra_i));

    mac_pe #(
      .Lanes     (Lanes),
      .HasX      (HasX),
      .HasH      (HasH),
      .WxBits    (WxBits),
      .WhBits    (WhBits),
      .ActBits   (ActBits),
      .IdxMax    (IdxMax),
      .XIdx      (XIdx),
      .HIdx      (HIdx),
      .RIdx      (RIdx),
      .AccW      (AccW),
      .ScaleBits (ScaleBits),
      .XWords    (XWords),
      .HWords    (HWords),
      .RWords    (RWords),
      .Items     (Items),
      .MaxPasses (MaxPasses),
      .TableWords(TableWords),
      .EntryBytes(EntryBytes),
      .BeatBytes (BeatBytes),
      .Stream    (Stream),
      .Proj      (Proj),
      .VarRows   (VarRows),
      .RowW      (RowW),
      .WprW      (WprW),
      .ParW      (ParW),
      .DspPairs  (DspPairs)
    ) u_pe (
      .clk_i,
      .rst_ni,
      .run_start_i,
      .pe_i       (16'(p)),
      .target_i,
      .region_start_i,
      .table_we_i,
      .table_data_i,
      .item_valid_i,
      .item_x_i   (item_x),
      .item_h_i   (item_h),
      .item_r_i   (item_r),
      .start_i,
      .mat_i,
      .r_i,
      .pass_i,
      .par_i,
      .zero_i,
      .rows_i     (rows),
      .wpr_i,
      .rd_mat_o   (rd_mat_o[p]),
      .rd_r_o     (rd_r_o[p]),
      .rd_par_o   (rd_par_o[p*ParW+:ParW]),
      .rd_idx_o   (rd_idx_o[p*Lanes*IdxMax+:Lanes*IdxMax]),
      .rd_val_i   (rd_val_i[p*Lanes*ActBits+:Lanes*ActBits]),
      .x_valid_i,
      .h_valid_i,
      .u_valid_i,
      .res_valid_o(res_valid_o[p]),
      .res_mat_o  (res_mat_o[p]),
      .res_par_o  (res_par_o[p*ParW+:ParW]),
      .res_row_o  (res_row_o[p*RowW+:RowW]),
      .res_val_o  (res_val_o[p*ResW+:ResW]),
      .busy_o     (busy[p]),
      .word_o     (word[p])
    );
  end
endmodule
