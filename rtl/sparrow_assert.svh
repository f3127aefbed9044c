// Assertions in the lowRISC style: `SPARROW_ASSERT(Name, property) checks the property at every
// rising edge of clk_i outside reset (rst_ni low); simulation only (Verilator --assert), nothing
// under synthesis (Yosys defines SYNTHESIS).
`ifndef SPARROW_ASSERT_SVH
`define SPARROW_ASSERT_SVH

`ifndef SYNTHESIS
`define SPARROW_ASSERT(__name, __prop) \
  __name : assert property (@(posedge clk_i) disable iff (!rst_ni) (__prop)) \
    else $error("assertion %s failed", `"__name`");
`else
`define SPARROW_ASSERT(__name, __prop)
`endif

`endif
