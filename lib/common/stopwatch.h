// Wall time of a piece of work, for the times reports record.
#pragma once

#include <chrono>

namespace sparrow {

using SteadyClock = std::chrono::steady_clock;

// Seconds from `t0` to now.
inline double seconds_since(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

}  // namespace sparrow
