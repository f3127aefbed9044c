#!/usr/bin/env bash
# Installs the Debian packages sparrow needs (only the missing ones), then configures and builds it
# in ./build (Release). Usage: scripts/setup.sh [--python] [extra cmake -D options...]
#   --python  also install Debian's python3-torch, numpy and matplotlib (for scripts/*.py,
#             which run under /usr/bin/python3), and OpenBLAS (PyTorch trains about 10x faster
#             than on the reference BLAS)
#   --fuzz    also install libclang-rt-14-dev (libFuzzer, for scripts/fuzz.sh)
#   --slurm   also install slurm-wlm and munge (a local single-node cluster for sweep job arrays:
#             scripts/slurm_local.sh, docs/sweeps.md)
# SPARROW_SETUP_PACKAGES_ONLY=1 installs the packages and builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ make pkg-config libeigen3-dev libyaml-cpp-dev libcli11-dev
          nlohmann-json3-dev libzip-dev libgtest-dev libbenchmark-dev libsystemc-dev python3
          python3-yaml
          verilator yosys clang clang-format)
if [[ "${1:-}" == "--python" ]]; then
  packages+=(python3-torch python3-numpy python3-matplotlib libopenblas0-pthread)
  shift
fi

if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(libclang-rt-14-dev)
  shift
fi

if [[ "${1:-}" == "--slurm" ]]; then
  packages+=(slurm-wlm munge)
  shift
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[[ ${SPARROW_SETUP_PACKAGES_ONLY:-0} == 1 ]] && exit 0
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j "$(nproc)"
