// The DMA and the memory against the memory channels of the timing contract (docs/timing.md).
#include "unit_rig.h"

namespace sparrow {
namespace {

TEST(DmaUnit, TransfersFollowTheMemoryChannels) {
  // B = 4 bytes per cycle, lambda = 10, bursts of 16 bytes. A transfer of N bytes requested at r
  // starts at s = max(r, free), holds its channel ceil(N / B) cycles and completes at
  // s + ceil(N / B) + lambda; reads and writes have a channel each.
  MemoryConfig mem;
  mem.bytes_per_cycle = 4;
  mem.latency_cycles = 10;
  mem.burst_bytes = 16;
  Memory memory("memory", mem, 256);
  Dma dma("dma", mem);
  dma.mem_socket.bind(memory.socket);
  Backdoor backdoor("backdoor");
  backdoor.socket.bind(memory.debug_socket);
  std::vector<int64_t> done;
  std::vector<uint8_t> in(40), out(40, 0), small(3, 0);
  for (size_t i = 0; i < in.size(); ++i) in[i] = uint8_t(3 * i + 1);
  bool refused = false;
  Bench bench("bench", [&] {
    done.push_back(dma.write(0, in.data(), 40, "w40"));  // s 0, 10 beats: 20
    done.push_back(dma.write(64, in.data(), 6, "w6"));   // s 10 (channel busy), 2 beats: 22
    done.push_back(dma.read(0, out.data(), 40, "r40"));  // its own channel: s 0, done 20
    sc_core::wait(sc_cycles(30));
    done.push_back(dma.read(64, small.data(), 3, "r3"));  // s 30, 1 beat: 41
    try {
      dma.read(250, small.data(), 16, "past the end");
    } catch (const std::runtime_error&) {
      refused = true;
    }
  });
  sc_core::sc_start();
  EXPECT_EQ(done, (std::vector<int64_t>{20, 22, 20, 41}));
  EXPECT_EQ(out, in);
  EXPECT_EQ(backdoor.read(64, 6), std::vector<uint8_t>(in.begin(), in.begin() + 6));
  EXPECT_EQ(small, (std::vector<uint8_t>{in[0], in[1], in[2]}));
  EXPECT_TRUE(refused);
  EXPECT_EQ(dma.write_bytes(), 46);
  EXPECT_EQ(dma.read_bytes(), 43 + 16);
  // 40 bytes are 16 + 16 + 8; bursts count when requested, transactions when the memory serves
  // them (not the one past its end).
  EXPECT_EQ(dma.bursts(), 3 + 1 + 3 + 1 + 1);
  EXPECT_EQ(memory.transactions(), 3 + 1 + 3 + 1);
}

}  // namespace
}  // namespace sparrow
