// Sigmoid or tanh by lookup table or piecewise-linear segments (docs/arithmetic.md,
// "Activations"). The ROM images are those `sparrow tables` writes from the golden model's code.
// The ports are as wide as their formats, so that synthesis sizes the arithmetic around them.
module activation #(
  parameter int    RangeShift  = 15,  // log2(range) + the input's fractional bits
  parameter int    EntriesLog2 = 8,
  parameter int    InBits      = 16,
  parameter int    InFrac      = 12,
  parameter int    Pwl         = 0,
  parameter int    OutBits     = 16,
  parameter int    OutFrac     = 14,
  parameter int    SlopeBits   = 16,
  parameter int    SlopeFrac   = 15,
  parameter        ValueFile   = "",
  parameter        SlopeFile   = ""
) (
  input  logic signed [InBits-1:0]  in_i,
  output logic signed [OutBits-1:0] out_o
);
  `include "fixed_point.svh"

  localparam int N = 1 << EntriesLog2;
  localparam int BinShift = RangeShift + 1 - EntriesLog2;
  localparam logic signed [63:0] Span = 64'sd1 <<< (RangeShift + 1);

  logic [OutBits-1:0] values[N];
  initial $readmemh(ValueFile, values);

  logic signed [63:0] offset, d, value;
  logic [EntriesLog2-1:0] k;

  always_comb begin
    offset = 64'(in_i) + (64'sd1 <<< RangeShift);
    if (offset < 0) offset = 0;
    else if (offset >= Span) offset = Span - 64'sd1;
    k = EntriesLog2'(offset >>> BinShift);
    d = offset & ((64'sd1 <<< BinShift) - 64'sd1);
    value = 64'(signed'(values[k]));
  end

  if (Pwl != 0) begin : g_pwl
    logic [SlopeBits-1:0] slopes[N];
    initial $readmemh(SlopeFile, slopes);
    assign out_o = OutBits'(fx_saturate(
        value + fx_round_shift(64'(signed'(slopes[k])) * d, SlopeFrac + InFrac - OutFrac),
        OutBits));
  end else begin : g_lut
    logic unused_d;
    assign unused_d = ^{d, value};
    assign out_o = values[k];
  end
endmodule
