// One entry of an AXI4 channel the master drives (address or write data), between the master's
// logic and its port: the slave's ready reaches only this entry's register, so the master's
// handshakes (and what depends on them: the DMA's requests, the controller's phase starts) see
// a register, not the port. The entry passes straight through while it is empty: with a slave
// that is ready, the port's timing is that of the logic behind it. When the slave is not ready
// the entry holds the word presented (AXI4 keeps it until its handshake) and the logic behind
// waits for the next cycle.
module skid_buffer #(
  parameter int Width = 8
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // The master's logic.
  input  logic             valid_i,
  output logic             ready_o,
  input  logic [Width-1:0] data_i,
  // The port.
  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o
);
  logic full_q;
  logic [Width-1:0] data_q;

  assign ready_o = !full_q;
  assign valid_o = full_q || valid_i;
  assign data_o = full_q ? data_q : data_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      full_q <= 1'b0;
    end else if (full_q) begin
      full_q <= !ready_i;
    end else begin
      full_q <= valid_i && !ready_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!full_q && valid_i && !ready_i) data_q <= data_i;
  end
endmodule
