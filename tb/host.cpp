#include "tb/host.h"

#include "csr/csr.h"
#include "sim/cycles.h"

#include <stdexcept>

namespace sparrow {

Host::Host(sc_core::sc_module_name name, const CompressedModel& m, const ArchConfig& arch,
           const WorkloadConfig& w, const RawMatrix& x)
    : sc_module(name),
      csr_socket("csr_socket"),
      mem_socket("mem_socket"),
      irq_i("irq_i"),
      m_(m),
      arch_(arch),
      w_(w),
      passes_(pass_geometries(m, w)),
      x_(x),
      map_(plan_dram(passes_, arch, w)) {
  SC_HAS_PROCESS(Host);
  SC_THREAD(run);
  set_stack_size(kThreadStackBytes);
}

void Host::csr_access(tlm::tlm_command cmd, uint32_t addr, uint32_t& v) {
  tlm::tlm_generic_payload p;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  p.set_command(cmd);
  p.set_address(addr);
  p.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
  p.set_data_length(4);
  p.set_streaming_width(4);
  csr_socket->b_transport(p, delay);
  if (p.get_response_status() != tlm::TLM_OK_RESPONSE)
    throw std::runtime_error("host: CSR access failed at " + std::to_string(addr));
}

void Host::csr_write(uint32_t addr, uint32_t v) {
  csr_access(tlm::TLM_WRITE_COMMAND, addr, v);
}

uint32_t Host::csr_read(uint32_t addr) {
  uint32_t v = 0;
  csr_access(tlm::TLM_READ_COMMAND, addr, v);
  return v;
}

void Host::mem_debug(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, size_t n) {
  tlm::tlm_generic_payload p;
  p.set_command(cmd);
  p.set_address(addr);
  p.set_data_ptr(data);
  p.set_data_length(unsigned(n));
  p.set_streaming_width(unsigned(n));
  if (mem_socket->transport_dbg(p) != n)
    throw std::runtime_error("host: DRAM access failed at " + std::to_string(addr));
}

void Host::run() {
  // Weight images, biases and inputs, laid out as the controller expects them.
  std::vector<uint8_t> image = dram_image(m_, arch_, passes_, x_, map_);
  mem_debug(tlm::TLM_WRITE_COMMAND, 0, image.data(), image.size());
  for (const CsrWrite& c : csr_program(m_, arch_, w_, map_)) csr_write(c.addr, c.value);
  csr_write(kCsrCtrl, kCsrCtrlStart);
  sc_core::wait(irq_i.posedge_event());
  if (csr_read(kCsrStatus) & kCsrStatusError) {
    refused = true;
    return;
  }
  for (const CsrRegInfo& r : counter_registers())
    counters.emplace_back(counter_name(r),
                          uint64_t(csr_read(r.offset)) | uint64_t(csr_read(r.offset + 4)) << 32);

  const DramRegion region = final_outputs(map_, arch_, w_);
  std::vector<uint8_t> out(region.bytes);
  mem_debug(tlm::TLM_READ_COMMAND, region.addr, out.data(), out.size());
  outputs = output_matrix(out.data(), arch_, w_);
  csr_write(kCsrIrqStatus, kCsrIrqStatusDone);
  finished = true;
}

}  // namespace sparrow
