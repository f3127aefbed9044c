// What a run is, as the controller learns it on START: the passes' geometry from the registers
// and the load descriptor table (docs/registers.md), checked against each other and against the
// hardware, exactly what the host's driver (driver/host_program.h) programs from a compressed
// model.
#pragma once

#include <stdexcept>
#include <vector>

#include "config/arch_config.h"
#include "csr/csr.h"
#include "weight_bank/weight_bank.h"

namespace sparrow {

// Registers that do not describe a run this hardware can do; the message names the register,
// its value and what it may be.
struct ProgramError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Every pass (layer by layer, direction by direction) as programmed; throws ProgramError.
std::vector<PassGeometry> programmed_passes(const Csr& csr, const ArchConfig& arch);

}  // namespace sparrow
