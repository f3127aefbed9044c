// Rounding and saturation of the arithmetic contract (docs/arithmetic.md) as functions on 64-bit
// signed values (wrap is the accumulator register's own width, in mac_pe); included inside each
// module that uses them, so no include guard. The validator keeps every intermediate within 62
// bits, so 64 bits never overflow.

// v * 2^-s rounded half up (s > 0), or an exact left shift (s <= 0).
function automatic logic signed [63:0] fx_round_shift(input logic signed [63:0] v, input int s);
  if (s > 0) fx_round_shift = (v + (64'sd1 <<< (s - 1))) >>> s;
  else fx_round_shift = v <<< (-s);
endfunction

// Clamps v into a bits-wide signed range.
function automatic logic signed [63:0] fx_saturate(input logic signed [63:0] v, input int bits);
  logic signed [63:0] hi, lo;
  hi = (64'sd1 <<< (bits - 1)) - 64'sd1;
  lo = -(64'sd1 <<< (bits - 1));
  fx_saturate = (v > hi) ? hi : ((v < lo) ? lo : v);
endfunction

