// A small SystemC/TLM-2.0 virtual platform around the sparrow accelerator, built against the
// installed package (find_package(sparrow), sparrow::accelerator; docs/integration.md):
//
//   vp ARCH.yaml WORKLOAD.yaml BANKS.npz
//
// Its own parts: a RAM, a bus that maps the accelerator's registers at kCsrWindow and the RAM at
// 0, and a CPU thread. The CPU loads the compressed model (BANKS.npz, `sparrow compress` output)
// and the workload's inputs into the RAM through the bus, programs the registers with sparrow's
// driver, sleeps until the interrupt, reads the counters and the outputs back and checks the
// outputs against the golden model. Exit status 0 when they are bit-exact, 1 when not, 2 on bad
// input.
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "accelerator/accelerator.h"
#include "common/error.h"
#include "compress/bank_file.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "driver/host_program.h"
#include "golden/lstm_fixed.h"
#include "sim/cycles.h"
#include "timing/timing_model.h"
#include "workload/lstm_weights.h"

namespace {

using namespace sparrow;

constexpr uint64_t kCsrWindow = 0x4000'0000;  // the accelerator's registers on the bus

// The platform's RAM: a read or write of N bytes takes the memory's latency plus ceil(N / B)
// cycles, annotated on the transaction (as sparrow's timing contract has its DRAM).
class Ram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Ram> socket{"socket"};

  Ram(sc_core::sc_module_name name, uint64_t bytes, const MemoryConfig& timing)
      : sc_module(name), data_(bytes, 0), timing_(timing) {
    socket.register_b_transport(this, &Ram::b_transport);
    socket.register_transport_dbg(this, &Ram::transport_dbg);
  }

 private:
  bool access(tlm::tlm_generic_payload& p) {
    const uint64_t addr = p.get_address(), len = p.get_data_length();
    if (addr > data_.size() || len > data_.size() - addr) {
      p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return false;
    }
    if (p.is_read())
      std::memcpy(p.get_data_ptr(), data_.data() + addr, len);
    else
      std::memcpy(data_.data() + addr, p.get_data_ptr(), len);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
  }
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    if (access(p))
      delay +=
          sc_cycles(timing_.latency_cycles +
                    (p.get_data_length() + timing_.bytes_per_cycle - 1) / timing_.bytes_per_cycle);
  }
  unsigned transport_dbg(tlm::tlm_generic_payload& p) {
    return access(p) ? p.get_data_length() : 0;
  }

  std::vector<uint8_t> data_;
  MemoryConfig timing_;
};

// The bus: two initiators (the CPU, the accelerator's DMA), two targets decoded by address.
class Bus : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Bus> cpu{"cpu"};
  tlm_utils::simple_target_socket<Bus> dma{"dma"};
  tlm_utils::simple_initiator_socket<Bus> ram{"ram"};
  tlm_utils::simple_initiator_socket<Bus> csr{"csr"};

  explicit Bus(sc_core::sc_module_name name) : sc_module(name) {
    for (auto* s : {&cpu, &dma}) {
      s->register_b_transport(this, &Bus::b_transport);
      s->register_transport_dbg(this, &Bus::transport_dbg);
    }
  }

 private:
  // The target of an address, which the payload then carries relative to the target's base.
  tlm_utils::simple_initiator_socket<Bus>& route(tlm::tlm_generic_payload& p) {
    if (p.get_address() < kCsrWindow) return ram;
    p.set_address(p.get_address() - kCsrWindow);
    return csr;
  }
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    route(p)->b_transport(p, delay);
  }
  unsigned transport_dbg(tlm::tlm_generic_payload& p) { return route(p)->transport_dbg(p); }
};

