// Constants shared by the accelerator's modules that are not the register map (which is
// sparrow_reg_pkg, generated from rtl/regmap.yaml): the AXI responses. Widths that follow the
// design point are module parameters.
package sparrow_pkg;

  // ---- AXI responses.
  localparam logic [1:0] AxiOkay = 2'b00;
  localparam logic [1:0] AxiSlvErr = 2'b10;

endpackage
