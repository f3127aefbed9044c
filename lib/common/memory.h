// How much memory this process may use: the machine's physical memory, or the control group's
// limit where one is set (a container, a Slurm job). Runs estimate what they need against it
// before they allocate, so a size the validator accepts but memory cannot hold is refused with
// one line instead of failing mid-run.
#pragma once

#include <cstdint>
#include <string>

namespace sparrow {

uint64_t usable_memory_bytes();

// "12.3 GB"
std::string bytes_text(double bytes);

}  // namespace sparrow
