// The host testbench: plays the CPU of the heterogeneous system. It lays the weight images,
// biases and the input sequence out in DRAM (through the memory's debug port), programs the
// registers with the driver's writes (host_program.h, the same as the RTL testbench's), writes
// START, waits for the interrupt and reads the outputs and the counter registers back.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <string>
#include <utility>
#include <vector>

#include "driver/host_program.h"
#include "golden/lstm_fixed.h"

namespace sparrow {

class Host : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Host> csr_socket;
  tlm_utils::simple_initiator_socket<Host> mem_socket;
  sc_core::sc_in<bool> irq_i;

  Host(sc_core::sc_module_name name, const CompressedModel& m, const ArchConfig& arch,
       const WorkloadConfig& w, const RawMatrix& x);

  bool finished = false;
  bool refused = false;  // STATUS.ERROR after the interrupt: nothing ran
  RawMatrix outputs;
  std::vector<std::pair<std::string, uint64_t>> counters;  // counter_registers(), read back

 private:
  void run();
  void csr_access(tlm::tlm_command cmd, uint32_t addr, uint32_t& v);
  void csr_write(uint32_t addr, uint32_t v);
  uint32_t csr_read(uint32_t addr);
  void mem_debug(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, size_t n);

  const CompressedModel& m_;
  const ArchConfig& arch_;
  const WorkloadConfig& w_;
  std::vector<PassGeometry> passes_;
  const RawMatrix& x_;
  DramMap map_;
};

}  // namespace sparrow
