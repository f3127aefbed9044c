// What the tests of the SystemC units share (tests/model/units/): a testbench thread around
// units elaborated alone, the host's back door into the memory, a TLM host of the CSR block.
// Each test elaborates its units alone in its own process (gtest_discover_tests runs one test
// per process); the whole accelerator is tested in tests/model/test_systemc.cpp.
#pragma once

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <systemc>
#include <vector>

#include "accelerator/accelerator.h"
#include "compress/compressor.h"
#include "controller/controller.h"
#include "controller/program.h"
#include "csr/csr.h"
#include "dma/dma.h"
#include "driver/host_program.h"
#include "gate_unit/gate_unit.h"
#include "golden/lstm_fixed.h"
#include "mac_array/mac_array.h"
#include "memory/memory.h"
#include "sim/cycles.h"
#include "test_util.h"
#include "weight_bank/weight_bank.h"
#include "workload/lstm_weights.h"

namespace sparrow {
namespace {

// Runs `body` as the one thread of a testbench around the units elaborated before it.
class Bench : public sc_core::sc_module {
 public:
  Bench(sc_core::sc_module_name name, std::function<void()> body)
      : sc_module(name), body_(std::move(body)) {
    SC_HAS_PROCESS(Bench);
    SC_THREAD(run);
    set_stack_size(kThreadStackBytes);
  }

 private:
  void run() { body_(); }
  std::function<void()> body_;
};

// The host's back door into the memory (debug transport, no time).
struct Backdoor : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Backdoor> socket{"socket"};
  explicit Backdoor(sc_core::sc_module_name name) : sc_module(name) {}

  std::vector<uint8_t> read(uint64_t addr, unsigned len) {
    std::vector<uint8_t> v(len);
    transport(tlm::TLM_READ_COMMAND, addr, v);
    return v;
  }
  void write(uint64_t addr, std::vector<uint8_t> v) { transport(tlm::TLM_WRITE_COMMAND, addr, v); }

 private:
  void transport(tlm::tlm_command cmd, uint64_t addr, std::vector<uint8_t>& v) {
    tlm::tlm_generic_payload p;
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(v.data());
    p.set_data_length(unsigned(v.size()));
    EXPECT_EQ(socket->transport_dbg(p), v.size());
  }
};

// A TLM initiator for the CSR block: 32-bit accesses, returning the response status.
struct CsrHost : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<CsrHost> socket{"socket"};
  explicit CsrHost(sc_core::sc_module_name name) : sc_module(name) {}

  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint32_t& v,
                                  unsigned len = 4, const unsigned char* enables = nullptr,
                                  unsigned enable_len = 0) {
    tlm::tlm_generic_payload p;
    p.set_byte_enable_ptr(const_cast<unsigned char*>(enables));
    p.set_byte_enable_length(enable_len);
    uint8_t data[8] = {};
    std::memcpy(data, &v, 4);
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(p, delay);
    std::memcpy(&v, data, 4);
    return p.get_response_status();
  }
  tlm::tlm_response_status write(uint64_t addr, uint32_t v) {
    return access(tlm::TLM_WRITE_COMMAND, addr, v);
  }
  uint32_t read(uint64_t addr) {
    uint32_t v = 0;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr, v), tlm::TLM_OK_RESPONSE) << addr;
    return v;
  }
};

}  // namespace
}  // namespace sparrow
