#!/usr/bin/env bash
# One command for a host application (docs/apps.md): the held-out data through the SystemC model,
# printing the task accuracy beside the hardware figures. Outputs land in out/app/TASK.
# Usage: scripts/app.sh sentiment|charlm|wordlm [--train] [sparrow app options...]
#   default   the committed model (configs/apps/TASK)
#   --train   first train, prune (gradually, to the design's pattern) and export a new model from
#             ../shared/data into out/apps/TASK (installs Debian's PyTorch; minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
task=${1:-}
if [[ $task != sentiment && $task != charlm && $task != wordlm ]]; then
  echo "usage: scripts/app.sh sentiment|charlm|wordlm [--train] [sparrow app options...]" >&2
  exit 2
fi
shift
app=configs/apps/$task/app.yaml
if [[ ${1:-} == --train ]]; then
  shift
  scripts/setup.sh --python
  /usr/bin/python3 scripts/train_app.py "$task" --out "out/apps/$task"
  app=out/apps/$task/app.yaml
else
  scripts/setup.sh
fi
build/sparrow app "$app" --engine systemc --out "out/app/$task" "$@"
