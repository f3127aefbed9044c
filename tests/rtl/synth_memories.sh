#!/usr/bin/env bash
# The RTL's memories map to the FPGA's RAMs, not to flip-flops and multiplexers (synth_xilinx):
# - a weight-bank byte column (bank_ram) of 4096 bytes is block RAM: one RAMB36E1 per read port;
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
  yosys -q -p "$script; tee -q -o $tmp/$1.txt stat" 2>"$tmp/$1.log" || { cat "$tmp/$1.log"; exit 1; }
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
synth bank_ram "-set Depth 4096"
synth lut_ram "-set Width 8 -set Depth 64 -set Reads 10"
for m in bank_ram lut_ram; do
  if grep -Eq '^\s+(FD[A-Z]*|LUT[1-6]|MUXF[78])\s' "$tmp/$m.txt"; then
    echo "FAIL: $m: logic or flip-flops beside the RAMs"; cat "$tmp/$m.txt"; exit 1
  fi
done
expect bank_ram RAMB36E1 2
expect lut_ram RAM64M 27
echo "ok: bank_ram is block RAM, lut_ram LUT RAM"
