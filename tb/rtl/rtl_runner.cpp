// The Verilator testbench of the RTL (docs/rtl.md, docs/verification.md): the host CPU and the
// DRAM around the verilated `accelerator`. Built per parameter set by `sparrow verify` with
// `verilator --cc --exe --build`, so it depends on Verilator's headers, the standard library and
// the register map (model/csr/regmap.h, generated from rtl/regmap.yaml) only.
//
//   rtl_runner CASE_DIR [--waves FILE.fst]
//
// CASE_DIR holds dram.bin (the DRAM contents from address 0), csr.txt (one "ADDR VALUE" CSR write
// per line, in order, the last one CTRL.START), reads.txt (one "ADDR WORDS NAME" register read per
// line: what the host reads back after the interrupt), probes.txt (one "r|w ADDR okay|slverr"
// access per line: the register map's answers, checked before the run) and case.txt (key=value:
// latency (at the port: memory.latency_cycles less the master's response register),
// bytes_per_cycle, dram_bytes, output_addr, output_bytes, max_cycles, strobe_reg, and
// optionally stall_prob, stall_seed, waves, soft_reset_at, runs, poke_addr with poke_value: one
// more register write just before CTRL.START). The runner checks that a write
// changes only the bytes WSTRB selects (on register strobe_reg, before the program writes it),
// programs the CSRs over AXI4-Lite, serves the memory as an AXI4 slave with the channels' timing
// as docs/rtl.md states it (with stall_prob > 0 the memory also withholds ready, data and
// responses at random; a burst outside the DRAM is answered SLVERR) and waits for
// irq_o. With soft_reset_at = N > 0 it writes CTRL.SOFT_RESET N cycles after START, waits until
// STATUS reads 0 and starts again; with runs = R it runs R times back to back, clearing
// IRQ_STATUS in between. The last run is the one reported: the runner reads STATUS (DONE, and
// ERROR when the accelerator refused the registers or stopped at a memory error), the registers
// back, and writes output.bin (the output region) and result.txt (key=value). Exit status 0 when
// the run finished, 1 when it did not (refused, a memory error, watchdog, a burst AXI4 or the
// contract forbids), 2 on a bad case directory.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vaccelerator.h"
#include "csr/regmap.h"
#include "verilated.h"
#ifdef SPARROW_WAVES
#include "verilated_fst_c.h"
#endif

namespace {

using sparrow::kCsrCtrl;
using sparrow::kCsrCtrlSoftReset;
using sparrow::kCsrCtrlStart;
using sparrow::kCsrIrqStatus;
using sparrow::kCsrIrqStatusDone;
using sparrow::kCsrStatus;
using sparrow::kCsrStatusDone;
using sparrow::kCsrStatusError;

constexpr int kOkay = 0;  // AXI RESP

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%04x", unsigned(v));
  return b;
}

struct CaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct RunError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---- Ports of any width, as little-endian bytes.

template <class T>
void put_bytes(T& port, const uint8_t* b, size_t n) {
  T v = 0;
  for (size_t i = 0; i < n && i < sizeof(T); ++i) v = T(v | T(uint64_t(b[i]) << (8 * i)));
  port = v;
}
template <std::size_t W>
void put_bytes(VlWide<W>& port, const uint8_t* b, size_t n) {
  for (size_t w = 0; w < W; ++w) port[w] = 0;
  for (size_t i = 0; i < n && i < 4 * W; ++i) port[i / 4] |= uint32_t(b[i]) << (8 * (i % 4));
}
template <class T>
void get_bytes(const T& port, uint8_t* b, size_t n) {
  for (size_t i = 0; i < n; ++i) b[i] = i < sizeof(T) ? uint8_t(uint64_t(port) >> (8 * i)) : 0;
}
template <std::size_t W>
void get_bytes(const VlWide<W>& port, uint8_t* b, size_t n) {
  for (size_t i = 0; i < n; ++i) b[i] = i < 4 * W ? uint8_t(port[i / 4] >> (8 * (i % 4))) : 0;
}
template <class T>
uint64_t get_u64(const T& port) {
  uint8_t b[8];
  get_bytes(port, b, 8);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(b[i]) << (8 * i);
  return v;
}

// ---- The case directory.

