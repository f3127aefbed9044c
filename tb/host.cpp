#include "host.h"

#include "sim/cycles.h"

#include <stdexcept>

namespace sparrow {

DramMap plan_dram(const std::vector<PassGeometry>& passes, const ArchConfig& arch,
                  const WorkloadConfig& w) {
  auto align = [](uint64_t a) { return (a + 4095) & ~uint64_t{4095}; };
  const uint64_t ab = uint64_t(act_bytes(arch.arith));
  DramMap d;
  d.weight_base = 0;
  d.input_base = align(WeightLayout(passes, arch.arith).total_bytes);
  d.output_base = align(d.input_base + uint64_t(w.seq_len) * uint64_t(w.input_size) * ab);
  d.bytes =
      d.output_base + uint64_t(w.layers) * uint64_t(w.seq_len) * uint64_t(w.output_size()) * ab;
  return d;
}

Host::Host(sc_core::sc_module_name name, const CompressedModel& m, const ArchConfig& arch,
           const WorkloadConfig& w, const std::vector<PassGeometry>& passes, const RawMatrix& x)
    : sc_module(name),
      csr_socket("csr_socket"),
      mem_socket("mem_socket"),
      irq_i("irq_i"),
      m_(m),
      arch_(arch),
      w_(w),
      passes_(passes),
      x_(x),
      map_(plan_dram(passes, arch, w)) {
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
  // Weight images and biases, laid out as the controller expects them.
  const WeightLayout layout(passes_, arch_.arith);
  for (size_t k = 0; k < passes_.size(); ++k) {
    const CompressedDirection& cd = m_.dirs[k];
    for (Matrix mat : {Matrix::kWx, Matrix::kWh, Matrix::kWr}) {
      const EncodedMatrix& e = mat == Matrix::kWx ? cd.wx : (mat == Matrix::kWh ? cd.wh : cd.wr);
      for (int p = 0; p < e.pes && e.rows > 0; ++p) {
        std::vector<uint8_t> img = pack_bank_image(e, p, arch_.arith.scale.bits);
        mem_debug(tlm::TLM_WRITE_COMMAND,
                  map_.weight_base + layout.banks[k][size_t(mat)][size_t(p)].offset, img.data(),
                  img.size());
      }
    }
    std::vector<uint8_t> bias;
    put_values(bias, cd.bias, bias_bytes(arch_.arith));
    mem_debug(tlm::TLM_WRITE_COMMAND, map_.weight_base + layout.bias[k].offset, bias.data(),
              bias.size());
  }
  const int ab = act_bytes(arch_.arith);
  std::vector<uint8_t> x;
  put_values(x, std::vector<int64_t>(x_.data(), x_.data() + x_.size()), ab);
  mem_debug(tlm::TLM_WRITE_COMMAND, map_.input_base, x.data(), x.size());

  csr_write(kCsrSeqLen, uint32_t(w_.seq_len));
  csr_write(kCsrLayers, uint32_t(w_.layers));
  csr_write(kCsrDirections, uint32_t(w_.directions()));
  csr_write(kCsrInputSize, uint32_t(w_.input_size));
  csr_write(kCsrHiddenSize, uint32_t(w_.hidden_size));
  csr_write(kCsrProjSize, uint32_t(w_.proj_size));
  csr_write(kCsrWxWordsPerRow, uint32_t(m_.dirs[0].wx.words_per_row));
  csr_write(kCsrWhWordsPerRow, uint32_t(m_.dirs[0].wh.words_per_row));
  for (auto [reg, value] :
       {std::pair{kCsrWeightBase, map_.weight_base}, std::pair{kCsrInputBase, map_.input_base},
        std::pair{kCsrOutputBase, map_.output_base}}) {
    csr_write(reg, uint32_t(value));
    csr_write(reg + 4, uint32_t(value >> 32));
  }
  csr_write(kCsrCtrl, 1);
  sc_core::wait(irq_i.posedge_event());
  cycles_counter = uint64_t(csr_read(kCsrCycles)) | uint64_t(csr_read(kCsrCycles + 4)) << 32;

  const size_t n = size_t(w_.seq_len) * size_t(w_.output_size());
  std::vector<uint8_t> out(n * size_t(ab));
  mem_debug(tlm::TLM_READ_COMMAND,
            map_.output_base + uint64_t(w_.layers - 1) * uint64_t(n) * uint64_t(ab), out.data(),
            out.size());
  const std::vector<int64_t> v = get_values(out.data(), n, ab);
  outputs = RawMatrix(w_.seq_len, w_.output_size());
  std::copy(v.begin(), v.end(), outputs.data());
  csr_write(kCsrCtrl, 2);
  finished = true;
}

}  // namespace sparrow
