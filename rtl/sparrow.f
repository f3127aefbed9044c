// The RTL's file list, package first: Verilator (tb/rtl_sim.cpp), Yosys (scripts/synth_rtl.py).
sparrow_pkg.sv
ram_sdp.sv
ram_tdp.sv
lut_ram.sv
rotator.sv
activation.sv
operand_ring.sv
weight_bank.sv
weight_loader.sv
mac_pe.sv
mac_array.sv
vector_buffer.sv
gate_unit.sv
dma.sv
controller.sv
csr.sv
accelerator.sv
