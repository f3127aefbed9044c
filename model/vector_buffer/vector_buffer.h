// The vector buffers, banked per lane in hardware (lane j holds segment j): the x buffer holds
// the pass's input vectors as the DMA brings them; the state buffer holds h_{t-1} (or r_{t-1})
// for the W_h array; the hidden buffer holds the gate unit's unprojected h_t for W_r. Entries
// past the real length (padding columns) stay zero.
#pragma once

#include <cstdint>
#include <vector>

namespace sparrow {

struct VectorBuffer {
  std::vector<int64_t> values;

  void reset(size_t padded) { values.assign(padded, 0); }
};

}  // namespace sparrow
