#!/usr/bin/env bash
# The RTL's memories map to the FPGA's RAMs, not to flip-flops and multiplexers (synth_xilinx):
# - a weight bank's RAM (ram_tdp: two write ports while it loads, a read port) of 4096 words of
#   96 bits is block RAM: eleven RAMB36E1 in their 4K x 9 shape (99 bits), nothing beside;
# - the input store (ram_sdp) of 2048 beats of 16 bytes is block RAM: fifteen RAMB18E1 (2K x 9);
# - an output-store bank (ram_sdp, Transparent: a read of the word being written returns it) of
#   4096 bytes is one RAMB36E1 plus the bypass (the registered write data and the match);
# - a lut_ram of 64 bytes with ten read ports is LUT RAM: four copies (3 + 3 + 3 + 1 read
#   ports), a RAM64M per bit of each three-reader copy (three read ports and the write port) and
#   ceil(8 / 3) of them for the one-reader copy (three bits each): 3 x 8 + 3 = 27 RAM64M.
# Usage: synth_memories.sh RTL_DIR TMP_DIR
set -eu
rtl=$1 tmp=$2
mkdir -p "$tmp"
synth() {
  # Yosys 0.23 warns about resizing RAMB36E1 ports while mapping; kept in the log.
  local script="read_verilog -sv $rtl/$1.sv; chparam $2 $1; synth_xilinx -top $1"
  yosys -q -p "$script; tee -q -o $tmp/$3.txt stat" 2>"$tmp/$3.log" || { cat "$tmp/$3.log"; exit 1; }
}
count() { awk -v c="$2" '$1 == c { print $2 }' "$tmp/$1.txt"; }
expect() {
  local got
  got=$(count "$1" "$2")
  if [[ ${got:-0} != "$3" ]]; then
    echo "FAIL: $1: $2: got ${got:-0}, want $3"
    cat "$tmp/$1.txt"
    exit 1
  fi
}
synth ram_tdp "-set Width 96 -set Depth 4096" bank
synth ram_sdp "-set Width 128 -set Depth 2048" store
synth ram_sdp "-set Width 8 -set Depth 4096 -set Transparent 1" out
synth lut_ram "-set Width 8 -set Depth 64 -set Reads 10" ring
for m in bank store ring; do
  if grep -Eq '^\s+(FD[A-Z]*|LUT[1-6]|MUXF[78])\s' "$tmp/$m.txt"; then
    echo "FAIL: $m: logic or flip-flops beside the RAMs"; cat "$tmp/$m.txt"; exit 1
  fi
done
expect bank RAMB36E1 11
expect store RAMB18E1 15
expect out RAMB36E1 1
expect out FDRE 9
expect ring RAM64M 27
echo "ok: the banks and stores are block RAM, the rings LUT RAM"
