// Sigmoid or tanh by lookup table or piecewise-linear segments (docs/arithmetic.md,
// "Activations"). The ROM images are those `sparrow tables` writes from the golden model's code.
// With Sync the ROMs are read at the clock edge (block RAM): out_o is the result for the in_i
// of the cycle before; otherwise they are read asynchronously (LUT ROM). Every intermediate is as
// wide as its formats need.
module activation #(
  parameter int  RangeShift  = 15,  // log2(range) + the input's fractional bits
  parameter int  EntriesLog2 = 8,
  parameter int  InBits      = 16,
  parameter int  InFrac      = 12,
  parameter int  Pwl         = 0,
  parameter bit  Sync        = 1'b0,
  parameter int  OutBits     = 16,
  parameter int  OutFrac     = 14,
  parameter int  SlopeBits   = 16,
  parameter int  SlopeFrac   = 15,
  parameter      ValueFile   = "",
  parameter      SlopeFile   = ""
) (
  input  logic                      clk_i,
  input  logic signed [InBits-1:0]  in_i,
  output logic signed [OutBits-1:0] out_o
);
  localparam int N = 1 << EntriesLog2;
  localparam int BinShift = RangeShift + 1 - EntriesLog2;
  // The offset v + R 2^F before clamping, and the clamped offset in [0, 2 R 2^F).
  localparam int OffW = (InBits > RangeShift + 1 ? InBits : RangeShift + 1) + 2;
  localparam int SpanW = RangeShift + 1;

  logic signed [OffW-1:0] raw;
  localparam int DW = BinShift > 0 ? BinShift : 1;
  logic [SpanW-1:0] offset;
  logic [EntriesLog2-1:0] k;
  logic [DW-1:0] d, d_r;  // the position inside the bin: offset mod 2^BinShift (0 if one LSB)
  logic [OutBits-1:0] value;

  always_comb begin
    raw = OffW'(in_i) + (OffW'(1) <<< RangeShift);
    if (raw < 0) offset = '0;
    else if (raw >= (OffW'(1) <<< SpanW)) offset = '1;
    else offset = SpanW'(raw);
    k = EntriesLog2'(offset >> BinShift);
    d = BinShift > 0 ? DW'(offset) : '0;
  end

  // A synchronous ROM is asked to be block RAM (Yosys: rom_style); else LUT ROM.
  if (Sync) begin : g_sync
    (* rom_style = "block" *) logic [OutBits-1:0] values[N];
    initial $readmemh(ValueFile, values);
    always_ff @(posedge clk_i) begin
      value <= values[k];
      d_r <= d;
    end
  end else begin : g_async
    logic [OutBits-1:0] values[N];
    initial $readmemh(ValueFile, values);
    logic unused_clk;
    assign unused_clk = clk_i;
    assign value = values[k];
    assign d_r = d;
  end

  if (Pwl != 0) begin : g_pwl
    localparam int Shift = SlopeFrac + InFrac - OutFrac;
    localparam int ProdW = SlopeBits + DW + 1;
    localparam int SumW = (ProdW > OutBits ? ProdW : OutBits) + 2 + (Shift < 0 ? -Shift : 0);
    logic [SlopeBits-1:0] slope;
    if (Sync) begin : g_sync
      (* rom_style = "block" *) logic [SlopeBits-1:0] slopes[N];
      initial $readmemh(SlopeFile, slopes);
      always_ff @(posedge clk_i) slope <= slopes[k];
    end else begin : g_async
      logic [SlopeBits-1:0] slopes[N];
      initial $readmemh(SlopeFile, slopes);
      assign slope = slopes[k];
    end
    always_comb begin
      logic signed [ProdW-1:0] prod;
      logic signed [SumW-1:0] sum, hi, lo;
      prod = ProdW'(signed'(slope)) * signed'(ProdW'({1'b0, d_r}));
      if (Shift > 0) sum = (SumW'(prod) + (SumW'(1) <<< (Shift > 0 ? Shift - 1 : 0))) >>> Shift;
      else sum = SumW'(prod) <<< (Shift < 0 ? -Shift : 0);
      sum = sum + SumW'(signed'(value));
      hi = (SumW'(1) <<< (OutBits - 1)) - SumW'(1);
      lo = -(SumW'(1) <<< (OutBits - 1));
      out_o = OutBits'(sum > hi ? hi : (sum < lo ? lo : sum));
    end
  end else begin : g_lut
    logic unused_d;
    assign unused_d = ^d_r;
    assign out_o = value;
  end
endmodule