std::vector<uint8_t> read_binary(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CaseError(path + ": cannot be opened");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

std::map<std::string, std::string> read_keys(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw CaseError(path + ": cannot be opened");
  std::map<std::string, std::string> keys;
  for (std::string line; std::getline(f, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) throw CaseError(path + ": '" + line + "' is not key=value");
    keys[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return keys;
}

uint64_t parse_u64(const std::string& what, const std::string& s) {
  size_t used = 0;
  uint64_t v = 0;
  try {
    v = std::stoull(s, &used, 0);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size()) throw CaseError(what + ": '" + s + "' is not an integer");
  return v;
}

struct Case {
  uint64_t latency = 0;
  uint64_t beat_bytes = 1;
  uint64_t dram_bytes = 0;
  uint64_t output_addr = 0;
  uint64_t output_bytes = 0;
  uint64_t max_cycles = 0;
  uint32_t strobe_reg = 0;
  uint64_t soft_reset_at = 0;
  uint64_t runs = 1;
  std::optional<std::pair<uint32_t, uint32_t>> poke;  // a write before CTRL.START
  double stall_prob = 0;
  uint64_t stall_seed = 1;
  std::string waves;
  std::vector<uint8_t> dram;
  std::vector<std::pair<uint32_t, uint32_t>> csr;
  struct Read {
    uint32_t addr, words;
    std::string name;
  };
  std::vector<Read> reads;
  struct Probe {
    bool write;
    uint32_t addr;
    bool okay;
  };
  std::vector<Probe> probes;
};

Case read_case(const std::string& dir) {
  auto keys = read_keys(dir + "/case.txt");
  auto need = [&](const std::string& k) {
    auto it = keys.find(k);
    if (it == keys.end()) throw CaseError(dir + "/case.txt: " + k + " is missing");
    return parse_u64(dir + "/case.txt: " + k, it->second);
  };
  Case c;
  c.latency = need("latency");
  c.beat_bytes = need("bytes_per_cycle");
  c.dram_bytes = need("dram_bytes");
  c.output_addr = need("output_addr");
  c.output_bytes = need("output_bytes");
  c.max_cycles = need("max_cycles");
  c.strobe_reg = uint32_t(need("strobe_reg"));
  if (keys.count("soft_reset_at")) c.soft_reset_at = need("soft_reset_at");
  if (keys.count("runs")) c.runs = need("runs");
  if (keys.count("poke_addr")) c.poke = {uint32_t(need("poke_addr")), uint32_t(need("poke_value"))};
  if (keys.count("stall_prob")) c.stall_prob = std::stod(keys["stall_prob"]);
  if (keys.count("stall_seed")) c.stall_seed = need("stall_seed");
  if (keys.count("waves")) c.waves = keys["waves"];
  if (c.beat_bytes == 0 || c.stall_prob < 0 || c.stall_prob >= 1 || c.runs == 0)
    throw CaseError(dir +
                    "/case.txt: bytes_per_cycle and runs must be > 0 and stall_prob in "
                    "[0, 1)");
  c.dram = read_binary(dir + "/dram.bin");
  if (c.dram.size() > c.dram_bytes || c.output_addr + c.output_bytes > c.dram_bytes)
    throw CaseError(dir + ": dram.bin or the output region exceeds dram_bytes");
  // The DRAM past the image is not cleared, as a real memory is not: the output rows' padding
  // (which the layers after the first read in their last beats) and everything the accelerator
  // never writes hold 0xa5.
  c.dram.resize(c.dram_bytes, 0xa5);
  std::ifstream f(dir + "/csr.txt");
  if (!f) throw CaseError(dir + "/csr.txt: cannot be opened");
  for (std::string a, v; f >> a >> v;)
    c.csr.emplace_back(uint32_t(parse_u64("csr.txt address", a)),
                       uint32_t(parse_u64("csr.txt value", v)));
  if (c.csr.empty()) throw CaseError(dir + "/csr.txt: no CSR writes");
  std::ifstream r(dir + "/reads.txt");
  if (!r) throw CaseError(dir + "/reads.txt: cannot be opened");
  for (std::string a, w, name; r >> a >> w >> name;) {
    const uint64_t words = parse_u64("reads.txt words", w);
    if (words < 1 || words > 2) throw CaseError(dir + "/reads.txt: words must be 1 or 2");
    c.reads.push_back({uint32_t(parse_u64("reads.txt address", a)), uint32_t(words), name});
  }
  std::ifstream pr(dir + "/probes.txt");
  if (!pr) throw CaseError(dir + "/probes.txt: cannot be opened");
  for (std::string op, a, resp; pr >> op >> a >> resp;) {
    if ((op != "r" && op != "w") || (resp != "okay" && resp != "slverr"))
      throw CaseError(dir + "/probes.txt: '" + op + " " + a + " " + resp +
                      "'; allowed: r or w, an address, okay or slverr");
    c.probes.push_back({op == "w", uint32_t(parse_u64("probes.txt address", a)), resp == "okay"});
  }
  return c;
}

// ---- The DRAM: an AXI4 slave whose two channels keep the timing of docs/timing.md
// (docs/rtl.md, "Memory").

class Memory {
 public:
  explicit Memory(Case& c) : c_(c), rng_(c.stall_seed) {
    while ((uint64_t{1} << size_) < c.beat_bytes) ++size_;
  }

  // A channel's bursts in address order, and its traffic.
  struct Burst {
    uint64_t addr = 0, beats = 0, start = 0, sent = 0, at = 0;
    bool bad = false;  // outside the DRAM: answered SLVERR, nothing written
    std::vector<std::pair<uint64_t, uint8_t>> data;  // a write's bytes, landing at its response
  };
  struct Channel {
    const char* name;
    std::deque<Burst> queue;
    uint64_t free = 0, beats = 0, bytes = 0, bursts = 0;
    bool accepted = false, stall_req = false, stall_beat = false;
  };
  const Channel& read_channel() const { return rd_; }
  const Channel& write_channel() const { return wr_; }
  // The first burst answered SLVERR, if any.
  const std::string& refused() const { return refused_; }
  // A run starts: its traffic counts from zero.
  void restart_counters() {
    for (Channel* ch : {&rd_, &wr_}) ch->beats = ch->bytes = ch->bursts = 0;
  }

  // Start of a cycle: random back-pressure decisions, the write response due (if any).
  void begin_cycle(uint64_t cycle) {
    cycle_ = cycle;
    auto stall = [&] { return c_.stall_prob > 0 && coin_(rng_) < c_.stall_prob; };
    for (Channel* ch : {&rd_, &wr_}) {
      ch->stall_req = stall();
      ch->stall_beat = stall();
      ch->accepted = false;
    }
    const bool stall_resp = stall();
    resp_now_ = !done_.empty() && cycle >= done_.front().at && !stall_resp;
  }

  // Drives the slave's outputs for this cycle from what it knows so far.
  void drive(Vaccelerator& top) {
    top.m_axi_arready_i = !rd_.stall_req;
    top.m_axi_awready_i = !wr_.stall_req;
    const Burst* r = current(rd_, c_.latency);
    top.m_axi_rvalid_i = r != nullptr;
    top.m_axi_rlast_i = r != nullptr && r->sent + 1 == r->beats;
    top.m_axi_rresp_i = r != nullptr && r->bad ? kSlvErr : kOkay;
    // The data lines change only with a beat; between beats they keep the last one's.
    if (r != nullptr && !r->bad)
      put_bytes(top.m_axi_rdata_i, c_.dram.data() + r->addr + r->sent * c_.beat_bytes,
                c_.beat_bytes);
    top.m_axi_wready_i = current(wr_, 0) != nullptr;
    top.m_axi_bvalid_i = resp_now_;
    top.m_axi_bresp_i = resp_now_ && done_.front().bad ? kSlvErr : kOkay;
  }

  // After an evaluation: accepts this cycle's addresses. True if that changes the outputs.
  bool accept(const Vaccelerator& top) {
    if (!top.rst_ni) return false;  // the accelerator's outputs mean nothing in reset
    const bool r = take(rd_, top.m_axi_arvalid_o && top.m_axi_arready_i, top.m_axi_araddr_o,
                        top.m_axi_arlen_o, top.m_axi_arsize_o, top.m_axi_arburst_o);
    const bool w = take(wr_, top.m_axi_awvalid_o && top.m_axi_awready_i, top.m_axi_awaddr_o,
                        top.m_axi_awlen_o, top.m_axi_awsize_o, top.m_axi_awburst_o);
    return r || w;
  }

  // Just before the clock edge: this cycle's handshakes happen.
  void end_cycle(const Vaccelerator& top) {
    if (top.m_axi_rvalid_i && top.m_axi_rready_o) {
      Burst& r = rd_.queue.front();
      ++rd_.beats;
      if (++r.sent == r.beats) rd_.queue.pop_front();
    }
    if (top.m_axi_wready_i && top.m_axi_wvalid_o) {
      Burst& w = wr_.queue.front();
      std::vector<uint8_t> beat(c_.beat_bytes);
      get_bytes(top.m_axi_wdata_o, beat.data(), beat.size());
      const uint64_t strobe = get_u64(top.m_axi_wstrb_o);
      for (uint64_t i = 0; i < c_.beat_bytes; ++i)
        if (strobe >> i & 1) {
          w.data.emplace_back(w.addr + w.sent * c_.beat_bytes + i, beat[i]);
          ++wr_.bytes;
        }
      ++wr_.beats;
      if (bool(top.m_axi_wlast_o) != (w.sent + 1 == w.beats))
        throw RunError("cycle " + std::to_string(cycle_) + ": WLAST " +
                       std::to_string(int(top.m_axi_wlast_o)) + " on beat " +
                       std::to_string(w.sent + 1) + " of a " + std::to_string(w.beats) +
                       "-beat write burst");
      if (++w.sent == w.beats) {
        w.at = std::max(cycle_ + 1 + c_.latency, done_.empty() ? 0 : done_.back().at + 1);
        done_.push_back(std::move(w));
        wr_.queue.pop_front();
      }
    }
    if (top.m_axi_bvalid_i && top.m_axi_bready_o) {
      const Burst& w = done_.front();
      if (!w.bad)
        for (const auto& [addr, byte] : w.data) c_.dram[addr] = byte;
      done_.pop_front();
    }
  }

 private:
  static constexpr uint8_t kOkay = 0, kSlvErr = 2;

  // An address handshake this cycle: the burst starts at max(cycle, free) and occupies the
  // channel for its beats. What the master must never send (another burst type or beat size,
  // an address off a bus word, a burst across 4 KB) stops the run; an address outside the DRAM
  // is answered SLVERR.
  template <class A>
  bool take(Channel& ch, bool fire, const A& addr_port, uint8_t len, uint8_t size, uint8_t burst) {
    if (ch.accepted || !fire) return false;
    ch.accepted = true;
    Burst b;
    b.addr = get_u64(addr_port);
    b.beats = uint64_t(len) + 1;
    const uint64_t last = b.addr + b.beats * c_.beat_bytes - 1;
    auto refuse = [&](const std::string& what) {
      throw RunError("cycle " + std::to_string(cycle_) + ": a " + ch.name + " burst of " +
                     std::to_string(b.beats) + " beats at address " + std::to_string(b.addr) +
                     ": " + what);
    };
    if (burst != 1) refuse("AxBURST " + std::to_string(burst) + ", not INCR");
    if (size != size_)
      refuse("AxSIZE " + std::to_string(size) + ", not the bus's " + std::to_string(size_));
    if (b.addr % c_.beat_bytes != 0) refuse("not on a bus word");
    if (b.addr / 4096 != last / 4096) refuse("across a 4 KB boundary");
    b.bad = last >= c_.dram_bytes;
    if (b.bad && refused_.empty())
      refused_ = "a " + std::string(ch.name) + " burst at address " + std::to_string(b.addr) +
                 " (DRAM holds " + std::to_string(c_.dram_bytes) + " bytes) answered SLVERR";
    b.start = std::max(cycle_, ch.free);
    ch.free = b.start + b.beats;
    ch.queue.push_back(std::move(b));
    ++ch.bursts;
    return true;
  }

  // Beat i of a burst started at s happens at s + delay + i (reads: delay lambda; writes: 0,
  // the beat taken in the cycle WREADY is high); with back-pressure no earlier, in order, unless
  // withheld.
  Burst* current(Channel& ch, uint64_t delay) {
    if (ch.queue.empty() || ch.stall_beat) return nullptr;
    Burst& b = ch.queue.front();
    return cycle_ >= b.start + delay + b.sent ? &b : nullptr;
  }

  Case& c_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> coin_{0.0, 1.0};
  uint8_t size_ = 0;  // log2 of the bus's bytes
  uint64_t cycle_ = 0;
  Channel rd_{"read"}, wr_{"write"};
  bool resp_now_ = false;
  std::string refused_;
  std::deque<Burst> done_;  // write bursts awaiting their response
};

// ---- The testbench: clock, reset, AXI4-Lite host, memory.

class Bench {
 public:
  Bench(Case& c, const std::string& waves) : c_(c), mem_(c) {
    ctx_.randReset(2);  // registers without a reset start random: a missing reset shows
    ctx_.randSeed(int(c.stall_seed % 1000003));
    ctx_.traceEverOn(!waves.empty());
    top_ = std::make_unique<Vaccelerator>(&ctx_);
#ifdef SPARROW_WAVES
    if (!waves.empty()) {
      fst_ = std::make_unique<VerilatedFstC>();
      top_->trace(fst_.get(), 99);
      fst_->open(waves.c_str());
    }
#else
    if (!waves.empty()) throw CaseError("waves requested from a runner built without --trace-fst");
#endif
    Vaccelerator& t = *top_;
    t.clk_i = 0;
    t.rst_ni = 0;
    t.csr_awvalid_i = 0;
    t.csr_wvalid_i = 0;
    t.csr_wstrb_i = 0xf;
    t.csr_bready_i = 0;
    t.csr_arvalid_i = 0;
    t.csr_rready_i = 0;
    // The assertions are checked from the second edge in reset on: at the first, the registers
    // still hold their random start, the units' reset (the port's, registered) among them.
    ctx_.assertOn(false);
    step();
    ctx_.assertOn(true);
    for (int i = 1; i < 4; ++i) step();
    t.rst_ni = 1;
  }

  ~Bench() {
    top_->final();
#ifdef SPARROW_WAVES
    if (fst_) fst_->close();
#endif
  }

  // One clock cycle: inputs, the memory's same-cycle responses, the rising edge.
  void step() {
    Vaccelerator& t = *top_;
    mem_.begin_cycle(cycle_);
    mem_.drive(t);
    t.eval();
    for (int settle = 0; settle < 4 && mem_.accept(t); ++settle) {
      mem_.drive(t);
      t.eval();
    }
    if (on_edge_) on_edge_();
    mem_.end_cycle(t);
    if (t.irq_o && started_ && irq_cycle_ < 0) irq_cycle_ = int64_t(cycle_ - start_);
    dump(2 * cycle_);
    t.clk_i = 1;
    t.eval();
    dump(2 * cycle_ + 1);
    t.clk_i = 0;
    ++cycle_;
    if (started_ && cycle_ - start_ > c_.max_cycles + 1)
      throw RunError("watchdog: no interrupt by cycle " + std::to_string(c_.max_cycles));
  }

  // An AXI4-Lite write of the bytes `strobe` selects; returns whether it was answered OKAY. With
  // `start` (the write of CTRL.START), the run's cycles count from the cycle after its address
  // and data handshakes, while the response is still on its way.
  bool csr_write(uint32_t addr, uint32_t value, bool start = false, uint32_t strobe = 0xf) {
    Vaccelerator& t = *top_;
    if (start) {
      started_ = false;
      irq_cycle_ = -1;
      mem_.restart_counters();
    }
    t.csr_awvalid_i = 1;
    t.csr_awaddr_i = addr;
    t.csr_wvalid_i = 1;
    t.csr_wdata_i = value;
    t.csr_wstrb_i = strobe;
    t.csr_bready_i = 1;
    bool aw = false, w = false, b = false, okay = false;
    on_edge_ = [&] {
      if (t.csr_awvalid_i && t.csr_awready_o) aw = true;
      if (t.csr_wvalid_i && t.csr_wready_o) w = true;
      if (start && aw && w && !started_) started_ = true, start_ = cycle_ + 1;
      if (t.csr_bvalid_o && t.csr_bready_i) b = true, okay = t.csr_bresp_o == kOkay;
    };
    for (uint64_t n = 0; !b; ++n) {
      step();
      t.csr_awvalid_i = !aw;
      t.csr_wvalid_i = !w;
      if (n > 1000) throw RunError("CSR write to " + std::to_string(addr) + " not acknowledged");
    }
    t.csr_bready_i = 0;
    t.csr_wstrb_i = 0xf;
    on_edge_ = nullptr;
    return okay;
  }

  // An AXI4-Lite read; with `okay`, whether it was answered OKAY (else a refusal is an error).
  uint32_t csr_read(uint32_t addr, bool* okay = nullptr) {
    Vaccelerator& t = *top_;
    t.csr_arvalid_i = 1;
    t.csr_araddr_i = addr;
    t.csr_rready_i = 1;
    bool ar = false, r = false, ok = false;
    uint32_t data = 0;
    on_edge_ = [&] {
      if (t.csr_arvalid_i && t.csr_arready_o) ar = true;
      if (t.csr_rvalid_o && t.csr_rready_i)
        r = true, data = uint32_t(t.csr_rdata_o), ok = t.csr_rresp_o == kOkay;
    };
    for (uint64_t n = 0; !r; ++n) {
      step();
      t.csr_arvalid_i = !ar;
      if (n > 1000) throw RunError("CSR read of " + std::to_string(addr) + " not answered");
    }
    t.csr_rready_i = 0;
    on_edge_ = nullptr;
    if (okay)
      *okay = ok;
    else if (!ok)
      throw RunError("CSR read of " + hex(addr) + " answered SLVERR");
    return data;
  }

  uint64_t csr_read64(uint32_t addr) {
    const uint64_t lo = csr_read(addr);
    return lo | uint64_t(csr_read(addr + 4)) << 32;
  }

  // Checks the write strobes and the register map's answers, then programs the run; the last
  // write is CTRL.START. Every write of the program must be answered OKAY.
  void start() {
    csr_write(c_.strobe_reg, 0xffffffffu);
    csr_write(c_.strobe_reg, 0x12345678u, false, 0x5);
    if (const uint32_t v = csr_read(c_.strobe_reg); v != 0xff34ff78u)
      throw RunError("WSTRB: a write of 0x12345678 with strobe 0b0101 over 0xffffffff left " +
                     hex(v) + " at " + hex(c_.strobe_reg) + ", not 0xff34ff78");
    for (const Case::Probe& p : c_.probes) {
      bool okay = false;
      if (p.write)
        okay = csr_write(p.addr, 0);
      else
        csr_read(p.addr, &okay);
      if (okay != p.okay)
        throw RunError(std::string("register map: a ") + (p.write ? "write to " : "read of ") +
                       hex(p.addr) + " answered " + (okay ? "OKAY" : "SLVERR") + ", the map says " +
                       (p.okay ? "OKAY" : "SLVERR"));
    }
    for (size_t i = 0; i < c_.csr.size(); ++i) {
      const bool last = i + 1 == c_.csr.size();
      if (last && c_.poke && !csr_write(c_.poke->first, c_.poke->second))
        throw RunError("CSR write to " + hex(c_.poke->first) + " answered SLVERR");
      if (!csr_write(c_.csr[i].first, c_.csr[i].second, last))
        throw RunError("CSR write to " + hex(c_.csr[i].first) + " answered SLVERR");
    }
  }

  // After the interrupt: the run is done, and was not refused.
  void check_status() {
    const uint32_t s = csr_read(kCsrStatus);
    if (s & kCsrStatusError && !mem_.refused().empty())
      throw RunError("STATUS.ERROR: the run stopped at a memory error (STATUS " + hex(s) + "; " +
                     mem_.refused() + ")");
    if (s & kCsrStatusError)
      throw RunError(
          "STATUS.ERROR: the accelerator refused the registers or a load descriptor "
          "(STATUS " +
          hex(s) + "; they describe no run this build takes, docs/rtl.md \"Registers\")");
    if (s != kCsrStatusDone) throw RunError("STATUS " + hex(s) + " after the interrupt, not DONE");
  }

  void wait_irq() {
    while (irq_cycle_ < 0) step();
  }

  // The run after the first START: a soft reset N cycles into it, then START again (the
  // registers keep their values); or, after a finished run, IRQ_STATUS cleared and START again.
  // The interrupt must be low before each START.
  void soft_reset_after(uint64_t n) {
    for (uint64_t i = 0; i < n && irq_cycle_ < 0; ++i) step();
    if (irq_cycle_ >= 0)
      throw RunError("soft reset: the run ended within " + std::to_string(n) + " cycles");
    csr_write(kCsrCtrl, kCsrCtrlSoftReset);
    for (uint64_t i = 0; csr_read(kCsrStatus) != 0; ++i)
      if (i > c_.max_cycles) throw RunError("soft reset: STATUS not 0 by the watchdog");
    if (csr_read(kCsrIrqStatus) != 0 || top_->irq_o)
      throw RunError("soft reset: IRQ_STATUS or the interrupt still set");
    restart();
  }
  void run_again() {
    csr_write(kCsrIrqStatus, kCsrIrqStatusDone);
    if (top_->irq_o || csr_read(kCsrIrqStatus) != 0)
      throw RunError("IRQ_STATUS: writing 1 did not clear the interrupt");
    restart();
  }

  int64_t irq_cycle() const {
    return irq_cycle_;
  }
  uint64_t sim_cycles() const {
    return cycle_;
  }
  Memory& memory() {
    return mem_;
  }

 private:
  void restart() {
    if (!csr_write(kCsrCtrl, kCsrCtrlStart, true))
      throw RunError("CSR write to CTRL answered SLVERR");
  }

 public:
 private:
  void dump(uint64_t time) {
#ifdef SPARROW_WAVES
    if (fst_) fst_->dump(time);
#else
    (void)time;
#endif
  }

  Case& c_;
  VerilatedContext ctx_;
  std::unique_ptr<Vaccelerator> top_;
#ifdef SPARROW_WAVES
  std::unique_ptr<VerilatedFstC> fst_;
#endif
  Memory mem_;
  std::function<void()> on_edge_;
  uint64_t cycle_ = 0, start_ = 0;
  bool started_ = false;
  int64_t irq_cycle_ = -1;
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) throw CaseError(path + ": cannot be written");
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, waves;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--waves" && i + 1 < argc)
      waves = argv[++i];
    else if (dir.empty() && a.rfind("--", 0) != 0)
      dir = a;
    else
      dir.clear(), i = argc;
  }
  if (dir.empty()) {
    std::cerr << "usage: rtl_runner CASE_DIR [--waves FILE.fst]\n";
    return 2;
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::ostringstream result;
  int status = 0;
  try {
    Case c = read_case(dir);
    if (waves.empty()) waves = c.waves;
    Bench bench(c, waves);
    const auto t_sim = std::chrono::steady_clock::now();
    double sim_seconds = 0;
    try {
      bench.start();
      if (c.soft_reset_at > 0) bench.soft_reset_after(c.soft_reset_at);
      bench.wait_irq();
      for (uint64_t run = 1; run < c.runs; ++run) {
        bench.run_again();
        bench.wait_irq();
      }
      bench.check_status();
      sim_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_sim).count();
      result << "status=done\n";
      for (const Case::Read& r : c.reads)
        result << r.name << "="
               << (r.words == 2 ? bench.csr_read64(r.addr) : bench.csr_read(r.addr)) << "\n";
      result << "irq_cycle=" << bench.irq_cycle() << "\n";
      write_text(dir + "/output.bin",
                 std::string(c.dram.begin() + std::ptrdiff_t(c.output_addr),
                             c.dram.begin() + std::ptrdiff_t(c.output_addr + c.output_bytes)));
    } catch (const RunError& e) {
      result << "status=failed\nmessage=" << e.what() << "\n";
      std::cerr << "rtl_runner: " << e.what() << "\n";
      status = 1;
    }
    const Memory::Channel &rd = bench.memory().read_channel(), &wr = bench.memory().write_channel();
    result << "memory_read_beats=" << rd.beats << "\nmemory_write_bytes=" << wr.bytes
           << "\nmemory_read_bursts=" << rd.bursts << "\nmemory_write_bursts=" << wr.bursts
           << "\nsim_cycles=" << bench.sim_cycles() << "\nsim_seconds=" << sim_seconds
           << "\nwall_seconds="
           << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << "\n";
    write_text(dir + "/result.txt", result.str());
  } catch (const CaseError& e) {
    std::cerr << "rtl_runner: " << e.what() << "\n";
    return 2;
  }
  return status;
}
