// The host testbench: plays the CPU of the heterogeneous system. It lays the weight images,
// biases and the input sequence out in DRAM (through the memory's debug port), programs the
// CSRs, writes START, waits for the interrupt and reads the outputs and counters back.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "accelerator/accelerator.h"
#include "golden/lstm_fixed.h"
#include "host_program.h"

namespace sparrow {

class Host : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Host> csr_socket;
  tlm_utils::simple_initiator_socket<Host> mem_socket;
  sc_core::sc_in<bool> irq_i;

  Host(sc_core::sc_module_name name, const CompressedModel& m, const ArchConfig& arch,
       const WorkloadConfig& w, const std::vector<PassGeometry>& passes, const RawMatrix& x);

  bool finished = false;
  RawMatrix outputs;
  uint64_t cycles_counter = 0;

 private:
  void run();
  void csr_access(tlm::tlm_command cmd, uint32_t addr, uint32_t& v);
  void csr_write(uint32_t addr, uint32_t v);
  uint32_t csr_read(uint32_t addr);
  void mem_debug(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, size_t n);

  const CompressedModel& m_;
  const ArchConfig& arch_;
  const WorkloadConfig& w_;
  const std::vector<PassGeometry>& passes_;
  const RawMatrix& x_;
  DramMap map_;
};

}  // namespace sparrow
