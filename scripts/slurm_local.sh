#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for trying sweep.sbatch job arrays (docs/sweeps.md):
# munged, slurmctld and slurmd with a minimal slurm.conf (this host, its CPUs, one partition), all
# state, logs and the munge key in one folder. Needs root and Debian's slurm-wlm and munge
# (scripts/setup.sh --slurm); touches nothing in /etc.
#
#   scripts/slurm_local.sh start    start the daemons and wait until the node is idle
#   scripts/slurm_local.sh stop     stop the daemons it started (by their pid files)
#   scripts/slurm_local.sh status   sinfo
#
# The folder is $SPARROW_SLURM_DIR (default /tmp/sparrow-slurm). Clients need its slurm.conf:
#   export SLURM_CONF=/tmp/sparrow-slurm/slurm.conf   (start prints it)
set -euo pipefail

dir=${SPARROW_SLURM_DIR:-/tmp/sparrow-slurm}
conf=$dir/slurm.conf
export SLURM_CONF=$conf

die() {
  echo "slurm_local: $*" >&2
  exit 1
}

stop_pidfile() {
  local f=$1
  [[ -f $f ]] || return 0
  local pid
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$f"
}

start() {
  [[ $(id -u) -eq 0 ]] || die "needs root (slurmd starts the jobs)"
  for exe in munged mungekey slurmctld slurmd sinfo; do
    command -v "$exe" >/dev/null || die "no $exe: install slurm-wlm and munge (scripts/setup.sh --slurm)"
  done
  [[ -f $dir/slurmctld.pid ]] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null &&
    die "already running in $dir (stop it first)"
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  chmod 711 "$dir/munge"
  [[ -f $dir/munge/munge.key ]] || mungekey --create --keyfile="$dir/munge/munge.key"
  munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/munged.seed" --force
  local host cpus
  host=$(hostname -s)
  cpus=$(nproc)
  cat >"$conf" <<EOF
ClusterName=sparrow-local
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld
  slurmd
  for _ in $(seq 100); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then
      echo "slurm_local: node $host ($cpus CPUs) idle; export SLURM_CONF=$conf"
      return 0
    fi
    sleep 0.2
  done
  die "the node did not come up; see $dir/slurmctld.log and $dir/slurmd.log"
}

stop() {
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  stop_pidfile "$dir/munge/munged.pid"
  echo "slurm_local: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) die "usage: scripts/slurm_local.sh start|stop|status" ;;
esac
