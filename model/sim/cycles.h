// Simulated time in the SystemC model: one cycle is one nanosecond of sc_time, whatever the
// configured clock (the report converts cycles to seconds at clock_mhz).
#pragma once

#include <systemc>

#include <cstdint>

namespace sparrow {

// n cycles as SystemC time.
inline sc_core::sc_time sc_cycles(int64_t n) {
  return sc_core::sc_time(static_cast<double>(n), sc_core::SC_NS);
}

inline int64_t now_cycle() {
  return static_cast<int64_t>(sc_core::sc_time_stamp().value() /
                              sc_core::sc_time(1, sc_core::SC_NS).value());
}

// SystemC threads run on their own stacks; the default (64 KiB) is too small for the units.
inline constexpr size_t kThreadStackBytes = size_t{8} << 20;

// Waits until absolute cycle c (no wait if c is now or past).
inline void wait_until(int64_t c) {
  const int64_t n = now_cycle();
  if (c > n) sc_core::wait(sc_cycles(c - n));
}

}  // namespace sparrow
