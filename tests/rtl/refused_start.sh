#!/usr/bin/env bash
# A START whose registers describe no run this RTL build takes, or one it could not finish, ends
# at once with STATUS.DONE and STATUS.ERROR (docs/rtl.md, "Registers"): the Verilator testbench's
# case of brds on rtl-small at the rtl tests' capacity (MaxT 8, MaxIn 64, MaxH 32, MaxPasses 4,
# MaxBatch 3),
# one register rewritten just before START (case key poke_addr, poke_value). Rewriting SEQ_LEN to its own value still runs.
# Usage: refused_start.sh SPARROW SOURCE_DIR OUT_DIR
set -eu
sparrow=$1 src=$2 out=$3
rm -rf "$out"
"$sparrow" verify --quiet --arch "$src/configs/arch/brds.yaml" \
  --workload "$src/tests/fixtures/workloads/rtl-small.yaml" --rtl-param MaxT=8 \
  --rtl-param MaxIn=64 --rtl-param MaxH=32 --rtl-param MaxPasses=4 --rtl-param MaxBatch=3 \
  --rtl-param IdxMax=6 \
  --rtl-param Items=4 --out "$out/verify"
use() {  # VERIFY_DIR: poke that verify run's RTL case with its runner
  runner=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rtl']['runner'])" \
    "$1/report.json")
  case_dir=$1/rtl
}
use "$out/verify"
reg() {  # a register's address, from the map's C++ rendering (rtl/regmap.yaml)
  grep -oP "kCsr$1 = \K0x[0-9a-f]+" "$src/model/csr/regmap.h"
}
poke() {  # NAME ADDR VALUE: the runner's exit status and result.txt in $out/NAME
  cp -r "$case_dir" "$out/$1"
  printf 'poke_addr=%s\npoke_value=%s\n' "$2" "$3" >> "$out/$1/case.txt"
  set +e
  "$runner" "$out/$1" > /dev/null 2>&1
  echo $? > "$out/$1/exit"
  set -e
}
refused() {  # NAME ADDR VALUE [MESSAGE]: the run ends with STATUS.ERROR (and MESSAGE)
  poke "$1" "$2" "$3"
  if [[ $(cat "$out/$1/exit") != 1 ]] ||
    ! grep -q "^message=STATUS.ERROR${4:-}" "$out/$1/result.txt"; then
    echo "FAIL: $1 ($2 = $3) was not refused with STATUS.ERROR${4:-}:" >&2
    cat "$out/$1/result.txt" >&2
    exit 1
  fi
}
refused seq-len-above-max-t "$(reg SeqLen)" 9
refused seq-len-zero "$(reg SeqLen)" 0
refused hidden-above-max-h "$(reg HiddenSize)" 33
refused input-above-max-in "$(reg InputSize)" 65
refused passes-above-max-passes "$(reg Layers)" 5
refused three-directions "$(reg Directions)" 3
refused projection-on-a-build-without-proj "$(reg ProjSize)" 1
refused no-sequences "$(reg Sequences)" 0
refused batch-above-max-batch "$(reg Batch)" 4
refused batch-zero "$(reg Batch)" 0
refused batch-steps-above-max-t-times-max-batch "$(reg BatchSteps)" 25
refused batch-steps-zero "$(reg BatchSteps)" 0
refused streamed-weights-on-a-build-without-stream "$(reg WeightsStreamed)" 1
# Rows of more words than a row of this capacity has: ceil(max(MaxIn, MaxH) / 8 lanes) = 8.
refused wx-rows-of-9-words "$(reg WxWpr)" 9
refused wh-rows-of-9-words "$(reg WhWpr)" 9
refused wh-rows-of-65536-words "$(reg WhWpr)" 0x10000
# Registers this hardware could not finish a run with (each hung it or broke AXI4 before the
# check): no weight bytes (a transfer of 0 bytes), rows of 0 words, rows per PE that do not cover
# the 4 H rows.
refused no-weight-bytes "$(reg WeightBytes)" 0
refused wx-rows-of-no-words "$(reg WxWpr)" 0
refused wh-rows-of-no-words "$(reg WhWpr)" 0
refused wx-rows-differ-without-tables "$(reg WxWpr)" 0xffffffff
refused wx-no-rows-per-pe "$(reg WxRowsPerPe)" 0
refused wh-rows-per-pe-short "$(reg WhRowsPerPe)" 1
refused wh-rows-extra-of-every-pe "$(reg WhRowsExtra)" 16
# Addresses the 32-bit AXI4 master could not reach or would reach off a bus word.
refused weight-area-past-4gb "$(reg WeightBase)" 0xfffffff0
refused input-base-above-4gb $(($(reg InputBase) + 4)) 1
refused weights-off-a-bus-word "$(reg WeightBase)" 8
refused output-rows-off-a-bus-word "$(reg OutRow)" 24
refused batch-inputs-off-a-bus-word "$(reg BatchIn)" 8
refused batch-outputs-off-a-bus-word "$(reg BatchOut)" 8
refused bidirectional-state-off-a-bus-word "$(reg Directions)" 2
# A load descriptor the weight loader cannot take stops the run when its region's beats come:
# an index width of 0 bits (descriptor 0 FORMAT), a W_r bank (descriptor 1 TARGET.KIND 3).
desc=$(grep -oP "kCsrDescBase = \K0x[0-9a-f]+" "$src/model/csr/regmap.h")
refused descriptor-index-of-no-bits $((desc + 12)) 0
refused descriptor-of-a-w_r-bank $((desc + 16)) 3
# A memory error (an AXI4 SLVERR from the testbench's memory for a burst outside the DRAM) ends
# the run with STATUS.ERROR: the weight read at cycle 0, the first output write, a weight read
# that runs past the DRAM's end.
refused weights-outside-dram "$(reg WeightBase)" 0x40000000 ': the run stopped at a memory error'
refused outputs-outside-dram "$(reg OutputBase)" 0x40000000 ': the run stopped at a memory error'
# Weights of 4 GB: the read past the DRAM's end errs, and the abort does not wait for the rest
# of the 4 GB transfer (the burst being presented is its last).
refused weights-of-4-gb "$(reg WeightBytes)" 0xfffffff0 ': the run stopped at a memory error'
# Streamed weights and projection (the build of rtl.proj.streamed: banks of 1 kbit, Stream and
# Proj, a stacked BiLSTM of 32 cells projected to 16): a region of 0 bytes stops the run when the
# DMA's walk of the phase reads reaches it; a projection as large as H, W_r rows of no words, W_r
# rows per PE that do not cover the projection's rows.
"$sparrow" verify --quiet --arch "$src/configs/arch/brds.yaml" \
  --workload "$src/tests/fixtures/workloads/rtl-bilstm.yaml" --set workload.hidden_size=32 \
  --set workload.proj_size=16 --set arch.weight_bank.wx_kbit_per_pe=1 \
  --rtl-param MaxT=8 --rtl-param MaxIn=64 --rtl-param MaxH=32 --rtl-param MaxPasses=4 \
  --rtl-param MaxBatch=3 --rtl-param IdxMax=6 --rtl-param Items=4 --rtl-param Proj=1 \
  --out "$out/verify-streamed"