// The CPU: one thread that runs the model on the accelerator and checks it.
class Cpu : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Cpu> bus{"bus"};
  sc_core::sc_in<bool> irq{"irq"};

  Cpu(sc_core::sc_module_name name, const ArchConfig& arch, const WorkloadConfig& w,
      const CompressedModel& m)
      : sc_module(name), arch_(arch), w_(w), m_(m) {
    SC_HAS_PROCESS(Cpu);
    SC_THREAD(run);
  }

  int status = 1;  // the exit status

 private:
  void access(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len) {
    tlm::tlm_generic_payload p;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    bus->b_transport(p, delay);
    if (p.get_response_status() != tlm::TLM_OK_RESPONSE)
      throw std::runtime_error("bus error at " + std::to_string(addr) + ": " +
                               p.get_response_string());
    sc_core::wait(delay);  // loosely timed: the CPU syncs after every access
  }
  void write32(uint32_t reg, uint32_t v) {
    access(tlm::TLM_WRITE_COMMAND, kCsrWindow + reg, reinterpret_cast<uint8_t*>(&v), 4);
  }
  uint32_t read32(uint32_t reg) {
    uint32_t v = 0;
    access(tlm::TLM_READ_COMMAND, kCsrWindow + reg, reinterpret_cast<uint8_t*>(&v), 4);
    return v;
  }
  uint64_t read64(uint32_t reg) { return read32(reg) | uint64_t(read32(reg + 4)) << 32; }

  void run() {
    const std::vector<PassGeometry> passes = pass_geometries(m_, w_);
    const DramMap map = plan_dram(passes, arch_, w_);
    const RawMatrix x = quantize_inputs(make_input_sequence(w_), arch_.arith.act);
    // Load the weight area and the inputs, 4 KiB per bus write.
    std::vector<uint8_t> image = dram_image(m_, arch_, passes, x, map);
    for (uint64_t at = 0; at < image.size(); at += 4096)
      access(tlm::TLM_WRITE_COMMAND, at, image.data() + at,
             unsigned(std::min<uint64_t>(4096, image.size() - at)));
    for (const CsrWrite& c : csr_program(m_, arch_, w_, map)) write32(c.addr, c.value);
    const RawMatrix want = run_lstm_fixed(m_, arch_, x, w_.sequences).outputs;
    const int64_t contract = evaluate_timing(m_, arch_, w_).cycles;
    // Two inferences on the one device: the registers keep their values, START runs again.
    bool ok = true;
    for (int run = 1; run <= 2; ++run) {
      const int64_t start = now_cycle();
      write32(kCsrCtrl, kCsrCtrlStart);
      sc_core::wait(irq.posedge_event());
      const int64_t woke = now_cycle();
      const uint32_t st = read32(kCsrStatus);
      if (st & kCsrStatusError) {
        std::cerr << "vp: the accelerator refused its registers (STATUS " << st << ")\n";
        return;
      }
      write32(kCsrIrqStatus, kCsrIrqStatusDone);  // write 1 to clear: the interrupt drops
      const uint64_t run_cycles = read64(kCsrCycles);
      const DramRegion out = final_outputs(map, arch_, w_);
      std::vector<uint8_t> bytes(out.bytes);
      access(tlm::TLM_READ_COMMAND, out.addr, bytes.data(), unsigned(bytes.size()));
      const RawMatrix got = output_matrix(bytes.data(), arch_, w_);
      const bool exact = bit_exact(got, want);
      std::cout << "vp: run " << run << ", " << w_.name << " on " << arch_.name << ": START at ns "
                << start << ", interrupt at ns " << woke << "; CYCLES " << run_cycles
                << " (timing contract " << contract << "), MAC_SLOTS " << read64(kCsrMacSlots)
                << ", DRAM_READ_BYTES " << read64(kCsrDramReadBytes) << "\n"
                << "vp: " << got.size() << " outputs "
                << (exact ? "bit-exact against the golden model" : "DIFFER from the golden model")
                << "\n";
      ok = ok && exact && int64_t(run_cycles) == contract;
    }
    status = ok ? 0 : 1;
  }

  const ArchConfig& arch_;
  const WorkloadConfig& w_;
  const CompressedModel& m_;
};

}  // namespace

int sc_main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: vp ARCH.yaml WORKLOAD.yaml BANKS.npz\n";
    return 2;
  }
  try {
    const ArchConfig arch = load_arch_config(argv[1]);
    const WorkloadConfig w = load_workload_config(argv[2]);
    const BankSet banks = read_bank_file(argv[3]);
    if (banks.layers != w.layers || banks.directions != w.directions())
      throw_input_error(argv[3], "layers", std::to_string(banks.layers),
                        std::to_string(w.layers) + " layers of " + std::to_string(w.directions()) +
                            " directions (" + argv[2] + ")");
    for (int l = 0; l < w.layers; ++l) {
      const EncodedMatrix& wx = banks.dirs[size_t(l * w.directions())].wx;
      if (wx.rows != 4 * w.hidden_size || wx.cols != w.layer_input_size(l))
        throw_input_error(argv[3], bank_prefix(l, 0) + "_wx",
                          std::to_string(wx.rows) + " x " + std::to_string(wx.cols),
                          std::to_string(4 * w.hidden_size) + " x " +
                              std::to_string(w.layer_input_size(l)) + " (" + argv[2] + ")");
    }
    CompressedModel m;
    m.pruned = empty_lstm_weights(w);
    m.dirs = banks.dirs;

    const DramMap map = plan_dram(pass_geometries(m, w), arch, w);
    Ram ram("ram", map.bytes, arch.memory);
    Bus bus("bus");
    Accelerator accel("accel", arch);  // the hardware alone: the CPU programs the run
    Cpu cpu("cpu", arch, w, m);
    sc_core::sc_signal<bool> irq("irq");
    cpu.bus.bind(bus.cpu);
    accel.dma.mem_socket.bind(bus.dma);
    bus.ram.bind(ram.socket);
    bus.csr.bind(accel.csr.socket);
    accel.irq_o(irq);
    cpu.irq(irq);
    sc_core::sc_start();
    return cpu.status;
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
