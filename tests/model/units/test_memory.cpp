// The memory alone: a TLM-2.0 target whose b_transport annotates one burst's access time
// (latency plus its beats, docs/timing.md, "Memory") and whose debug transport takes no time.
#include "unit_rig.h"

namespace sparrow {
namespace {

// An initiator of timed and debug accesses to the memory.
struct MemoryHost : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<MemoryHost> socket{"socket"};
  explicit MemoryHost(sc_core::sc_module_name name) : sc_module(name) {}

  // One timed access; the delay the target annotated, in cycles.
  int64_t access(tlm::tlm_command cmd, uint64_t addr, std::vector<uint8_t>& v,
                 tlm::tlm_response_status& status) {
    tlm::tlm_generic_payload p;
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(v.data());
    p.set_data_length(unsigned(v.size()));
    p.set_streaming_width(unsigned(v.size()));
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(p, delay);
    status = p.get_response_status();
    return int64_t(delay / sc_cycles(1));
  }
};

TEST(MemoryUnit, BurstTimeIsLatencyPlusBeatsAndDebugAccessIsFree) {
  // B = 8 bytes per cycle, lambda = 12.
  MemoryConfig mem;
  mem.bytes_per_cycle = 8;
  mem.latency_cycles = 12;
  mem.burst_bytes = 64;
  Memory memory("memory", mem, 128);
  MemoryHost host("host");
  host.socket.bind(memory.socket);
  Backdoor backdoor("backdoor");
  backdoor.socket.bind(memory.debug_socket);
  std::vector<int64_t> delays;
  std::vector<tlm::tlm_response_status> status(5);
  std::vector<uint8_t> in(28), out(28, 0), past(8, 0xee), edge(8, 0);
  for (size_t i = 0; i < in.size(); ++i) in[i] = uint8_t(7 * i + 2);
  Bench bench("bench", [&] {
    delays.push_back(host.access(tlm::TLM_WRITE_COMMAND, 100, in, status[0]));  // 100..127, 4 beats
    delays.push_back(host.access(tlm::TLM_READ_COMMAND, 100, out, status[1]));
    // Eight bytes from 121 run one past the end: refused, nothing read, no time, not counted.
    delays.push_back(host.access(tlm::TLM_READ_COMMAND, 121, past, status[2]));
    delays.push_back(host.access(tlm::TLM_READ_COMMAND, 120, edge, status[3]));  // the last 8
    std::vector<uint8_t> none;
    delays.push_back(host.access(tlm::TLM_READ_COMMAND, 128, none, status[4]));  // 0 beats
  });
  sc_core::sc_start();
  EXPECT_EQ(delays, (std::vector<int64_t>{12 + 4, 12 + 4, 0, 12 + 1, 12}));
  EXPECT_EQ(status, (std::vector<tlm::tlm_response_status>{
                        tlm::TLM_OK_RESPONSE, tlm::TLM_OK_RESPONSE, tlm::TLM_ADDRESS_ERROR_RESPONSE,
                        tlm::TLM_OK_RESPONSE, tlm::TLM_OK_RESPONSE}));
  EXPECT_EQ(out, in);
  EXPECT_EQ(past, std::vector<uint8_t>(8, 0xee));
  EXPECT_EQ(edge, std::vector<uint8_t>(in.begin() + 20, in.end()));
  EXPECT_EQ(memory.transactions(), 4);
  // The back door reads and writes without time or a transaction.
  EXPECT_EQ(backdoor.read(100, 4), (std::vector<uint8_t>{in[0], in[1], in[2], in[3]}));
  backdoor.write(0, {9, 8, 7});
  EXPECT_EQ(backdoor.read(0, 3), (std::vector<uint8_t>{9, 8, 7}));
  EXPECT_EQ(memory.transactions(), 4);
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::SC_ZERO_TIME);
}

}  // namespace
}  // namespace sparrow