use "$out/verify-streamed"
refused streamed-region-of-no-bytes $((desc + 4)) 0
refused projection-not-below-hidden "$(reg ProjSize)" 32
refused wr-rows-of-no-words "$(reg WrWpr)" 0
refused wr-rows-of-9-words "$(reg WrWpr)" 9
refused wr-rows-per-pe-short "$(reg WrRowsPerPe)" 2
use "$out/verify"
poke same-seq-len "$(reg SeqLen)" 5
if [[ $(cat "$out/same-seq-len/exit") != 0 ]] || ! grep -q '^status=done' "$out/same-seq-len/result.txt"; then
  echo "FAIL: rewriting SEQ_LEN to its own value did not run" >&2
  cat "$out/same-seq-len/result.txt" >&2
  exit 1
fi
# Rows of the most words the capacity allows are taken (the numbers are then wrong, not checked).
poke wh-rows-of-8-words "$(reg WhWpr)" 8
if grep -q '^message=STATUS.ERROR' "$out/wh-rows-of-8-words/result.txt" ||
  ! grep -q '^status=' "$out/wh-rows-of-8-words/result.txt"; then
  echo "FAIL: rows of 8 words were refused" >&2
  cat "$out/wh-rows-of-8-words/result.txt" >&2
  exit 1
fi
echo "refused-start: 37 refusals and 3 memory errors with STATUS.ERROR, the unchanged run done"
